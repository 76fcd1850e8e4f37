import QtQuick

ListView {
	anchors.fill: parent
	anchors.margins: Theme.margin / 2
	spacing: 0
	interactive: false
}
