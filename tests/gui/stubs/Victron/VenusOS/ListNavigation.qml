import QtQuick

ListItem {
	showChevron: true
}
