import type { InterfaceType } from "../constants.js";
import type { Attempt, Policy } from "./state.js";

/** What can happen to a device's connection: program calls, network reports, timers. */
export type ConnEvent =
  | { type: "boot"; now: number }
  | { type: "programStart"; now: number }
  | {
      type: "connect";
      now: number;
      /** Callback handle, or null when the call has none (SUSPEND_ON_ERROR, or a send reconnecting, R21). */
      cb: number | null;
      api: "connect" | "connectwith";
      timeoutMs: number;
      /** connectwith's interface (R18). */
      iface?: InterfaceType;
      /** connectwith's wificonfig: for the attempt this call starts, never stored (R18). */
      wifi?: { ssid: string; key: string };
    }
  /** `why`: what a cancelled attempt's line says (server.disconnect() unless the command is ending the run). */
  | { type: "disconnect"; now: number; why?: string }
  | { type: "attemptEnded"; now: number; id: number; ok: boolean; reason: number }
  | { type: "lost"; now: number; reason: number }
  | { type: "sendTimedOut"; now: number }
  | { type: "wake"; now: number }
  | { type: "powerDown"; now: number }
  | { type: "setPolicy"; policy: Policy }
  | { type: "setSequence"; sequence: InterfaceType[] }
  | { type: "armWps"; armed: boolean };

/** What the driver must do. The machine itself does nothing. */
export type ConnEffect =
  | { type: "startAttempt"; attempt: Attempt }
  | { type: "setDeadline"; id: number; deadline: number }
  | { type: "abortAttempt"; id: number; iface: InterfaceType; why: string }
  | { type: "closeSession" }
  /** An attempt's outcome as the device reports it (after the R15 quirk). */
  | { type: "attemptReported"; id: number; iface: InterfaceType; reason: number }
  | { type: "connected"; iface: InterfaceType }
  /** `iface`: the interface the reason belongs to (1 is NO_LINK on Ethernet, NO_WIFI elsewhere). */
  | { type: "disconnected"; expected: boolean; reason?: number; iface: InterfaceType }
  | { type: "callback"; cb: number; api: "connect" | "connectwith"; reason: number; iface: InterfaceType }
  | { type: "unexpectedDisconnect"; reason: number; iface: InterfaceType }
  | { type: "suspend" }
  | { type: "resume" }
  /** R20's deep sleep: the driver wakes the machine with `wake` after `ms`. */
  | { type: "sleep"; ms: number }
  | { type: "startProgram"; cause: "cold" | "wake" };
