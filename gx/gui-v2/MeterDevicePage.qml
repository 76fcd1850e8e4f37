import QtQuick
import Victron.VenusOS

// The device-list page (integration type 2) of productId 0xFFFF: a meter's live values and a way to its setup.
// 0xFFFF is also the id of other third-party drivers (it is what makes systemcalc and VRM take the Python
// driver's meter as a grid meter), so the page shows the values only on a device run by MeterBridge.
DeviceListPluginPage {
	id: root

	readonly property string serviceUid: root.device.serviceUid
	readonly property bool ours: processItem.valid && String(processItem.value).endsWith("meterbridge")


	title: "MeterBridge"

	VeQuickItem {
		id: processItem
		uid: root.serviceUid + "/Mgmt/ProcessName"
	}

	GradientListView {
		model: VisibleItemModel {
			ListText {
				text: "This device is not a MeterBridge meter"
				preferredVisible: !root.ours
			}
			ListQuantity {
				text: "Power"
				dataItem.uid: root.serviceUid + "/Ac/Power"
				unit: VenusOS.Units_Watt
				precision: 0
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "L1 power"
				dataItem.uid: root.serviceUid + "/Ac/L1/Power"
				unit: VenusOS.Units_Watt
				precision: 0
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "L1 voltage"
				dataItem.uid: root.serviceUid + "/Ac/L1/Voltage"
				unit: VenusOS.Units_Volt_AC
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "L1 current"
				dataItem.uid: root.serviceUid + "/Ac/L1/Current"
				unit: VenusOS.Units_Amp
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "L2 power"
				dataItem.uid: root.serviceUid + "/Ac/L2/Power"
				unit: VenusOS.Units_Watt
				precision: 0
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "L2 voltage"
				dataItem.uid: root.serviceUid + "/Ac/L2/Voltage"
				unit: VenusOS.Units_Volt_AC
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "L2 current"
				dataItem.uid: root.serviceUid + "/Ac/L2/Current"
				unit: VenusOS.Units_Amp
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "L3 power"
				dataItem.uid: root.serviceUid + "/Ac/L3/Power"
				unit: VenusOS.Units_Watt
				precision: 0
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "L3 voltage"
				dataItem.uid: root.serviceUid + "/Ac/L3/Voltage"
				unit: VenusOS.Units_Volt_AC
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "L3 current"
				dataItem.uid: root.serviceUid + "/Ac/L3/Current"
				unit: VenusOS.Units_Amp
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "Energy from the grid"
				dataItem.uid: root.serviceUid + "/Ac/Energy/Forward"
				unit: VenusOS.Units_Energy_KiloWattHour
				precision: 2
				preferredVisible: root.ours && dataItem.valid
			}
			ListQuantity {
				text: "Energy to the grid"
				dataItem.uid: root.serviceUid + "/Ac/Energy/Reverse"
				unit: VenusOS.Units_Energy_KiloWattHour
				precision: 2
				preferredVisible: root.ours && dataItem.valid
			}
			ListNavigation {
				text: "Setup"
				preferredVisible: root.ours
				onClicked: Global.pageManager.pushPage(Qt.resolvedUrl("MeterPage.qml"), { title: text, instance: root.device.deviceInstance })
			}
		}
	}
}
