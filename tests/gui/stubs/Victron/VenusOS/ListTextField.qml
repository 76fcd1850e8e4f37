import QtQuick

// Like gui-v2's: the text shows dataItem's value; on accept, validateInput (if set) then saveInput, whose
// default writes the text as a string. accept(text) stands for the user typing and pressing Enter.
ListItem {
	id: root

	readonly property alias dataItem: dataItem
	property string placeholderText
	property string suffix
	property var validateInput
	property var saveInput: function() {
		if (dataItem.uid)
			dataItem.setValue(secondaryText)
	}

	signal accepted()

	secondaryText: dataItem.valid ? String(dataItem.value) : ""

	function accept(newText) {
		secondaryText = newText
		if (validateInput && validateInput().status === "error")
			return false
		saveInput()
		accepted()
		return true
	}

	VeQuickItem {
		id: dataItem
	}
}
