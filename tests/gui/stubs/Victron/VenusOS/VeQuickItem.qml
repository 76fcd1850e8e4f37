import QtQuick

// gui-v2's VeQuickItem (uid, value, valid/isValid, min, max, setValue): reads come from the Recorder's store and
// every uid and every setValue is logged there.
QtObject {
	id: root

	property string uid
	property var value: undefined
	readonly property bool valid: value !== undefined && value !== null
	readonly property bool isValid: valid
	property real min: NaN
	property real max: NaN

	function setValue(newValue) {
		Recorder.write(uid, newValue)
	}

	onUidChanged: value = uid.length > 0 ? Recorder.read(uid) : undefined

	property Connections _follow: Connections {
		target: Recorder
		function onValueChanged(key) {
			if (root.uid.length > 0 && key === Recorder.key(root.uid))
				root.value = Recorder.values[key]
		}
	}
}
