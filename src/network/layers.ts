import * as C from "../constants.js";
import type { InterfaceType } from "../constants.js";

/** The layers an attempt walks (R10) and the code each fails with. */
export type LayerName =
  | "wps"
  | "wifi"
  | "link"
  | "ip"
  | "dns"
  | "proxy"
  | "tcp"
  | "tls"
  | "session"
  | "modem"
  | "sim"
  | "registration"
  | "ppp"
  | "internet";

export const LAYER_REASON: Readonly<Record<LayerName, number>> = {
  wps: C.NO_WIFI,
  wifi: C.NO_WIFI,
  link: C.NO_LINK,
  ip: C.NO_IP_ADDRESS,
  dns: C.NOT_RESOLVED,
  proxy: C.NO_PROXY,
  tcp: C.NO_SERVER,
  tls: C.NO_SERVER,
  session: C.NO_SERVER,
  modem: C.NO_MODEM,
  sim: C.SIM_ERROR,
  registration: C.NO_REGISTRATION,
  ppp: C.NO_PPP_CONNECTION,
  internet: C.PPP_NO_CONNECTIVITY,
};

const sequences: (readonly LayerName[] | undefined)[] = [];
const IFACE_INDEX: Readonly<Record<InterfaceType, number>> = { wifi: 0, ethernet: 1, cell: 2 };

/** The layers of one attempt, in order (shared, read-only: attempts are many, kinds few). */
export function layersFor(iface: InterfaceType, options: { proxy: boolean; wps: boolean; session: boolean }): readonly LayerName[] {
  const key = IFACE_INDEX[iface] * 8 + Number(options.proxy) * 4 + Number(options.wps) * 2 + Number(options.session);
  return (sequences[key] ??= Object.freeze(buildLayers(iface, options)));
}

function buildLayers(iface: InterfaceType, options: { proxy: boolean; wps: boolean; session: boolean }): LayerName[] {
  const server: LayerName[] = options.session ? ["tcp", "tls", "session"] : ["tcp", "tls"];
  const proxy: LayerName[] = options.proxy ? ["proxy"] : [];
  switch (iface) {
    case "wifi":
      return [...(options.wps ? (["wps"] as const) : []), "wifi", "ip", "dns", ...proxy, ...server];
    case "ethernet":
      return ["link", "ip", "dns", ...proxy, ...server];
    case "cell":
      return ["modem", "sim", "registration", "ppp", "internet", "dns", ...server];
  }
}

/** A code the device's release does not know is reported as NOT_CONNECTED (R01, R13). */
export function reasonForRelease(reason: number, release: number): number {
  if (reason >= C.NO_MODEM && release < 40) return C.NOT_CONNECTED;
  if ((reason === C.NO_PROXY || reason === C.NOT_AUTHORISED) && release < 34) return C.NOT_CONNECTED;
  return reason;
}
