import QtQuick

ListItem {
	id: root

	readonly property alias dataItem: dataItem
	property real value: dataItem.valid ? dataItem.value : NaN
	property int unit: VenusOS.Units_None
	property int precision: 1

	readonly property var _unitText: ["", "W", "V", "A", "kWh"]
	secondaryText: isNaN(value) ? "--" : value.toFixed(precision) + " " + _unitText[unit]

	VeQuickItem {
		id: dataItem
	}
}
