pragma Singleton
import QtQuick

// gui-v2's BackendConnection: serviceUidForType gives "dbus/com.victronenergy.X" on the GX and "mqtt/X/0" in the
// browser (remote console, VRM). The tests switch `type` to load every page on both.
QtObject {
	property string type: "dbus"

	function serviceUidForType(serviceType) {
		return type === "mqtt" ? "mqtt/" + serviceType + "/0" : "dbus/com.victronenergy." + serviceType
	}
}
