pragma Singleton
import QtQuick

// Test-only (no such type in gui-v2): the value store the tests seed, and the log of every uid a page reads and
// every setValue it makes. Keys are "service path" with the backend prefix stripped, e.g.
// "com.victronenergy.settings /Settings/MeterBridge/100/Topic", so one seed serves the D-Bus and MQTT backends.
QtObject {
	id: root

	property var values: ({})
	property var reads: []      // every uid as the page built it, in order
	property var writes: []     // { uid, key, value, type }

	signal valueChanged(string key)

	// "dbus/com.victronenergy.grid.mqtt_grid_100/Ac/Power" and "mqtt/grid/100/Ac/Power" both give
	// "com.victronenergy.grid /Ac/Power": the service type and the path, which is what the contract names.
	function key(uid) {
		const parts = uid.split("/")
		if (parts[0] === "dbus" && parts.length > 1)
			return parts[1].split(".").slice(0, 3).join(".") + " /" + parts.slice(2).join("/")
		if (parts[0] === "mqtt" && parts.length > 2)
			return "com.victronenergy." + parts[1] + " /" + parts.slice(3).join("/")
		return "unknown " + uid
	}

	function reset() {
		values = ({})
		reads = []
		writes = []
	}

	function seed(service, path, value) {
		values[service + " " + path] = value
		valueChanged(service + " " + path)
	}

	function read(uid) {
		reads.push(uid)
		return values[key(uid)]
	}

	function write(uid, value) {
		const k = key(uid)
		const type = typeof value === "number" ? (Number.isInteger(value) ? "int" : "double") : typeof value
		writes.push({ uid: uid, key: k, value: value, type: type })
		// Like a service that accepts the write: the value changes and every item on that path follows.
		values[k] = value
		valueChanged(k)
	}

	function lastWrite(service, path) {
		for (let i = writes.length - 1; i >= 0; --i)
			if (writes[i].key === service + " " + path)
				return writes[i]
		return null
	}
}
