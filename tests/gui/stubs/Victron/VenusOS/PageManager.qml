import QtQuick

// gui-v2's page manager, as far as the pages use it; the pages pushed and the pops are kept for the tests.
QtObject {
	property var pushed: []
	property int pops: 0

	function pushPage(url, properties) {
		pushed.push({ url: String(url), properties: properties })
	}
	function popPage() {
		pops++
	}
}
