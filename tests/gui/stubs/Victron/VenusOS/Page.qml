import QtQuick

Rectangle {
	property string title
	color: Theme.color_page_background
}
