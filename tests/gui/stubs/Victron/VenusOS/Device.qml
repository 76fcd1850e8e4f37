import QtQuick

// The parts of gui-v2's Device a device-list page uses.
QtObject {
	property string serviceUid
	property int deviceInstance: -1
	property int productId
	property string name
}
