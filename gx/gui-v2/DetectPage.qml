pragma ComponentBehavior: Bound

import QtQuick
import Victron.VenusOS

// "Find my meter": the app listens to this meter's broker for 15 s (publishing nothing) and lists what it heard,
// best first; a tap on one fills in the meter's format, topic, channel and mapping (/Detect/Apply).
Page {
	id: root

	property int instance: -1

	readonly property string controlUid: BackendConnection.serviceUidForType("meterbridge")
	// The result is only ours when the last detect was for this meter.
	readonly property bool forThisMeter: meterItem.valid && meterItem.value === instance
	readonly property var results: {
		if (!forThisMeter || !resultItem.valid)
			return []
		try {
			const parsed = JSON.parse(resultItem.value)
			return Array.isArray(parsed) ? parsed : []
		} catch (e) {
			return []
		}
	}

	readonly property var stateWords: ({ "idle": "Idle", "listening": "Listening", "done": "Done", "failed": "Failed" })

	// What the GX would show for a found meter, from its "paths" ({"/Ac/Power": 1234, …}).
	function shows(paths) {
		if (!paths)
			return ""
		const parts = []
		if (paths["/Ac/Power"] !== undefined)
			parts.push(Math.round(paths["/Ac/Power"]) + " W")
		const phases = ["/Ac/L1/Power", "/Ac/L2/Power", "/Ac/L3/Power"].filter(p => paths[p] !== undefined).length
		if (phases > 0)
			parts.push(phases + (phases === 1 ? " phase" : " phases"))
		if (paths["/Ac/Energy/Forward"] !== undefined)
			parts.push(Number(paths["/Ac/Energy/Forward"]).toFixed(1) + " kWh")
		return parts.join(", ")
	}

	function start() {
		startItem.setValue(root.instance)
	}

	title: "Find my meter"

	Component.onCompleted: start()

	VeQuickItem {
		id: startItem
		uid: root.controlUid + "/Detect/Start"
	}
	VeQuickItem {
		id: applyItem
		uid: root.controlUid + "/Detect/Apply"
	}
	VeQuickItem {
		id: meterItem
		uid: root.controlUid + "/Detect/Meter"
	}
	VeQuickItem {
		id: stateItem
		uid: root.controlUid + "/Detect/State"
	}
	VeQuickItem {
		id: secondsItem
		uid: root.controlUid + "/Detect/SecondsLeft"
	}
	VeQuickItem {
		id: errorItem
		uid: root.controlUid + "/Detect/Error"
	}
	VeQuickItem {
		id: resultItem
		uid: root.controlUid + "/Detect/Result"
	}

	GradientListView {
		// Rows, not the ListView's header: Qt 6.4 cannot create a bound header (ComponentBehavior).
		model: VisibleItemModel {
			ListText {
				text: "Detect"
				secondaryText: !stateItem.valid ? "--"
					: stateItem.value === "listening" && secondsItem.valid ? "Listening, " + secondsItem.value + " s left"
					: root.stateWords[stateItem.value] !== undefined ? root.stateWords[stateItem.value] : String(stateItem.value)
			}
			ListText {
				text: "Error"
				secondaryText: errorItem.valid ? String(errorItem.value) : ""
				preferredVisible: errorItem.valid && String(errorItem.value).length > 0
			}
			ListText {
				text: "Nothing found on this broker yet"
				preferredVisible: stateItem.value === "done" && root.results.length === 0
			}
			ListButton {
				text: "Listen again"
				secondaryText: "Start"
				preferredVisible: stateItem.value !== "listening"
				onClicked: root.start()
			}

			SettingsListHeader {
				text: "Found: tap one to use it"
				preferredVisible: root.results.length > 0
			}

			Column {
				width: parent ? parent.width : 0

				Repeater {
					model: root.results

					delegate: ListNavigation {
						required property var modelData
						required property int index

						text: modelData.kind + ": " + modelData.topic + (modelData.channel > 0 ? " (channel " + modelData.channel + ")" : "")
						secondaryText: root.shows(modelData.paths)
						onClicked: {
							applyItem.setValue(index)
							Global.pageManager.popPage()
						}
					}
				}
			}
		}
	}
}
