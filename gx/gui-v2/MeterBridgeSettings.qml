pragma ComponentBehavior: Bound

import QtQuick
import Victron.VenusOS
import "States.js" as States

// Settings → Integrations → UI plugins → MeterBridge: the app's meters with their state, and "Add meter".
// The list and the states come from the app's control service, which is there even with no meter
// (docs/gx-app.md); a meter's own service exists only while it runs.
Page {
	id: root

	readonly property string controlUid: BackendConnection.serviceUidForType("meterbridge")
	readonly property string settingsUid: BackendConnection.serviceUidForType("settings")
	// /Meters is "100,101" (ascending), "" when there is none.
	readonly property var meters: metersItem.valid && String(metersItem.value).length > 0
		? String(metersItem.value).split(",").map(Number)
		: []

	// The Python driver and the SSH route number meters from 100: the first instance from 100 on not in use.
	function firstFreeInstance() {
		let n = 100
		while (meters.indexOf(n) >= 0)
			n++
		return n
	}

	title: "MeterBridge"

	VeQuickItem {
		id: metersItem
		uid: root.controlUid + "/Meters"
	}

	VeQuickItem {
		id: addItem
		uid: root.controlUid + "/Meters/Add"
	}

	GradientListView {
		// Rows, not the ListView's header and footer: Qt 6.4 cannot create a bound header (ComponentBehavior).
		model: VisibleItemModel {
			ListText {
				text: metersItem.valid ? "No meter yet: add one below" : "The MeterBridge service is not running"
				preferredVisible: root.meters.length === 0
			}

			Column {
				width: parent ? parent.width : 0

				Repeater {
					model: root.meters

					delegate: ListNavigation {
						id: meterRow

						required property var modelData
						readonly property int instance: modelData

						text: nameItem.valid && String(nameItem.value).length > 0 ? nameItem.value : "Meter " + instance
						secondaryText: States.describe(stateItem.value, reasonItem.value)
						onClicked: Global.pageManager.pushPage(Qt.resolvedUrl("MeterPage.qml"), { title: text, instance: instance })

						VeQuickItem {
							id: stateItem
							uid: root.controlUid + "/Meters/" + meterRow.instance + "/State"
						}
						VeQuickItem {
							id: reasonItem
							uid: root.controlUid + "/Meters/" + meterRow.instance + "/Reason"
						}
						VeQuickItem {
							id: nameItem
							uid: root.settingsUid + "/Settings/Devices/mqtt_" + meterRow.instance + "/CustomName"
						}
					}
				}
			}

			ListButton {
				text: "Add meter"
				secondaryText: "Add"
				preferredVisible: metersItem.valid
				onClicked: addItem.setValue(root.firstFreeInstance())
			}
		}
	}
}
