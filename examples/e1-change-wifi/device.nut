// E1: change WiFi credentials and reconnect (the imp reference page's example).
// Walk a list of networks: flush, disconnect, store the next network's
// credentials and connect; on failure try the next; when all have failed,
// deep-sleep two minutes. An unexpected disconnect starts the walk again.

const FLUSH_TIMEOUT = 10;
const CONNECT_TIMEOUT = 30;

networks <- [
  { ssid = "home", key = "home-key" },
  { ssid = "cafe", key = "cafe-key" },
  { ssid = "office", key = "office-key" },
];

function tryNetwork(i) {
  if (i >= networks.len()) {
    imp.deepsleepfor(120);
    return;
  }
  local network = networks[i];
  if (server.isconnected()) server.flush(FLUSH_TIMEOUT);
  server.disconnect();
  imp.setwificonfiguration(network.ssid, network.key);
  server.connect(function(reason) {
    if (reason == SERVER_CONNECTED) server.log("online via " + network.ssid);
    else tryNetwork(i + 1);
  }, CONNECT_TIMEOUT);
}

server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
server.onunexpecteddisconnect(function(reason) { tryNetwork(0); });
if (!server.isconnected()) tryNetwork(0);
