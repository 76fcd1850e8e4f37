pragma Singleton
import QtQuick

// The unit names of gui-v2's VenusOS enums that the pages use (values here are the stub's own).
QtObject {
	enum Units {
		Units_None,
		Units_Watt,
		Units_Volt_AC,
		Units_Amp,
		Units_Energy_KiloWattHour
	}
}
