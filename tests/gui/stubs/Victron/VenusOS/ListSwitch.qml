import QtQuick

// Like gui-v2's: a click writes valueTrue or valueFalse (ints) to dataItem.
ListItem {
	id: root

	readonly property alias dataItem: dataItem
	property bool checked: dataItem.value === valueTrue
	property int valueTrue: 1
	property int valueFalse: 0
	property bool updateDataOnClick: true

	secondaryText: checked ? "On" : "Off"

	onClicked: {
		if (updateDataOnClick && dataItem.uid.length > 0)
			dataItem.setValue(checked ? valueFalse : valueTrue)
	}

	VeQuickItem {
		id: dataItem
	}
}
