import QtQml.Models

// gui-v2's VisibleItemModel leaves out the items whose preferredVisible is false; the stub's rows take no
// height when hidden, which looks the same.
ObjectModel {
}
