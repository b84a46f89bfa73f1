// Electric Imp's own ConnectionManager library, unmodified, through a server
// outage: lines logged while offline are replayed, time-stamped, once back.
// impnet never downloads: bring the library file and name its folder.
//   npx impnet sim examples/cm-library/scenario.yaml --libs /path/to/libs
// where /path/to/libs holds ConnectionManager.lib.nut@3.1.1 (or ConnectionManager.lib.nut),
// e.g. from a clone of github.com/electricimp/ConnectionManager.
#require "ConnectionManager.lib.nut:3.1.1"

cm <- ConnectionManager({
  "blinkupBehavior": CM_BLINK_NEVER,
  "stayConnected": true,
  "retryOnTimeout": true
});

cm.onConnect(function() { cm.log("connected at " + hardware.millis() + " ms"); });
cm.onDisconnect(function(expected) { cm.log("disconnected (" + (expected ? "asked" : "lost") + ")"); });

// Logged during the outage: ConnectionManager keeps it and sends it once back.
imp.wakeup(40, function() { cm.log("a reading taken while offline"); });
