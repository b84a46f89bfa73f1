import { REASONS } from "./constants.js";
import * as C from "./constants.js";

/** The impOS releases impnet emulates (imp-connection.md §8). */
export const RELEASES = [28, 30, 34, 36, 38, 40, 42] as const;
export type Release = (typeof RELEASES)[number];
export const NEWEST_RELEASE: Release = 42;

/** What each release adds; a device has every feature whose release is <= its own. */
export const FEATURES = {
  defaultConnectTimeout: 30, // before: connect requires a timeout (R06)
  notConnectedName: 30, // NOT_CONNECTED defined (R13)
  proxy: 34, // imp.setproxy, NO_PROXY, NOT_AUTHORISED
  noLinkName: 34,
  netInfo: 34,
  wps: 36,
  noDisconnectPolicy: 38, // RETURN_ON_ERROR_NO_DISCONNECT, SEND_ERROR_WOULDBLOCK
  cellCodes: 40,
  sessionConnected: 40, // connected means the server answered (R14)
  networkManagement: 42, // setserverinterfaces, getserverinterfaces, connectwith
  cellDefaultTimeout: 42,
} as const satisfies Record<string, Release>;

export type Feature = keyof typeof FEATURES;

export function has(release: number, feature: Feature): boolean {
  return release >= FEATURES[feature];
}

export function isRelease(n: unknown): n is Release {
  return (RELEASES as readonly unknown[]).includes(n);
}

const constantsByRelease = new Map<number, Readonly<Record<string, number>>>();

/** The constants a device program's root table holds for a release (R02, R35). */
export function constantsFor(release: number): Readonly<Record<string, number>> {
  let table = constantsByRelease.get(release);
  if (table === undefined) {
    table = Object.freeze(buildConstants(release));
    constantsByRelease.set(release, table);
  }
  return table;
}

function buildConstants(release: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(REASONS)) {
    if (name === "NOT_CONNECTED" && !has(release, "notConnectedName")) continue;
    if (name === "NO_LINK" && !has(release, "noLinkName")) continue;
    if ((name === "NO_PROXY" || name === "NOT_AUTHORISED") && !has(release, "proxy")) continue;
    if (value >= C.NO_MODEM && !has(release, "cellCodes")) continue;
    out[name] = value;
  }
  out.SUSPEND_ON_ERROR = C.SUSPEND_ON_ERROR;
  out.RETURN_ON_ERROR = C.RETURN_ON_ERROR;
  if (has(release, "noDisconnectPolicy")) out.RETURN_ON_ERROR_NO_DISCONNECT = C.RETURN_ON_ERROR_NO_DISCONNECT;
  out.WAIT_TIL_SENT = C.WAIT_TIL_SENT;
  out.WAIT_FOR_ACK = C.WAIT_FOR_ACK;
  out.SEND_ERROR_NOT_CONNECTED = C.SEND_ERROR_NOT_CONNECTED;
  out.SEND_ERROR_TIMEOUT = C.SEND_ERROR_TIMEOUT;
  out.SEND_ERROR_DISCONNECTED = C.SEND_ERROR_DISCONNECTED;
  if (has(release, "noDisconnectPolicy")) out.SEND_ERROR_WOULDBLOCK = C.SEND_ERROR_WOULDBLOCK;
  if (has(release, "proxy")) out.PROXY_TYPE_HTTP = C.PROXY_TYPE_HTTP;
  out.CONFIG_WIFI = C.CONFIG_WIFI;
  if (has(release, "proxy")) out.CONFIG_PROXY = C.CONFIG_PROXY;
  out.CONFIG_STATIC_NETWORK = C.CONFIG_STATIC_NETWORK;
  out.ENVIRONMENT_CARD = C.ENVIRONMENT_CARD;
  out.ENVIRONMENT_MODULE = C.ENVIRONMENT_MODULE;
  out.ENVIRONMENT_AGENT = C.ENVIRONMENT_AGENT;
  return out;
}
