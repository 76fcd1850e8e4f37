import QtQuick

// As gui-v2's: a Page that is given the device it is opened for.
Page {
	required property Device device
}
