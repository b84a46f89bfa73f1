// E1: change WiFi credentials and reconnect (the imp reference page's example).
// Walk a list of networks: flush, disconnect, store the next network's
// credentials and connect; on failure try the next; when all have failed,
// deep-sleep two minutes. An unexpected disconnect starts the walk again.
import { reasonName } from "impnet";

const NETWORKS = [
  { ssid: "home", key: "home-key" },
  { ssid: "cafe", key: "cafe-key" },
  { ssid: "office", key: "office-key" },
];

export default function main({ server, imp, SERVER_CONNECTED, RETURN_ON_ERROR, WAIT_TIL_SENT }) {
  server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);

  const tryNetwork = async (i) => {
    if (i >= NETWORKS.length) {
      imp.deepsleepfor(120);
      return;
    }
    const { ssid, key } = NETWORKS[i];
    if (server.isconnected()) await server.flush(10);
    server.disconnect();
    imp.setwificonfiguration(ssid, key);
    server.connect((reason) => {
      if (reason === SERVER_CONNECTED) server.log(`online via ${ssid}`);
      else {
        server.log(`${ssid}: ${reasonName(reason, "wifi")}`); // lost: we are offline, kept for the timeline's sake
        tryNetwork(i + 1);
      }
    }, 30);
  };

  server.onunexpecteddisconnect(() => tryNetwork(0));
  if (!server.isconnected()) tryNetwork(0);
}
