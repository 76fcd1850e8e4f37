import QtQuick
import Victron.VenusOS
import "States.js" as States

// One meter's settings, edited where the app keeps them: /Settings/MeterBridge/N/… for the meter's own,
// /Settings/Devices/mqtt_N/… for role, VRM instance and name (where Victron keeps them). The app follows a
// change within a second; a refused one shows as the state "A setting was refused" with the reason.
Page {
	id: root

	property int instance: -1

	readonly property string settingsUid: BackendConnection.serviceUidForType("settings")
	readonly property string controlUid: BackendConnection.serviceUidForType("meterbridge")
	readonly property string prefix: settingsUid + "/Settings/MeterBridge/" + instance
	readonly property string devicePrefix: settingsUid + "/Settings/Devices/mqtt_" + instance

	function indexOf(options, value) {
		for (let i = 0; i < options.length; ++i)
			if (options[i].value === value)
				return i
		return -1
	}

	// Mapping is "key = rule" lines: the keys say what the meter takes from the messages.
	function mappingSummary(mapping) {
		const keys = String(mapping).split("\n")
			.map(line => line.split("=")[0].trim())
			.filter(key => key.length > 0)
		return keys.length > 0 ? keys.join(", ") : "From the format"
	}

	title: "Meter " + instance

	VeQuickItem {
		id: stateItem
		uid: root.controlUid + "/Meters/" + root.instance + "/State"
	}
	VeQuickItem {
		id: reasonItem
		uid: root.controlUid + "/Meters/" + root.instance + "/Reason"
	}
	VeQuickItem {
		id: removeItem
		uid: root.controlUid + "/Meters/Remove"
	}

	GradientListView {
		model: VisibleItemModel {
			ListText {
				text: "State"
				secondaryText: States.describe(stateItem.value, reasonItem.value)
				preferredVisible: stateItem.valid
			}

			SettingsListHeader {
				text: "Broker"
			}
			ListTextField {
				text: "Broker address"
				dataItem.uid: root.prefix + "/BrokerAddress"
				placeholderText: "127.0.0.1"
				preferredVisible: dataItem.valid
			}
			ListPortField {
				text: "Broker port"
				dataItem.uid: root.prefix + "/BrokerPort"
				preferredVisible: dataItem.valid
				// An int setting: written as a number whatever the gui-v2 version's own default does.
				saveInput: function() {
					dataItem.setValue(parseInt(secondaryText))
				}
			}
			ListSwitch {
				id: tlsSwitch
				text: "TLS"
				dataItem.uid: root.prefix + "/TlsEnabled"
				preferredVisible: dataItem.valid
			}
			ListSwitch {
				text: "Accept any certificate"
				dataItem.uid: root.prefix + "/TlsInsecure"
				preferredVisible: dataItem.valid && tlsSwitch.checked
			}
			ListTextField {
				text: "User name"
				dataItem.uid: root.prefix + "/Username"
				preferredVisible: dataItem.valid
			}
			ListTextField {
				id: passwordField
				text: "Password"
				dataItem.uid: root.prefix + "/Password"
				preferredVisible: dataItem.valid
			}
			ListText {
				text: "The password is kept in the GX's settings: anything on the GX, and its MQTT broker, can read it."
				preferredVisible: passwordField.preferredVisible
			}

			SettingsListHeader {
				text: "Messages"
			}
			ListRadioButtonGroup {
				text: "Format"
				dataItem.uid: root.prefix + "/Format"
				preferredVisible: dataItem.valid
				defaultSecondaryText: dataItem.valid ? String(dataItem.value) : "--"
				// dbus-mqtt-grid, the presets of Sources/Presets.cs, custom: the format names `run` accepts.
				optionModel: [
					{ display: "dbus-mqtt-grid (Python driver's JSON)", value: "dbus-mqtt-grid" },
					{ display: "Shelly Pro 3EM (gen2 em)", value: "shelly-gen2-em" },
					{ display: "Shelly Pro EM (gen2 em1)", value: "shelly-gen2-em1" },
					{ display: "Shelly Plus/Pro PM (gen2 pm)", value: "shelly-gen2-pm" },
					{ display: "Shelly 3EM (gen1)", value: "shelly-gen1-3em" },
					{ display: "Shelly EM (gen1)", value: "shelly-gen1-em" },
					{ display: "Zigbee2MQTT", value: "zigbee2mqtt" },
					{ display: "Tasmota energy", value: "tasmota-energy" },
					{ display: "Custom (mapping only)", value: "custom" }
				]
			}
			ListTextField {
				text: "Topic"
				dataItem.uid: root.prefix + "/Topic"
				preferredVisible: dataItem.valid
			}
			ListSpinBox {
				text: "Channel"
				dataItem.uid: root.prefix + "/Channel"
				preferredVisible: dataItem.valid
				from: 0
				to: 99
			}
			ListText {
				text: "Mapping"
				dataItem.uid: root.prefix + "/Mapping"
				preferredVisible: dataItem.valid
				secondaryText: dataItem.valid ? root.mappingSummary(dataItem.value) : ""
			}

			SettingsListHeader {
				text: "On the GX"
			}
			ListRadioButtonGroup {
				id: roleGroup

				// ClassAndVrmInstance is "grid:100": the role changes here, the VRM instance stays.
				readonly property var parts: dataItem.valid ? String(dataItem.value).split(":") : []

				text: "Role"
				dataItem.uid: root.devicePrefix + "/ClassAndVrmInstance"
				preferredVisible: dataItem.valid
				optionModel: [
					{ display: "Grid meter", value: "grid" },
					{ display: "Generator", value: "genset" },
					{ display: "AC load", value: "acload" },
					{ display: "Heat pump", value: "heatpump" },
					{ display: "PV inverter", value: "pvinverter" }
				]
				currentIndex: parts.length > 0 ? root.indexOf(optionModel, parts[0]) : -1
				updateDataOnClick: false
				onOptionClicked: (index) => {
					const vrmInstance = parts.length > 1 ? parts[1] : String(root.instance)
					dataItem.setValue(optionModel[index].value + ":" + vrmInstance)
				}
			}
			ListTextField {
				text: "Name"
				dataItem.uid: root.devicePrefix + "/CustomName"
				placeholderText: "Meter " + root.instance
				preferredVisible: dataItem.valid
			}
			ListSpinBox {
				text: "Timeout"
				dataItem.uid: root.prefix + "/Timeout"
				preferredVisible: dataItem.valid
				from: -1
				to: 86400
				stepSize: 10
				suffix: " s"
				// -1: not set, the meter's own default.
				secondaryText: !dataItem.valid ? "--" : value < 0 ? "Default (60 s, Shelly 120 s)" : value + " s"
			}
			ListSpinBox {
				text: "Power threshold per phase"
				dataItem.uid: root.prefix + "/PowerThreshold"
				preferredVisible: dataItem.valid
				from: 1
				to: 1000000
				stepSize: 100
				suffix: " W"
			}

			ListRadioButtonGroup {
				text: "Energy from power"
				dataItem.uid: root.prefix + "/EnergyFromPower"
				preferredVisible: dataItem.valid
				// Counters the meter estimates from power: auto = where the source sends none of its own.
				optionModel: [
					{ display: "Where the source has no counter", value: "auto" },
					{ display: "Always", value: "1" },
					{ display: "Never", value: "0" }
				]
			}

			SettingsListHeader {
				text: "Actions"
			}
			ListNavigation {
				text: "Find my meter"
				secondaryText: "Listen 15 s"
				onClicked: Global.pageManager.pushPage(Qt.resolvedUrl("DetectPage.qml"), { title: text, instance: root.instance })
			}
			ListButton {
				text: "Remove meter"
				secondaryText: "Remove"
				preferredVisible: removeItem.valid
				onClicked: {
					removeItem.setValue(root.instance)
					Global.pageManager.popPage()
				}
			}
		}
	}
}
