import QtQuick

Text {
	property bool preferredVisible: true
	width: parent ? parent.width : 0
	visible: preferredVisible
	height: preferredVisible ? implicitHeight : 0
	leftPadding: Theme.margin
	topPadding: 18
	bottomPadding: 8
	color: Theme.color_header
	font.pixelSize: 18
}
