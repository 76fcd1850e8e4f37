import QtQuick

// Like gui-v2's: the number dialog's accepted value is written to dataItem. accept(v) stands for the dialog.
ListItem {
	id: root

	readonly property alias dataItem: dataItem
	property real value: dataItem.valid ? dataItem.value : 0
	property string suffix
	property int decimals
	property real from: 0
	property real to: 2147483647
	property real stepSize: 1

	signal selectorAccepted(var newValue)

	secondaryText: dataItem.valid ? Number(value).toFixed(decimals) + suffix : "--"

	function accept(newValue) {
		const v = Math.min(to, Math.max(from, newValue))
		if (dataItem.uid.length > 0)
			dataItem.setValue(v)
		selectorAccepted(v)
	}

	VeQuickItem {
		id: dataItem
	}
}
