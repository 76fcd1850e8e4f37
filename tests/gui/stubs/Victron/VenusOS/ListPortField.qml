import QtQuick

// gui-v2 1.3: ListIntField, whose saveInput writes parseInt(secondaryText).
ListTextField {
	text: "Port"
	placeholderText: "80"
	saveInput: function() {
		if (dataItem.uid)
			dataItem.setValue(parseInt(secondaryText))
	}
}
