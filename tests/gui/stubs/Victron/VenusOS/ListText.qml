import QtQuick

ListItem {
	readonly property alias dataItem: dataItem
	secondaryText: dataItem.valid ? String(dataItem.value) : ""

	VeQuickItem {
		id: dataItem
	}
}
