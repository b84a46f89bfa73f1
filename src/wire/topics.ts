/**
 * The MQTT topic layout shared by devices, agent hosts and the broker's ACL:
 *
 *   impnet/<partition>/<deviceId>/<channel>
 *
 * `partition` is fnv1a32(deviceId) % 64 as two lowercase hex digits. Agent
 * hosts own sets of partitions, so each device is always served by the same
 * host on any broker (aedes has no shared subscriptions; mosquitto's are
 * round-robin per message, which would scatter an agent's state).
 */
export const TOPIC_ROOT = "impnet";
export const PARTITIONS = 64;

/** `diag`: a device's own account of its connection (its attempts and why they failed), for the cloud's dashboard. */
export type Channel = "log" | "msg" | "cmd" | "status" | "diag";
export const CHANNELS: readonly Channel[] = ["log", "msg", "cmd", "status", "diag"];

/** A device id usable as one topic level: no MQTT wildcards or separators. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Why a string is not a device id, without repeating it: what is typed where
 * an id belongs is sometimes a secret pasted by mistake, and errors get logged.
 */
export function badIdReason(id: string): string {
  const rule = "an id is 1-64 of A-Z a-z 0-9 . _ -";
  if (id.length === 0) return `it is empty (${rule})`;
  if (id.length > 64) return `it is ${id.length} characters long (${rule})`;
  const wrong = [...new Set(id.replace(/[A-Za-z0-9._-]/g, ""))].map((c) => JSON.stringify(c)).join(", ");
  return `it contains ${wrong} (${rule})`;
}

/**
 * Separates a service user's name from the rest of its client id
 * (`<service>:<suffix>`). A device id cannot contain it, so no service client
 * id is a device's: a service user cannot take over a device's session.
 */
export const SERVICE_CLIENT_ID_SEPARATOR = ":";

/** Whether a logged-in client is a service user: a device id cannot hold the separator. */
export function isServiceClientId(clientId: string): boolean {
  return clientId.includes(SERVICE_CLIENT_ID_SEPARATOR);
}

/** A client id for a service user (an agent host): `<service>:<suffix>`. */
export function serviceClientId(service: string, suffix: string): string {
  return `${service}${SERVICE_CLIENT_ID_SEPARATOR}${suffix}`;
}

export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function partitionOf(deviceId: string): string {
  return (fnv1a32(deviceId) % PARTITIONS).toString(16).padStart(2, "0");
}

export function topicFor(deviceId: string, channel: Channel): string {
  return `${TOPIC_ROOT}/${partitionOf(deviceId)}/${deviceId}/${channel}`;
}

/** The subscription an agent host makes for one partition it owns. */
export function partitionFilter(partition: string): string {
  return `${TOPIC_ROOT}/${partition}/+/+`;
}

/** All partitions, "00" to "3f". */
export function allPartitions(): string[] {
  return Array.from({ length: PARTITIONS }, (_, i) => i.toString(16).padStart(2, "0"));
}

/** Splits a topic of the layout; null when it is not one (wrong root, partition or channel). */
export function parseTopic(topic: string): { partition: string; deviceId: string; channel: Channel } | null {
  const parts = topic.split("/");
  if (parts.length !== 4 || parts[0] !== TOPIC_ROOT) return null;
  const [, partition, deviceId, channel] = parts as [string, string, string, string];
  if (!DEVICE_ID_PATTERN.test(deviceId) || partitionOf(deviceId) !== partition) return null;
  if (!(CHANNELS as readonly string[]).includes(channel)) return null;
  return { partition, deviceId, channel: channel as Channel };
}
