import * as C from "../../constants.js";
import { InvalidStateError } from "../../errors.js";
import { has } from "../../releases.js";
import type { Device } from "../device.js";
import { checkFunction, checkObject, checkOneOf, checkPositiveSeconds, checkSecret, checkString } from "./check.js";
import { interfaceType } from "./interfaces.js";
import { logText } from "../../wire/message.js";

export type ConnectCallback = (reason: number) => unknown;

/**
 * Members are function properties, not methods: none uses `this`, and programs
 * may take them off the object (`const { log } = server`).
 */
export interface ServerApi {
  /**
   * SUSPEND_ON_ERROR: no arguments; the promise resolves once connected (R04).
   * RETURN_ON_ERROR: the callback gets the outcome on a later turn (R05). A
   * callback passed under SUSPEND_ON_ERROR is ignored with a warning, and the
   * call then blocks as the first form does.
   */
  connect: {
    (): Promise<void>;
    (callback: ConnectCallback, timeout?: number): void;
  };
  connectwith?: (nic: unknown, callback: ConnectCallback, timeout?: number) => void;
  disconnect: () => void;
  isconnected: () => boolean;
  /** A number at once, or a promise where the imp would block (R36). */
  log: (message: unknown) => number | Promise<number>;
  error: (message: unknown) => number | Promise<number>;
  flush: (timeout: number) => Promise<boolean>;
  setsendtimeoutpolicy: (errorPolicy: number, waitPolicy: number, timeout: number) => void;
  onunexpecteddisconnect: (callback: ConnectCallback | null) => void;
  /** Deep sleep for `seconds` (the older name of imp.deepsleepfor). */
  sleepfor: (seconds: number) => void;
  /** Restarts the program (boot cause `cold`; nv survives). */
  restart: () => void;
}

/** The `server` object of a device's root table: argument checks and release gating only. */
export function buildServer(device: Device): ServerApi {
  const errorPolicies = has(device.release, "noDisconnectPolicy")
    ? [C.SUSPEND_ON_ERROR, C.RETURN_ON_ERROR, C.RETURN_ON_ERROR_NO_DISCONNECT]
    : [C.SUSPEND_ON_ERROR, C.RETURN_ON_ERROR];
  const policyNames = has(device.release, "noDisconnectPolicy")
    ? "SUSPEND_ON_ERROR, RETURN_ON_ERROR, RETURN_ON_ERROR_NO_DISCONNECT"
    : "SUSPEND_ON_ERROR, RETURN_ON_ERROR";

  const timeoutArg = (api: string, timeout: unknown, iface?: C.InterfaceType): number => {
    if (timeout === undefined) {
      if (!has(device.release, "defaultConnectTimeout")) throw new InvalidStateError(api, `timeout is required before release 30 (this device runs ${device.release})`);
      return device.defaultTimeoutMs(iface);
    }
    checkPositiveSeconds(api, "timeout", timeout);
    return timeout * 1000;
  };

  const send = (api: string, text: unknown, error: boolean) => device.sends.send({ kind: "log", text: logText(api, text), error });

  const connect = (callback?: unknown, timeout?: unknown): Promise<void> | undefined => {
    device.live("server.connect");
    if (device.policy.error === C.SUSPEND_ON_ERROR) {
      if (callback !== undefined || timeout !== undefined)
        device.emit({ type: "warning", text: "server.connect: callback and timeout are ignored under SUSPEND_ON_ERROR" });
      return device.connectBlocking();
    }
    checkFunction("server.connect", "callback", callback);
    const ms = timeoutArg("server.connect", timeout);
    device.connectReturning("connect", callback as ConnectCallback, ms);
    return undefined;
  };

  const server: ServerApi = {
    connect: connect as ServerApi["connect"],
    disconnect() {
      device.live("server.disconnect");
      device.disconnect();
    },
    isconnected() {
      return device.connected;
    },
    log(message: unknown) {
      device.live("server.log");
      return send("server.log", message, false);
    },
    error(message: unknown) {
      device.live("server.error");
      return send("server.error", message, true);
    },
    flush(timeout: unknown) {
      device.live("server.flush");
      checkPositiveSeconds("server.flush", "timeout", timeout);
      return device.sends.flush(timeout * 1000);
    },
    setsendtimeoutpolicy(errorPolicy: unknown, waitPolicy: unknown, timeout: unknown) {
      device.live("server.setsendtimeoutpolicy");
      const api = "server.setsendtimeoutpolicy";
      checkOneOf(api, "errorPolicy", errorPolicy, errorPolicies, policyNames);
      checkOneOf(api, "waitPolicy", waitPolicy, [C.WAIT_TIL_SENT, C.WAIT_FOR_ACK], "WAIT_TIL_SENT, WAIT_FOR_ACK");
      checkPositiveSeconds(api, "timeout", timeout);
      device.setPolicy({ error: errorPolicy as C.ErrorPolicy, wait: waitPolicy as C.WaitPolicy, timeoutS: timeout });
    },
    onunexpecteddisconnect(callback: unknown) {
      device.live("server.onunexpecteddisconnect");
      if (callback !== null) checkFunction("server.onunexpecteddisconnect", "callback", callback);
      device.onUnexpectedDisconnect(callback as ConnectCallback | null);
    },
    sleepfor(seconds: unknown) {
      device.live("server.sleepfor");
      checkPositiveSeconds("server.sleepfor", "seconds", seconds);
      device.deepSleep(seconds);
    },
    restart() {
      device.live("server.restart");
      device.restartProgram();
    },
  };

  if (has(device.release, "networkManagement")) {
    server.connectwith = (nic: unknown, callback: unknown, timeout?: unknown) => {
      const api = "server.connectwith";
      device.live(api);
      if (device.policy.error === C.SUSPEND_ON_ERROR) throw new InvalidStateError(api, "allowed only under RETURN_ON_ERROR or RETURN_ON_ERROR_NO_DISCONNECT (R18)");
      checkObject(api, "nic", nic);
      const iface = interfaceType(api, "nic.interface", nic.interface, device.model.interfaces);
      let wifi: { ssid: string; key: string } | undefined;
      if (nic.wificonfig !== undefined) {
        checkObject(api, "nic.wificonfig", nic.wificonfig);
        checkString(api, "nic.wificonfig.ssid", nic.wificonfig.ssid, 32);
        checkSecret(api, "nic.wificonfig.key", nic.wificonfig.key ?? "", 64);
        wifi = { ssid: nic.wificonfig.ssid, key: (nic.wificonfig.key as string | undefined) ?? "" };
      }
      for (const opt of ["proxyconfig", "staticconfig", "cellconfig"] as const)
        if (nic[opt] !== undefined) checkObject(api, `nic.${opt}`, nic[opt]);
      checkFunction(api, "callback", callback);
      const ms = timeoutArg(api, timeout, iface);
      device.connectReturning("connectwith", callback as ConnectCallback, ms, iface, wifi);
    };
  }
  return server;
}
