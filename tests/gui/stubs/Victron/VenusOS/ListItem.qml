import QtQuick

// The row every List* stand-in is made of: the label left, the value right, on a dark rounded background.
Item {
	id: root

	property string text
	property string secondaryText
	property bool preferredVisible: true
	property bool interactive: true
	property bool showChevron: false
	property color secondaryColor: Theme.color_font_secondary

	signal clicked()

	width: parent ? parent.width : 0
	visible: preferredVisible
	// Like gui-v2's: the gap to the next row is part of the row's height.
	height: preferredVisible ? Math.max(Theme.row_height, label.implicitHeight + 24) + 4 : 0

	Rectangle {
		width: parent.width
		height: parent.height - 4
		radius: 8
		color: Theme.color_listItem_background
	}
	Text {
		id: label
		anchors.left: parent.left
		anchors.leftMargin: Theme.margin
		anchors.right: value.left
		anchors.rightMargin: 16
		y: (root.height - 4 - height) / 2
		text: root.text
		color: Theme.color_font_primary
		font.pixelSize: Theme.font_size_body2
		wrapMode: Text.Wrap
	}
	Text {
		id: value
		anchors.right: chevron.left
		anchors.rightMargin: root.showChevron ? 12 : 0
		y: (root.height - 4 - height) / 2
		width: Math.min(implicitWidth, root.width * 0.55)
		horizontalAlignment: Text.AlignRight
		elide: Text.ElideRight
		text: root.secondaryText
		color: root.secondaryColor
		font.pixelSize: Theme.font_size_body2
	}
	Text {
		id: chevron
		anchors.right: parent.right
		anchors.rightMargin: Theme.margin
		y: (root.height - 4 - height) / 2
		width: root.showChevron ? implicitWidth : 0
		visible: root.showChevron
		text: "\u203a"
		color: Theme.color_font_secondary
		font.pixelSize: 34
	}
}
