import QtQuick
import QtTest
import Victron.VenusOS

// Every page of the plugin loaded against the stubs, on the D-Bus and the MQTT backend: what it shows, what it
// writes (value and type), where it navigates. Each test prints the uids the page read and the writes it made as
// "MBUID <backend> <service> <path>" and "MBSET <backend> <service> <path> <type> <value>" lines, which run.sh
// collects and the xunit test checks against docs/gx-app.md and the meter's paths.
TestCase {
	id: tc

	readonly property string pagesUrl: Qt.resolvedUrl("../../gx/gui-v2/")
	readonly property string outDir: String(Qt.resolvedUrl("out/")).replace(/^file:\/\//, "")
	readonly property string control: "com.victronenergy.meterbridge"
	readonly property string settings: "com.victronenergy.settings"
	property var page: null

	name: "Pages"
	when: windowShown
	width: 800
	height: 1700

	Component {
		id: deviceComponent
		Device {}
	}

	function backends() {
		return [{ tag: "dbus", backend: "dbus" }, { tag: "mqtt", backend: "mqtt" }]
	}

	function init() {
		Recorder.reset()
		Global.pageManager.pushed = []
		Global.pageManager.pops = 0
	}

	function cleanup() {
		if (page) {
			page.destroy()
			page = null
		}
	}

	function load(file, properties) {
		const component = Qt.createComponent(pagesUrl + file)
		compare(component.status, Component.Ready, component.errorString())
		// A TestCase is never visible: the page goes on the window itself, so it renders for the screenshots.
		page = component.createObject(tc.Window.window.contentItem, properties || {})
		verify(page !== null, "could not create " + file)
		page.width = tc.width
		page.height = tc.height
		// ListView lays its rows out on the next polish: wait for it before looking for them.
		waitForRendering(page)
		return page
	}

	// The row whose label is `text`, anywhere under `item` (delegates live in a ListView's contentItem).
	function row(text, item) {
		item = item || page
		if (item.text === text && item.secondaryText !== undefined)
			return item
		const kids = []
		for (let i = 0; i < item.children.length; ++i)
			kids.push(item.children[i])
		if (item.contentItem && kids.indexOf(item.contentItem) < 0)
			kids.push(item.contentItem)
		for (let k = 0; k < kids.length; ++k) {
			const found = row(text, kids[k])
			if (found)
				return found
		}
		return null
	}

	function mustRow(text) {
		const r = row(text)
		verify(r !== null, "no row \"" + text + "\"")
		return r
	}

	function written(service, path) {
		const w = Recorder.lastWrite(service, path)
		verify(w !== null, "nothing written to " + service + " " + path)
		return w
	}

	function dump() {
		const backend = BackendConnection.type
		for (let i = 0; i < Recorder.reads.length; ++i)
			console.log("MBUID " + backend + " " + Recorder.key(Recorder.reads[i]))
		for (let j = 0; j < Recorder.writes.length; ++j) {
			const w = Recorder.writes[j]
			console.log("MBSET " + backend + " " + w.key + " " + w.type + " " + JSON.stringify(w.value))
		}
		// Built from serviceUidForType or the device's serviceUid, never "dbus/…" by hand.
		for (let k = 0; k < Recorder.reads.length; ++k)
			verify(Recorder.reads[k].indexOf(backend + "/") === 0, "uid not on the " + backend + " backend: " + Recorder.reads[k])
	}

	// The GX's screen is 800 wide; the height is what the page needs (480 is one screen).
	function screenshot(name, height) {
		page.height = height
		waitForRendering(page)
		// save() says nothing when it fails: run.sh checks that the file is there.
		grabImage(page).save(outDir + name)
	}

	function seedTwoMeters() {
		Recorder.seed(control, "/Meters", "100,101")
		Recorder.seed(control, "/Meters/Add", 0)
		Recorder.seed(control, "/Meters/100/State", "fresh")
		Recorder.seed(control, "/Meters/100/Reason", "")
		Recorder.seed(control, "/Meters/101/State", "stale")
		Recorder.seed(control, "/Meters/101/Reason", "no message for 75 s")
		Recorder.seed(settings, "/Settings/Devices/mqtt_100/CustomName", "House")
		Recorder.seed(settings, "/Settings/Devices/mqtt_101/CustomName", "")
	}

	function seedMeterSettings(n) {
		const p = "/Settings/MeterBridge/" + n + "/"
		Recorder.seed(settings, p + "BrokerAddress", "192.168.1.5")
		Recorder.seed(settings, p + "BrokerPort", 1883)
		Recorder.seed(settings, p + "TlsEnabled", 0)
		Recorder.seed(settings, p + "TlsInsecure", 0)
		Recorder.seed(settings, p + "Username", "meter")
		Recorder.seed(settings, p + "Password", "secret")
		Recorder.seed(settings, p + "Format", "shelly-gen2-em")
		Recorder.seed(settings, p + "Topic", "shellies/pro3em")
		Recorder.seed(settings, p + "Channel", 0)
		Recorder.seed(settings, p + "Mapping", "")
		Recorder.seed(settings, p + "Timeout", -1)
		Recorder.seed(settings, p + "PowerThreshold", 23000)
		Recorder.seed(settings, p + "EnergyFromPower", "auto")
		Recorder.seed(settings, "/Settings/Devices/mqtt_" + n + "/ClassAndVrmInstance", "grid:205")
		Recorder.seed(settings, "/Settings/Devices/mqtt_" + n + "/CustomName", "House")
		Recorder.seed(control, "/Meters/" + n + "/State", "fresh")
		Recorder.seed(control, "/Meters/" + n + "/Reason", "")
		Recorder.seed(control, "/Meters/Remove", 0)
	}

	function test_settings_page_data() { return backends() }
	function test_settings_page(data) {
		BackendConnection.type = data.backend
		seedTwoMeters()
		load("MeterBridgeSettings.qml")

		compare(mustRow("House").secondaryText, "Fresh")
		compare(mustRow("Meter 101").secondaryText, "Stale: no message for 75 s")
		verify(!mustRow("No meter yet: add one below").preferredVisible)
		if (data.backend === "dbus")
			screenshot("gui-settings.png", 480)

		mustRow("Add meter").clicked()
		const add = written(control, "/Meters/Add")
		compare(add.value, 102)
		compare(add.type, "int")

		mustRow("House").clicked()
		compare(Global.pageManager.pushed.length, 1)
		verify(Global.pageManager.pushed[0].url.endsWith("/MeterPage.qml"), Global.pageManager.pushed[0].url)
		compare(Global.pageManager.pushed[0].properties.instance, 100)
		dump()
	}

	function test_settings_page_without_service() {
		BackendConnection.type = "dbus"
		load("MeterBridgeSettings.qml")
		verify(mustRow("The MeterBridge service is not running").preferredVisible)
		verify(!mustRow("Add meter").preferredVisible)
	}

	function test_settings_page_first_free_instance() {
		BackendConnection.type = "dbus"
		Recorder.seed(control, "/Meters", "101,103")
		load("MeterBridgeSettings.qml")
		mustRow("Add meter").clicked()
		compare(written(control, "/Meters/Add").value, 100)
	}

	function test_meter_page_data() { return backends() }
	function test_meter_page(data) {
		BackendConnection.type = data.backend
		seedMeterSettings(100)
		load("MeterPage.qml", { instance: 100 })

		compare(mustRow("State").secondaryText, "Fresh")
		compare(mustRow("Broker address").secondaryText, "192.168.1.5")
		compare(mustRow("Format").secondaryText, "Shelly Pro 3EM (gen2 em)")
		compare(mustRow("Role").secondaryText, "Grid meter")
		compare(mustRow("Mapping").secondaryText, "From the format")
		compare(mustRow("Timeout").secondaryText, "Default (60 s, Shelly 120 s)")
		verify(!mustRow("Accept any certificate").preferredVisible, "TLS is off")
		verify(mustRow("The password is kept in the GX's settings: anything on the GX, and its MQTT broker, can read it.").preferredVisible)
		if (data.backend === "dbus")
			screenshot("gui-meter.png", 1400)
		console.log("MBFORMATS " + mustRow("Format").optionModel.map(o => o.value).join(","))

		const p = "/Settings/MeterBridge/100"
		mustRow("Broker address").accept("10.0.0.2")
		compare(written(settings, p + "/BrokerAddress").type, "string")
		mustRow("Broker port").accept("8883")
		compare(written(settings, p + "/BrokerPort").value, 8883)
		compare(written(settings, p + "/BrokerPort").type, "int")
		mustRow("TLS").clicked()
		compare(written(settings, p + "/TlsEnabled").value, 1)
		verify(mustRow("Accept any certificate").preferredVisible, "TLS is on")
		mustRow("Accept any certificate").clicked()
		compare(written(settings, p + "/TlsInsecure").value, 1)
		mustRow("User name").accept("me")
		compare(written(settings, p + "/Username").value, "me")
		mustRow("Password").accept("pw")
		compare(written(settings, p + "/Password").value, "pw")
		mustRow("Format").select(0)
		compare(written(settings, p + "/Format").value, "dbus-mqtt-grid")
		mustRow("Topic").accept("envoy/meters")
		compare(written(settings, p + "/Topic").value, "envoy/meters")
		mustRow("Channel").accept(2)
		compare(written(settings, p + "/Channel").value, 2)
		compare(written(settings, p + "/Channel").type, "int")
		mustRow("Timeout").accept(90)
		compare(written(settings, p + "/Timeout").value, 90)
		mustRow("Power threshold per phase").accept(30000)
		compare(written(settings, p + "/PowerThreshold").value, 30000)

		// The role changes, the VRM instance (205, not the meter's 100) stays.
		mustRow("Role").select(2)
		compare(written(settings, "/Settings/Devices/mqtt_100/ClassAndVrmInstance").value, "acload:205")
		compare(mustRow("Role").secondaryText, "AC load")
		mustRow("Name").accept("Garage")
		compare(written(settings, "/Settings/Devices/mqtt_100/CustomName").value, "Garage")

		mustRow("Find my meter").clicked()
		verify(Global.pageManager.pushed[0].url.endsWith("/DetectPage.qml"))
		compare(Global.pageManager.pushed[0].properties.instance, 100)
		mustRow("Remove meter").clicked()
		compare(written(control, "/Meters/Remove").value, 100)
		compare(written(control, "/Meters/Remove").type, "int")
		compare(Global.pageManager.pops, 1)
		dump()
	}

	function test_meter_page_hides_settings_not_there_yet() {
		BackendConnection.type = "dbus"
		Recorder.seed(control, "/Meters/100/State", "waiting")
		load("MeterPage.qml", { instance: 100 })
		compare(mustRow("State").secondaryText, "Waiting for a reading")
		for (const label of ["Broker address", "Broker port", "TLS", "Format", "Topic", "Role", "Name", "Timeout"])
			verify(!mustRow(label).preferredVisible, label + " shown before its setting exists")
	}

	function test_meter_page_mapping_and_refused_setting() {
		BackendConnection.type = "dbus"
		seedMeterSettings(100)
		Recorder.seed(settings, "/Settings/MeterBridge/100/Mapping", "power = {topic}/power\nenergy_forward = {topic}/energy * 0.001")
		Recorder.seed(control, "/Meters/100/State", "settings")
		Recorder.seed(control, "/Meters/100/Reason", "Topic: a topic has no wildcards")
		load("MeterPage.qml", { instance: 100 })
		compare(mustRow("Mapping").secondaryText, "power, energy_forward")
		compare(mustRow("State").secondaryText, "A setting was refused: Topic: a topic has no wildcards")
	}

	function seedDetect(meter, result) {
		Recorder.seed(control, "/Detect/Start", 0)
		Recorder.seed(control, "/Detect/Apply", 0)
		Recorder.seed(control, "/Detect/Meter", meter)
		Recorder.seed(control, "/Detect/State", "done")
		Recorder.seed(control, "/Detect/SecondsLeft", 0)
		Recorder.seed(control, "/Detect/Error", "")
		Recorder.seed(control, "/Detect/Result", result)
	}

	readonly property string twoFound: JSON.stringify([
		{ format: "shelly-gen2-em", topic: "shellies/pro3em", channel: 0, mapping: {}, kind: "shelly-gen2-em", phases: 3, messages: 12,
		  paths: { "/Ac/Power": 1234.4, "/Ac/L1/Power": 400, "/Ac/L2/Power": 434.4, "/Ac/L3/Power": 400, "/Ac/Energy/Forward": 5123.46 } },
		{ format: "tasmota-energy", topic: "tele/plug/SENSOR", channel: 1, mapping: {}, kind: "tasmota-energy", phases: 1, messages: 3,
		  paths: { "/Ac/Power": 60, "/Ac/L1/Power": 60 } }
	])

	function test_detect_page_data() { return backends() }
	function test_detect_page(data) {
		BackendConnection.type = data.backend
		seedDetect(100, twoFound)
		load("DetectPage.qml", { instance: 100 })

		compare(written(control, "/Detect/Start").value, 100)
		compare(written(control, "/Detect/Start").type, "int")
		compare(mustRow("Detect").secondaryText, "Done")
		if (data.backend === "dbus")
			screenshot("gui-detect.png", 480)
		compare(mustRow("shelly-gen2-em: shellies/pro3em").secondaryText, "1234 W, 3 phases, 5123.5 kWh")
		const plug = mustRow("tasmota-energy: tele/plug/SENSOR (channel 1)")
		compare(plug.secondaryText, "60 W, 1 phase")
		plug.clicked()
		compare(written(control, "/Detect/Apply").value, 1)
		compare(written(control, "/Detect/Apply").type, "int")
		compare(Global.pageManager.pops, 1)
		dump()
	}

	function test_detect_page_listening_and_failed() {
		BackendConnection.type = "dbus"
		seedDetect(100, "[]")
		Recorder.seed(control, "/Detect/State", "listening")
		Recorder.seed(control, "/Detect/SecondsLeft", 9)
		load("DetectPage.qml", { instance: 100 })
		compare(mustRow("Detect").secondaryText, "Listening, 9 s left")
		verify(!mustRow("Listen again").preferredVisible)
		Recorder.seed(control, "/Detect/State", "failed")
		Recorder.seed(control, "/Detect/Error", "connection refused")
		compare(mustRow("Detect").secondaryText, "Failed")
		compare(mustRow("Error").secondaryText, "connection refused")
		verify(mustRow("Listen again").preferredVisible)
		mustRow("Listen again").clicked()
		compare(Recorder.writes.filter(w => w.key === control + " /Detect/Start").length, 2)
	}

	function test_detect_page_ignores_another_meters_result_and_bad_json() {
		BackendConnection.type = "dbus"
		seedDetect(101, twoFound)
		load("DetectPage.qml", { instance: 100 })
		compare(row("shelly-gen2-em: shellies/pro3em"), null)
		Recorder.seed(control, "/Detect/Meter", 100)
		verify(row("shelly-gen2-em: shellies/pro3em") !== null)
		Recorder.seed(control, "/Detect/Result", "[{not json")
		compare(row("shelly-gen2-em: shellies/pro3em"), null)
	}

	function device(backend) {
		return deviceComponent.createObject(tc, {
			serviceUid: backend === "mqtt" ? "mqtt/grid/100" : "dbus/com.victronenergy.grid.mqtt_grid_100",
			deviceInstance: 100,
			productId: 0xFFFF
		})
	}

	function seedMeterValues(processName) {
		const grid = "com.victronenergy.grid"
		Recorder.seed(grid, "/Mgmt/ProcessName", processName)
		Recorder.seed(grid, "/Ac/Power", 1234.4)
		Recorder.seed(grid, "/Ac/L1/Power", 400)
		Recorder.seed(grid, "/Ac/L1/Voltage", 231.25)
		Recorder.seed(grid, "/Ac/L1/Current", 1.75)
		Recorder.seed(grid, "/Ac/Energy/Forward", 5123.456)
		Recorder.seed(grid, "/Ac/Energy/Reverse", 12.5)
	}

	function test_device_page_data() { return backends() }
	function test_device_page(data) {
		BackendConnection.type = data.backend
		seedMeterValues("/data/apps/available/MeterBridge/meterbridge")
		load("MeterDevicePage.qml", { device: device(data.backend) })

		verify(!mustRow("This device is not a MeterBridge meter").preferredVisible)
		compare(mustRow("Power").secondaryText, "1234 W")
		compare(mustRow("L1 voltage").secondaryText, "231.3 V")
		compare(mustRow("L1 current").secondaryText, "1.8 A")
		compare(mustRow("Energy from the grid").secondaryText, "5123.46 kWh")
		verify(!mustRow("L2 power").preferredVisible, "a phase the meter does not have is hidden")
		mustRow("Setup").clicked()
		verify(Global.pageManager.pushed[0].url.endsWith("/MeterPage.qml"))
		compare(Global.pageManager.pushed[0].properties.instance, 100)
		dump()
	}

	function test_device_page_of_another_driver() {
		BackendConnection.type = "dbus"
		seedMeterValues("/opt/victronenergy/dbus-mqtt-grid/dbus_mqtt_grid.py")
		load("MeterDevicePage.qml", { device: device("dbus") })
		verify(mustRow("This device is not a MeterBridge meter").preferredVisible)
		verify(!mustRow("Power").preferredVisible)
		verify(!mustRow("Setup").preferredVisible)
	}
}
