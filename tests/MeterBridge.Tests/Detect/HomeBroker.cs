namespace MeterBridge.Tests.Detect;

/// <summary>
/// A busy home broker's messages, as the devices publish them (payloads from sources.md, the vectors and SourcesTests):
/// sixteen meters on fifteen devices of the thirteen kinds detect knows (Shelly Gen2+ em, em1 and switch, Gen1 3EM and EM,
/// Tasmota with phases and with two relays, Zigbee2MQTT, the dbus-mqtt-grid JSON, custom JSON, Home Assistant's
/// statestream, ESPHome, openHAB), and beside them the noise every home broker carries (LWT, STATE, Zigbee2MQTT's
/// bridge, discovery configs, a non-metering switch, a thermostat, a temperature sensor). Several devices spread one
/// meter over many messages or topics, as the house did: a Pro 3EM on <c>events/rpc</c> alone whose last
/// notification carries only what changed, a publisher of the dbus-mqtt-grid JSON sending power and counters apart, an
/// ESPHome node with power, voltage and energy on their own topics, a Gen1 3EM's <c>info</c>, a Gen1 EM and a Pro EM with
/// an unwired second channel.
/// </summary>
public static class HomeBroker
{
    public const string Pro3em = "shellypro3em-08f9e0e5a8b4";
    public const string ProEm50 = "shellyproem50-08f9e0e67204";
    public const string PlusPm = "shellyplus1pm-441793a4c0f8";
    public const string Gen1 = "shellies/shellyem3-68C63AFAF952";
    public const string Sml = "tele/tasmota_4F2C1A/SENSOR";
    public const string Pzem = "tele/tasmota_PZEM3/SENSOR";
    public const string Plug = "zigbee2mqtt/Stopcontact";
    public const string Seed = "enphase/envoy-s/meters";
    public const string Statestream = "homeassistant/sensor/grid_power/state";
    public const string Pro3emRpc = "shellypro3em-34987a67d1c0";
    public const string Gen1Em = "shellies/shellyem-B8A4C1";
    public const string DualR3 = "tele/tasmota_DUALR3/SENSOR";
    public const string SeedApart = "energymeter/heatpump";
    public const string Esphome = "esp-grid/sensor";
    public const string OpenHab = "openhab/out";

    /// <summary>A message and whether it is retained (retained ones are on the broker before anyone listens).</summary>
    public sealed record Message(string Topic, string Payload, bool Retained = false);

    /// <summary>What detect must find: format, topic, channel, and the [MAPPING] rules of a custom one.</summary>
    public sealed record Meter(string Format, string Topic, int Channel, params (string Key, string Rule)[] Mapping);

    public static readonly Meter[] Meters =
    [
        new("shelly-gen2-em", Pro3em, 0),
        new("shelly-gen2-em1", ProEm50, 1),
        new("shelly-gen2-pm", PlusPm, 0),
        new("shelly-gen1-3em", Gen1, 0),
        new("tasmota-energy", Pzem, 0),
        new("zigbee2mqtt", Plug, 0),
        new("dbus-mqtt-grid", Seed, 0),
        new("custom", Sml, 0, ("power", "{topic} /SML/Power_curr"), ("energy_forward", "{topic} /SML/Total_in"), ("energy_reverse", "{topic} /SML/Total_out")),
        new("custom", Statestream, 0, ("power", "{topic}")),
        new("shelly-gen2-em", Pro3emRpc, 0),
        new("shelly-gen1-em", Gen1Em, 0),
        new("tasmota-energy", DualR3, 1),
        new("tasmota-energy", DualR3, 2),
        new("dbus-mqtt-grid", SeedApart, 0),
        new("custom", Esphome, 0, ("power", "{topic}/grid_power/state"), ("voltage", "{topic}/mains_voltage/state"),
            ("energy_forward", "{topic}/total_energy_import/state")),
        new("custom", OpenHab, 0, ("power", "{topic}/Heatpump_Power/state"), ("energy_forward", "{topic}/Heatpump_Energy/state")),
    ];

    /// <summary>The devices: a Tasmota with two relays is one device with two meters.</summary>
    public const int Devices = 15;

    public static readonly Message[] Messages =
    [
        // Noise first, retained as brokers keep it.
        new($"{Pro3em}/online", "true", true),
        new("tele/tasmota_4F2C1A/LWT", "Online", true),
        new("tele/tasmota_PZEM3/LWT", "Online", true),
        new("zigbee2mqtt/bridge/state", """{"state":"online"}""", true),
        new("zigbee2mqtt/bridge/info", """{"version":"1.40.2","coordinator":{"type":"zStack3x0","meta":{"revision":20230507}},"config":{"advanced":{"channel":11,"transmit_power":20,"last_seen":"ISO_8601"}},"permit_join":false}""", true),
        new($"{Plug}/availability", """{"state":"online"}""", true),
        new("homeassistant/sensor/grid_power/config", """{"name":"Grid power","state_topic":"homeassistant/sensor/grid_power/state","unit_of_measurement":"W","device_class":"power","state_class":"measurement","suggested_display_precision":1}""", true),
        new("homeassistant/sensor/grid_power/unit_of_measurement", "\"W\"", true),
        new("homeassistant/sensor/grid_power/friendly_name", "\"Grid power\"", true),
        new("homeassistant/sensor/outdoor_temperature/state", "12.5", true),
        new("home/thermostat/living", """{"setpoint":21.5,"temperature":20.1,"mode":"heat","power":"on"}""", true),
        new("shellyplus1-80646fe1a2b4/status/switch:0", """{"id":0,"source":"init","output":false,"temperature":{"tC":41.2,"tF":106.2}}""", true),
        new("zigbee2mqtt/Thermometer", """{"battery":100,"humidity":55.1,"linkquality":120,"temperature":21.3,"voltage":3000}"""),
        new("tele/tasmota_4F2C1A/STATE", """{"Time":"2024-06-11T05:35:20","Uptime":"3T01:02:03","Heap":25,"LoadAvg":19,"POWER":"ON","Wifi":{"AP":1,"SSId":"home","RSSI":80,"Signal":-60}}"""),
        new("tele/tasmota_PZEM3/STATE", """{"Time":"2024-06-11T05:35:20","Uptime":"0T04:00:00","Heap":27,"POWER":"OFF","Wifi":{"AP":1,"RSSI":64,"Signal":-68}}"""),

        // Shelly Pro 3EM: status objects, then notifications that carry only what changed, and one that carries nothing.
        new($"{Pro3em}/status/em:0", """{"id":0,"a_current":10.626,"a_voltage":233.9,"a_act_power":2407.9,"a_aprt_power":2484.2,"a_pf":0.97,"a_freq":49.98,"b_current":1.865,"b_voltage":237.1,"b_act_power":408.8,"b_aprt_power":442.2,"b_pf":-0.93,"b_freq":49.98,"c_current":1.111,"c_voltage":237.2,"c_act_power":222.8,"c_aprt_power":263.3,"c_pf":-0.88,"c_freq":49.98,"n_current":null,"total_current":13.602,"total_act_power":3039.524,"total_aprt_power":3189.632,"user_calibrated_phase":[]}""", true),
        new($"{Pro3em}/status/emdata:0", """{"id":0,"a_total_act_energy":5631.61,"a_total_act_ret_energy":1204.55,"b_total_act_energy":5934.31,"b_total_act_ret_energy":12.07,"c_total_act_energy":8703.38,"c_total_act_ret_energy":3.90,"total_act":20269.29,"total_act_ret":1220.52}""", true),
        new($"{Pro3em}/events/rpc", """{"src":"DEV","dst":"DEV/events","method":"NotifyStatus","params":{"ts":1788945292.88,"em:0":{"id":0,"a_act_power":-912.6,"total_act_power":-281.0}}}""".Replace("DEV", Pro3em)),

        // Shelly Pro EM-50: only its channel 1 is wired.
        new($"{ProEm50}/status/em1:1", """{"id":1,"current":22.780,"voltage":224.6,"act_power":5080.3,"aprt_power":5142.4,"pf":0.99,"freq":49.97,"calibration":"factory"}"""),
        new($"{ProEm50}/status/em1data:1", """{"id":1,"total_act_energy":9671.54,"total_act_ret_energy":2595.26}"""),

        // Shelly Plus 1PM: its switch with metering, then a notification.
        new($"{PlusPm}/status/switch:0", """{"id":0,"source":"MQTT","output":true,"apower":61.7,"voltage":240.3,"freq":50.0,"current":0.262,"aenergy":{"total":152669.987,"by_minute":[0.000,0.000,0.000],"minute_ts":1788945240},"ret_aenergy":{"total":0.000,"by_minute":[0.000,0.000,0.000],"minute_ts":1788945240},"temperature":{"tC":44.1,"tF":111.4}}"""),
        new($"{PlusPm}/events/rpc", """{"src":"DEV","dst":"DEV/events","method":"NotifyStatus","params":{"ts":1788945292.88,"switch:0":{"apower":11.5,"current":0.071}}}""".Replace("DEV", PlusPm)),

        // Shelly 3EM Gen1: a bare number per topic.
        new($"{Gen1}/emeter/0/power", "120.11"), new($"{Gen1}/emeter/1/power", "35.2"), new($"{Gen1}/emeter/2/power", "-225.05"),
        new($"{Gen1}/emeter/0/voltage", "231.84"), new($"{Gen1}/emeter/0/current", "0.52"),
        new($"{Gen1}/emeter/0/total", "10533.1"), new($"{Gen1}/emeter/1/total", "2000"), new($"{Gen1}/emeter/2/total", "467.9"),
        new($"{Gen1}/relay/0", "off"), new($"{Gen1}/online", "true", true),

        // Tasmota SML reader (its own names: a custom mapping) and a three-phase PZEM (ENERGY arrays).
        new(Sml, """{"Time":"2024-06-11T05:35:26","SML":{"Total_in":2173.5,"Total_out":349.3,"Power_curr":-136.39}}"""),
        new(Pzem, """{"Time":"2024-06-11T05:35:30","ENERGY":{"TotalStartTime":"2024-01-02T10:11:12","Total":1234.567,"Yesterday":5.1,"Today":2.3,"Period":[1,0,0],"Power":[230,110,45],"ApparentPower":[240,120,50],"ReactivePower":[60,40,20],"Factor":[0.96,0.92,0.90],"Frequency":50,"Voltage":[230,231,229],"Current":[1.043,0.520,0.218]}}"""),

        // Zigbee2MQTT plug, the Python driver's JSON, Home Assistant's statestream.
        new(Plug, """{"current":0.41,"energy":1.54,"linkquality":63,"power":87,"power_on_behavior":"previous","state":"ON","voltage":239}"""),
        new(Seed, """{"grid":{"power":1500.5,"voltage":231.0,"current":6.6,"energy_forward":12345.67,"energy_reverse":2345.6,"L1":{"power":500.1,"voltage":230.1},"L2":{"power":600.2,"voltage":231.2},"L3":{"power":400.2,"voltage":232.3}}}"""),
        new(Statestream, "-312.4"),
        new(Statestream, "-298.7"),

        // A Pro 3EM without status topics: a full status on events/rpc, then notifications of what changed (L2 alone last).
        new($"{Pro3emRpc}/online", "true", true),
        new($"{Pro3emRpc}/events/rpc", """{"src":"DEV","dst":"DEV/events","method":"NotifyFullStatus","params":{"ts":1788945290.01,"em:0":{"id":0,"a_current":4.1,"a_voltage":231.2,"a_act_power":-912.6,"a_aprt_power":950.1,"a_pf":-0.96,"a_freq":50.01,"b_current":1.2,"b_voltage":232.4,"b_act_power":240.5,"b_aprt_power":260.2,"b_pf":0.92,"b_freq":50.01,"c_current":2.0,"c_voltage":230.9,"c_act_power":-420.7,"c_aprt_power":450.3,"c_pf":-0.93,"c_freq":50.01,"n_current":null,"total_current":7.3,"total_act_power":-1092.8,"total_aprt_power":1660.6},"emdata:0":{"id":0,"a_total_act_energy":1520.4,"a_total_act_ret_energy":3210.9,"b_total_act_energy":810.2,"b_total_act_ret_energy":12.3,"c_total_act_energy":640.1,"c_total_act_ret_energy":1999.5,"total_act":2970.7,"total_act_ret":5222.7},"sys":{"mac":"34987A67D1C0","uptime":3600}}}""".Replace("DEV", Pro3emRpc)),
        new($"{Pro3emRpc}/events/rpc", """{"src":"DEV","dst":"DEV/events","method":"NotifyStatus","params":{"ts":1788945291.02,"em:0":{"id":0,"a_act_power":-930.2,"total_act_power":-1110.4}}}""".Replace("DEV", Pro3emRpc)),
        new($"{Pro3emRpc}/events/rpc", """{"src":"DEV","dst":"DEV/events","method":"NotifyStatus","params":{"ts":1788945292.03,"em:0":{"id":0,"b_act_power":310.4,"total_act_power":-1040.5}}}""".Replace("DEV", Pro3emRpc)),

        // A Gen1 3EM's info (a total_power in it) is that 3EM, not another meter.
        new($"{Gen1}/info", """{"wifi_sta":{"connected":true,"ssid":"home","rssi":-61},"serial":4711,"mac":"68C63AFAF952","relays":[{"ison":false}],"emeters":[{"power":120.11,"pf":0.5,"current":0.52,"voltage":231.84,"is_valid":true,"total":10533.1,"total_returned":0}],"total_power":-69.74,"fs_mounted":true,"uptime":12345}"""),

        // A Shelly EM (Gen1) with only its first clamp wired, and a Pro EM-50's unwired channel 0.
        new($"{Gen1Em}/emeter/0/power", "1520.4"), new($"{Gen1Em}/emeter/0/reactive_power", "-12.1"), new($"{Gen1Em}/emeter/0/voltage", "229.7"),
        new($"{Gen1Em}/emeter/0/total", "84512.3"), new($"{Gen1Em}/emeter/0/total_returned", "1204.7"),
        new($"{Gen1Em}/emeter/1/power", "0.00"), new($"{Gen1Em}/emeter/1/reactive_power", "0.00"), new($"{Gen1Em}/emeter/1/voltage", "229.7"),
        new($"{Gen1Em}/emeter/1/total", "0.0"), new($"{Gen1Em}/emeter/1/total_returned", "0.0"),
        new($"{Gen1Em}/relay/0", "on"),
        new($"{ProEm50}/status/em1:0", """{"id":0,"current":0.027,"voltage":224.6,"act_power":0.0,"aprt_power":0.0,"pf":0.0,"freq":49.97,"calibration":"factory"}"""),
        new($"{ProEm50}/status/em1data:0", """{"id":0,"total_act_energy":0.0,"total_act_ret_energy":0.0}"""),

        // A Sonoff Dual R3 on Tasmota: one voltage, a power per relay (two one-phase meters, not a two-phase one).
        new(DualR3, """{"Time":"2024-06-11T05:35:31","Switch1":"ON","Switch2":"ON","ENERGY":{"TotalStartTime":"2024-01-02T10:11:12","Total":3.409,"Yesterday":0.512,"Today":0.203,"Period":[0,0],"Power":[85,12],"ApparentPower":[90,20],"ReactivePower":[30,16],"Factor":[0.94,0.60],"Voltage":231,"Current":[0.389,0.087]}}"""),

        // A publisher of the dbus-mqtt-grid JSON that sends its power and its counters in separate messages.
        new(SeedApart, """{"grid":{"power":812.3,"voltage":230.4,"current":3.53,"L1":{"power":812.3}}}"""),
        new(SeedApart, """{"grid":{"energy_forward":4321.08,"energy_reverse":12.5}}"""),

        // An ESPHome node: power, voltage and energy on their own topics, named with other words.
        new("esp-grid/status", "online", true),
        new($"{Esphome}/grid_power/state", "-1234.5"), new($"{Esphome}/mains_voltage/state", "229.8"),
        new($"{Esphome}/total_energy_import/state", "5123.456"), new($"{Esphome}/wifi_signal/state", "-61"),

        // openHAB's items of a heat pump.
        new($"{OpenHab}/Heatpump_Power/state", "880"), new($"{OpenHab}/Heatpump_Energy/state", "2211.4"),
        new($"{OpenHab}/Outdoor_Temperature/state", "12.5"),
    ];
}
