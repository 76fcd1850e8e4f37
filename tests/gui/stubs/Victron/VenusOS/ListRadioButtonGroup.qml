import QtQuick

// Like gui-v2's: optionModel [{display, value}], currentIndex from dataItem.value, and choosing an option writes
// its value when updateDataOnClick, then emits optionClicked(index). select(i) stands for the option page.
ListNavigation {
	id: root

	readonly property alias dataItem: dataItem
	property var optionModel: []
	property int defaultIndex: -1
	property int currentIndex: {
		if (!optionModel || optionModel.length === undefined || dataItem.uid.length === 0 || !dataItem.valid)
			return defaultIndex
		for (let i = 0; i < optionModel.length; ++i)
			if (optionModel[i].value === dataItem.value)
				return i
		return defaultIndex
	}
	property bool updateDataOnClick: true
	property string defaultSecondaryText: "Unknown"

	signal optionClicked(int index)

	secondaryText: currentIndex >= 0 && currentIndex < optionModel.length ? optionModel[currentIndex].display : defaultSecondaryText

	function select(index) {
		if (updateDataOnClick && dataItem.uid.length > 0)
			dataItem.setValue(optionModel[index].value)
		optionClicked(index)
	}

	VeQuickItem {
		id: dataItem
	}
}
