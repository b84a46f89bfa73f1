import type { AedesOptions, AuthenticateError, Client } from "aedes";
import { MAX_MESSAGE_BYTES } from "../constants.js";
import type { DeviceRegistry, Principal } from "./device-registry.js";
import { isServiceClientId, parseTopic, SERVICE_CLIENT_ID_SEPARATOR, topicFor } from "../wire/topics.js";

/** MQTT 3.1.1 CONNACK codes aedes sends for our refusals. */
const IDENTIFIER_REJECTED = 2;
const BAD_USERNAME_OR_PASSWORD = 4;

/** What a service user (an agent host) may subscribe to: whole partitions or channels of the impnet layout, never `#`. */
export const SERVICE_FILTER = /^impnet\/([0-9a-f]{2}|\+)\/\+\/(\+|log|msg|status|diag)$/;

/**
 * The largest `log`, `msg` or `cmd` payload: R33's limit as it travels (a
 * Uint8Array goes as base64, 4 bytes per 3) plus 4 KiB for the JSON around it.
 */
export const MAX_PAYLOAD_BYTES = Math.ceil(MAX_MESSAGE_BYTES / 3) * 4 + 4 * 1024;

/** The only payloads of `status`, and the only retained messages. */
const STATUS_PAYLOADS = new Set(["online", "offline"]);

/**
 * aedes hooks for authentication and per-device ACLs. A device (username =
 * client id = device id) may publish only to its own log, msg, status and diag
 * topics and subscribe only to its own cmd topic. A service user (an agent
 * host, client id `<name>:<suffix>`) may publish only to cmd topics and
 * subscribe to whole partitions. Only `status` (`online`/`offline`) may be
 * retained; other payloads are capped at MAX_PAYLOAD_BYTES.
 *
 * After a failed login the registry is re-read if its file changed, so that
 * `impnet device add` works while `impnet serve` runs.
 */
export function brokerAuth(
  registry: DeviceRegistry,
  /** Told of every refused login: the name it gave (never its secret) and why, for the operator. */
  onRefused: (client: Client, username: string | undefined, why: string) => void = () => {},
): Pick<AedesOptions, "authenticate" | "authorizePublish" | "authorizeSubscribe" | "authorizeForward"> {
  const principals = new WeakMap<Client, Principal>();
  const refuse = (code: number, message: string): AuthenticateError => {
    const e = new Error(message) as AuthenticateError;
    e.returnCode = code;
    return e;
  };
  const verify = (username: string | undefined, password: Buffer | undefined): Principal | null => {
    if (username === undefined) return null;
    // One stat per login: a device removed or rotated meanwhile (impnet device remove/rotate) is refused at once, not after a restart.
    registry.reloadIfChanged();
    return registry.verify(username, password);
  };
  return {
    authenticate(client, username, password, done) {
      let who: Principal | null;
      let idOk: boolean;
      try {
        who = verify(username, password);
        // A device's client id is its id: another one could otherwise take over its session.
        const prefix = who === null ? "" : `${who.id}${SERVICE_CLIENT_ID_SEPARATOR}`;
        idOk = who !== null && (who.kind === "device" ? client.id === who.id : client.id.length > prefix.length && client.id.startsWith(prefix));
      } catch {
        // Whatever went wrong, the answer is no, and the broker keeps serving.
        onRefused(client, username, "the registry could not be read");
        return done(refuse(BAD_USERNAME_OR_PASSWORD, "bad username or password"), false);
      }
      if (who === null) {
        onRefused(client, username, username === undefined || password === undefined ? "no credentials" : registry.knows(username) ? "wrong secret" : "unknown id");
        return done(refuse(BAD_USERNAME_OR_PASSWORD, "bad username or password"), false);
      }
      if (!idOk) {
        onRefused(client, username, `client id ${JSON.stringify(client.id)} does not match the user`);
        return done(refuse(IDENTIFIER_REJECTED, "client id does not match the user"), false);
      }
      principals.set(client, who);
      done(null, true);
    },
    authorizePublish(client, packet, callback) {
      const who = client === null ? undefined : principals.get(client);
      const t = parseTopic(packet.topic);
      const payload = typeof packet.payload === "string" ? Buffer.from(packet.payload) : packet.payload;
      const isStatus = t !== null && t.channel === "status";
      const payloadOk = isStatus ? STATUS_PAYLOADS.has(payload.toString("latin1")) : payload.length <= MAX_PAYLOAD_BYTES && packet.retain !== true;
      const allowed =
        who !== undefined &&
        t !== null &&
        payloadOk &&
        (who.kind === "device" ? t.deviceId === who.id && t.channel !== "cmd" : t.channel === "cmd");
      callback(allowed ? null : new Error(`publish to ${packet.topic} not allowed`));
    },
    // A device's report is the cloud's (report-watch.ts): an agent host subscribed to whole partitions is not sent it.
    authorizeForward(client, packet) {
      return packet.topic.endsWith("/diag") && isServiceClientId(client.id) ? null : packet;
    },
    authorizeSubscribe(client, subscription, callback) {
      const who = principals.get(client);
      const allowed =
        who !== undefined && (who.kind === "device" ? subscription.topic === topicFor(who.id, "cmd") : SERVICE_FILTER.test(subscription.topic));
      // A null subscription is a refusal in the SUBACK (0x80), the connection stays.
      callback(null, allowed ? subscription : null);
    },
  };
}
