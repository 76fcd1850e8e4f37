pragma Singleton
import QtQuick

// Close to gui-v2's dark theme, so a screenshot looks like the GX: black page, dark rows, white label, grey value.
QtObject {
	readonly property color color_page_background: "#000000"
	readonly property color color_listItem_background: "#1b1b1f"
	readonly property color color_font_primary: "#ffffff"
	readonly property color color_font_secondary: "#969591"
	readonly property color color_header: "#969591"
	readonly property color color_button: "#387dc5"
	readonly property int font_size_body2: 22
	readonly property int row_height: 64
	readonly property int margin: 24
}
