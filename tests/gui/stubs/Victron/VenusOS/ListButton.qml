import QtQuick

// gui-v2's ListButton: secondaryText is the button's text.
ListItem {
	secondaryColor: Theme.color_button
}
