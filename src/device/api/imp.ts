import type { Wakeup } from "../event-loop.js";
import * as C from "../../constants.js";
import { has } from "../../releases.js";
import type { Device } from "../device.js";
import { checkFunction, checkInteger, checkNonNegativeSeconds, checkOneOf, checkPositiveSeconds, checkSecret, checkString } from "./check.js";
import { InvalidArgumentError } from "../../errors.js";
import type { NetApi } from "./net.js";
import { buildNet } from "./net.js";

export interface ImpApi {
  wakeup: (seconds: number, callback: () => unknown) => Wakeup;
  cancelwakeup: (handle: Wakeup) => void;
  onidle: (callback: (() => unknown) | null) => void;
  deepsleepfor: (seconds: number) => void;
  enableblinkup: (on: boolean) => void;
  setwificonfiguration: (ssid: string, key: string) => void;
  setproxy?: (type: number, address: string, port: number, username?: string, password?: string) => void;
  clearconfiguration: (action?: number) => void;
  getsoftwareversion: () => string;
  /** Blocks the program for `seconds` (S5): the event loop is frozen meanwhile. */
  sleep: (seconds: number) => Promise<void>;
  setsendbuffersize: (bytes: number) => number;
  getmacaddress: () => string;
  environment: () => number;
  configparams: Record<string, string>;
  net?: NetApi;
}

/** The `imp` object of a device's root table. */
export function buildImp(device: Device): ImpApi {
  const imp: ImpApi = {
    wakeup(seconds: unknown, callback: unknown) {
      device.live("imp.wakeup");
      checkNonNegativeSeconds("imp.wakeup", "seconds", seconds);
      checkFunction("imp.wakeup", "callback", callback);
      return device.loop.wakeup(seconds * 1000, callback);
    },
    cancelwakeup(handle: unknown) {
      device.live("imp.cancelwakeup");
      device.loop.cancel(handle);
    },
    onidle(callback: unknown) {
      device.live("imp.onidle");
      if (callback !== null) checkFunction("imp.onidle", "callback", callback);
      device.setIdle(callback);
    },
    deepsleepfor(seconds: unknown) {
      device.live("imp.deepsleepfor");
      checkPositiveSeconds("imp.deepsleepfor", "seconds", seconds);
      device.deepSleep(seconds);
    },
    enableblinkup(on: unknown) {
      device.live("imp.enableblinkup");
      if (typeof on !== "boolean") throw new InvalidArgumentError("imp.enableblinkup", "on", "a boolean", on);
      device.blinkup = on;
    },
    setwificonfiguration(ssid: unknown, key: unknown) {
      device.live("imp.setwificonfiguration");
      checkString("imp.setwificonfiguration", "ssid", ssid, 32);
      checkSecret("imp.setwificonfiguration", "key", key, 64);
      device.model.wifi = { ssid, key }; // R28: used from the next connection
    },
    clearconfiguration(action?: unknown) {
      device.live("imp.clearconfiguration");
      const all = C.CONFIG_WIFI | C.CONFIG_STATIC_NETWORK | (has(device.release, "proxy") ? C.CONFIG_PROXY : 0);
      if (action !== undefined) checkInteger("imp.clearconfiguration", "action", action, 1, all);
      const what = (action) ?? all;
      if ((what & ~all) !== 0) throw new InvalidArgumentError("imp.clearconfiguration", "action", "CONFIG_WIFI, CONFIG_PROXY or CONFIG_STATIC_NETWORK", action);
      if (what & C.CONFIG_WIFI) delete device.model.wifi;
      if (what & C.CONFIG_PROXY) delete device.model.proxy;
    },
    getsoftwareversion() {
      return `impnet-emulated impOS release ${device.release}`;
    },
    sleep(seconds: unknown) {
      device.live("imp.sleep");
      checkNonNegativeSeconds("imp.sleep", "seconds", seconds);
      const epoch = device.loop.epoch;
      // A program that stopped meanwhile (error, deep sleep, restart) never wakes: its stack is dropped.
      return device.block(
        () =>
          new Promise<void>((resolve) =>
            device.clock.setTimer(seconds * 1000, () => {
              if (device.loop.epoch === epoch) device.settle(resolve, undefined);
            }),
          ),
      );
    },
    setsendbuffersize(bytes: unknown) {
      device.live("imp.setsendbuffersize");
      checkInteger("imp.setsendbuffersize", "bytes", bytes, 1, 1 << 24);
      const before = device.sendBufferSize;
      device.sendBufferSize = bytes;
      return before;
    },
    getmacaddress() {
      return macAddress(device.model.id);
    },
    environment() {
      return C.ENVIRONMENT_MODULE;
    },
    configparams: {},
  };
  if (has(device.release, "proxy")) {
    imp.setproxy = (type: unknown, address: unknown, port: unknown, username?: unknown, password?: unknown) => {
      const api = "imp.setproxy";
      device.live(api);
      checkOneOf(api, "type", type, [C.PROXY_TYPE_HTTP], "PROXY_TYPE_HTTP");
      checkString(api, "address", address, 64);
      if (address.length === 0) throw new InvalidArgumentError(api, "address", "a non-empty string", address);
      checkInteger(api, "port", port, 0, 65535);
      if (username !== undefined && username !== null) checkString(api, "username", username, 32);
      if (password !== undefined && password !== null) checkSecret(api, "password", password, 32); // R29: never echoed
      const proxy: NonNullable<typeof device.model.proxy> = { host: address, port };
      if (typeof username === "string") proxy.user = username;
      if (typeof password === "string") proxy.password = password;
      device.model.proxy = proxy; // R29: applied from the next connection
    };
  }
  if (has(device.release, "netInfo")) imp.net = buildNet(device);
  return imp;
}

/** A stable MAC address per device id under Electric Imp's prefix 0c:2a:69 (12 hex digits, as the imp gives it). */
export function macAddress(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return "0c2a69" + (h & 0xffffff).toString(16).padStart(6, "0");
}
