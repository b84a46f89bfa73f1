import type { Duplex } from "node:stream";
import { MqttClient } from "mqtt";
import { topicFor } from "../../wire/topics.js";

/** mqtt.js's connack timer would race our deadline; the attempt's deadline decides (R07). */
const NO_CONNACK_TIMER_MS = 2 ** 31 - 1;

/**
 * An mqtt.js client over a stream impnet opened itself (TCP, TLS, or a proxy
 * tunnel): mqtt.js never dials, never reconnects and runs no keepalive of its
 * own; impnet's keepalive (R27) sends the PINGREQs. The CONNECT still announces
 * `keepaliveS`, so any broker drops a device that vanished silently (after 1.5×
 * that) and publishes its last will "offline".
 */
export function deviceClient(stream: Duplex, deviceId: string, secret: string, keepaliveS: number): MqttClient {
  let built = false;
  const client = new MqttClient(
    () => {
      // A second call would be a reconnect, which impnet does itself with a new attempt.
      if (built) throw new Error("impnet: mqtt.js must not reconnect on its own");
      built = true;
      return stream;
    },
    {
      clientId: deviceId,
      // No secret: a CONNECT without credentials (impnet doctor without --id), which the server refuses having been reached.
      ...(secret === "" ? {} : { username: deviceId, password: secret }),
      protocolVersion: 4,
      clean: true,
      keepalive: keepaliveS,
      reconnectPeriod: 0,
      connectTimeout: NO_CONNACK_TIMER_MS,
      resubscribe: false,
      will: { topic: topicFor(deviceId, "status"), payload: Buffer.from("offline"), qos: 1, retain: true },
    },
  );
  // The constructor has written the CONNECT (with keepaliveS) already; from now
  // on mqtt.js must not start its own pinger when the CONNACK comes: impnet's
  // keepalive works differently (R27) and would race it. (Checked against mqtt 5.)
  client.options.keepalive = 0;
  return client;
}

export type ConnackResult = { ok: true } | { ok: false; detail: string };

/** Waits for the CONNACK (or the end of the connection); the raw refusal code goes into the detail. */
export function waitForConnack(client: MqttClient): Promise<ConnackResult> {
  return new Promise((resolve) => {
    const done = (r: ConnackResult) => {
      client.off("connect", onConnect);
      client.off("error", onError);
      client.off("close", onClose);
      resolve(r);
    };
    const onConnect = () => done({ ok: true });
    const onError = (e: Error & { code?: unknown }) =>
      done({ ok: false, detail: typeof e.code === "number" ? `CONNACK ${e.code} (${e.message})` : `MQTT: ${e.message}` });
    const onClose = () => done({ ok: false, detail: "the server closed the connection before CONNACK" });
    client.once("connect", onConnect);
    client.on("error", onError);
    client.once("close", onClose);
  });
}
