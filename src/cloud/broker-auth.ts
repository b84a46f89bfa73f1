import type { AedesOptions, AuthenticateError, Client } from "aedes";
import type { DeviceRegistry, Principal } from "./device-registry.js";
import { parseTopic, topicFor } from "./topics.js";

/** MQTT 3.1.1 CONNACK codes aedes sends for our refusals. */
const IDENTIFIER_REJECTED = 2;
const BAD_USERNAME_OR_PASSWORD = 4;

/** An agent host's subscription: one partition (or all) of the layout. */
const SERVICE_FILTER = /^impnet\/([0-9a-f]{2}|\+)\/\+\/(\+|log|msg|status)$/;

/**
 * aedes hooks for authentication and per-device ACLs. A device (username =
 * client id = device id) may publish only to its own log, msg and status
 * topics and subscribe only to its own cmd topic. A service user (an agent
 * host, client id starting with `<name>-`) may publish only to cmd topics and
 * subscribe to whole partitions.
 */
export function brokerAuth(registry: DeviceRegistry): Pick<AedesOptions, "authenticate" | "authorizePublish" | "authorizeSubscribe"> {
  const principals = new WeakMap<Client, Principal>();
  const refuse = (code: number, message: string): AuthenticateError => {
    const e = new Error(message) as AuthenticateError;
    e.returnCode = code;
    return e;
  };
  return {
    authenticate(client, username, password, done) {
      const who = username === undefined ? null : registry.verify(username, password);
      if (who === null) return done(refuse(BAD_USERNAME_OR_PASSWORD, "bad username or password"), false);
      // A device's client id is its id: another one could otherwise take over its session.
      const idOk = who.kind === "device" ? client.id === who.id : client.id.startsWith(`${who.id}-`);
      if (!idOk) return done(refuse(IDENTIFIER_REJECTED, "client id does not match the user"), false);
      principals.set(client, who);
      done(null, true);
    },
    authorizePublish(client, packet, callback) {
      const who = client === null ? undefined : principals.get(client);
      const t = parseTopic(packet.topic);
      const allowed =
        who !== undefined &&
        t !== null &&
        (who.kind === "device" ? t.deviceId === who.id && t.channel !== "cmd" : t.channel === "cmd");
      callback(allowed ? null : new Error(`publish to ${packet.topic} not allowed`));
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
