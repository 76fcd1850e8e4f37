.pragma library

// The words for a meter's /Meters/N/State (docs/gx-app.md), and the reason after it when there is one.
const words = {
	"waiting": "Waiting for a reading",
	"fresh": "Fresh",
	"stale": "Stale",
	"rejected": "Rejected",
	"broker": "Broker not reachable",
	"settings": "A setting was refused",
	"stopped": "Stopped, restarting"
}

function describe(state, reason) {
	if (state === undefined || state === null || state === "")
		return "--"
	const text = words[state] !== undefined ? words[state] : String(state)
	return reason ? text + ": " + reason : text
}
