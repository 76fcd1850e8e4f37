pragma Singleton
import QtQuick

// gui-v2's Global, only its pageManager.
QtObject {
	property PageManager pageManager: PageManager {}
}
