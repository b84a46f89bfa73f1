import { DEFAULT_SEQUENCE, INTERFACE_IDS } from "../../constants.js";
import type { InterfaceType } from "../../constants.js";
import { InvalidStateError } from "../../errors.js";
import { has } from "../../releases.js";
import type { Device } from "../device.js";
import { InvalidArgumentError } from "../../errors.js";
import { interfaceType } from "./interfaces.js";

export interface NetInfo {
  interface: { type: InterfaceType; id: string; ssid?: string }[];
  active?: number;
  ipv4?: { address?: string; proxy?: { address: string; port: number; type: "http"; user?: string } };
  lasterror?: number;
}

export interface NetApi {
  info: () => NetInfo;
  configurewps?: (pin?: string) => void;
  setserverinterfaces?: (ids: unknown) => void;
  getserverinterfaces?: () => string[];
}

/** `imp.net` (R17, R19, R30). */
export function buildNet(device: Device): NetApi {
  const net: NetApi = {
    info() {
      const ifaces = device.model.interfaces;
      const info: NetInfo = {
        interface: ifaces.map((type) => {
          const entry: NetInfo["interface"][number] = { type, id: INTERFACE_IDS[type] };
          if (type === "wifi" && device.model.wifi !== undefined) entry.ssid = device.model.wifi.ssid;
          return entry;
        }),
      };
      const active = device.conn.connectedIface;
      if (active !== null) info.active = ifaces.indexOf(active);
      const proxy = device.model.proxy;
      if (active !== null || proxy !== undefined) {
        info.ipv4 = {};
        // A network that knows addresses (the host stack) gives the real one or none; the simulator makes one up per device.
        const address = "address" in device.link ? device.link.address : simulatedAddress(device.model.id);
        if (active !== null && address !== undefined) info.ipv4.address = address;
        if (proxy !== undefined) {
          // R29: never the password.
          info.ipv4.proxy = { address: proxy.host, port: proxy.port, type: "http" };
          if (proxy.user !== undefined) info.ipv4.proxy.user = proxy.user;
        }
      }
      if (active === null && device.conn.lastError !== null) info.lasterror = device.conn.lastError;
      return info;
    },
  };

  if (has(device.release, "wps")) {
    net.configurewps = (pin?: unknown) => {
      const api = "imp.net.configurewps";
      device.live(api);
      if (!device.model.interfaces.includes("wifi")) throw new InvalidStateError(api, "this device has no WiFi");
      if (device.link.wps === false) throw new InvalidStateError(api, "WPS is not available on this network (the host stack cannot press a router's button): store the network with imp.setwificonfiguration");
      if (pin !== undefined && (typeof pin !== "string" || !/^\d{8}$/.test(pin)))
        throw new InvalidArgumentError(api, "pin", "8 decimal digits", pin);
      device.armWps();
    };
  }

  if (has(device.release, "networkManagement")) {
    net.setserverinterfaces = (ids: unknown) => {
      const api = "imp.net.setserverinterfaces";
      device.live(api);
      if (!Array.isArray(ids)) throw new InvalidArgumentError(api, "ids", "an array of interface ids", ids);
      const types = ids.map((id, i) => interfaceType(api, `ids[${i}]`, id, device.model.interfaces));
      if (types.length === 0) {
        device.setSequence(legacySequence(device), null);
        return;
      }
      const given: string[] = [];
      const sequence: InterfaceType[] = [];
      types.forEach((t, i) => {
        if (sequence.includes(t)) return; // duplicates are dropped
        sequence.push(t);
        given.push(ids[i] as string);
      });
      for (const t of legacySequence(device)) if (!sequence.includes(t)) sequence.push(t);
      device.setSequence(sequence, given);
    };
    net.getserverinterfaces = () => {
      const given = device.givenInterfaces ?? [];
      const rest = device.conn.sequence.slice(given.length);
      return [...given, ...rest];
    };
  }
  return net;
}

function legacySequence(device: Device): InterfaceType[] {
  return DEFAULT_SEQUENCE.filter((t) => device.model.interfaces.includes(t));
}

/** A stable private address for the simulated device. */
function simulatedAddress(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${(h & 253) + 2}`;
}
