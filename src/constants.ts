/** Reason codes (R01). Compare by name: values may change in a future release (R02). */
export const REASONS = {
  NOT_CONNECTED: 0,
  NO_WIFI: 1,
  NO_LINK: 1,
  NO_IP_ADDRESS: 2,
  NOT_RESOLVED: 3,
  NO_SERVER: 4,
  SERVER_CONNECTED: 5,
  NO_PROXY: 6,
  NOT_AUTHORISED: 7,
  NO_MODEM: 8,
  SIM_ERROR: 9,
  NO_REGISTRATION: 10,
  REGISTRATION_DENIED: 11,
  NO_PPP_CONNECTION: 12,
  PPP_NO_CONNECTIVITY: 13,
} as const;

export type ReasonName = keyof typeof REASONS;
export type Reason = (typeof REASONS)[ReasonName];

export const NOT_CONNECTED = 0;
export const NO_WIFI = 1;
export const NO_LINK = 1;
export const NO_IP_ADDRESS = 2;
export const NOT_RESOLVED = 3;
export const NO_SERVER = 4;
export const SERVER_CONNECTED = 5;
export const NO_PROXY = 6;
export const NOT_AUTHORISED = 7;
export const NO_MODEM = 8;
export const SIM_ERROR = 9;
export const NO_REGISTRATION = 10;
export const REGISTRATION_DENIED = 11;
export const NO_PPP_CONNECTION = 12;
export const PPP_NO_CONNECTIVITY = 13;

/** Send-timeout error policies (R03). */
export const SUSPEND_ON_ERROR = 0;
export const RETURN_ON_ERROR = 1;
export const RETURN_ON_ERROR_NO_DISCONNECT = 2;
export type ErrorPolicy = typeof SUSPEND_ON_ERROR | typeof RETURN_ON_ERROR | typeof RETURN_ON_ERROR_NO_DISCONNECT;

/** Wait policies (R03). */
export const WAIT_TIL_SENT = 0;
export const WAIT_FOR_ACK = 1;
export type WaitPolicy = typeof WAIT_TIL_SENT | typeof WAIT_FOR_ACK;

/** Send results (R24). */
export const SEND_OK = 0;
export const SEND_ERROR_NOT_CONNECTED = 1;
export const SEND_ERROR_TIMEOUT = 2;
export const SEND_ERROR_DISCONNECTED = 3;
export const SEND_ERROR_WOULDBLOCK = 4;

export const PROXY_TYPE_HTTP = 1;

/** imp.environment() (squirrel.md S1). */
export const ENVIRONMENT_CARD = 0;
export const ENVIRONMENT_MODULE = 1;
export const ENVIRONMENT_AGENT = 2;

/** imp.clearconfiguration actions (R31). */
export const CONFIG_WIFI = 1;
export const CONFIG_PROXY = 2;
export const CONFIG_STATIC_NETWORK = 4;

/** Name of a reason as the timeline prints it: 1 is NO_LINK on Ethernet, NO_WIFI elsewhere. */
export function reasonName(reason: number, interfaceType?: InterfaceType): string {
  if (reason === NO_WIFI) return interfaceType === "ethernet" ? "NO_LINK" : "NO_WIFI";
  return NAMES[reason] ?? `UNKNOWN_${reason}`;
}

/** Names by value (NO_LINK shares NO_WIFI's value and is picked by interface above). */
const NAMES: readonly (string | undefined)[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(REASONS)) names[value] ??= name;
  return names;
})();

export type InterfaceType = "wifi" | "ethernet" | "cell";
export type InterfaceId = "wl0" | "eth0" | "cell0";

export const INTERFACE_IDS: Readonly<Record<InterfaceType, InterfaceId>> = { wifi: "wl0", ethernet: "eth0", cell: "cell0" };
export const INTERFACE_TYPES: Readonly<Record<InterfaceId, InterfaceType>> = { wl0: "wifi", eth0: "ethernet", cell0: "cell" };
/** The legacy interface sequence (R16). */
export const DEFAULT_SEQUENCE: readonly InterfaceType[] = ["ethernet", "wifi", "cell"];

/** Largest agent/device message (R33). */
export const MAX_MESSAGE_BYTES = 256 * 1024;
