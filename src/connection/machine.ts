import { NO_SERVER, RETURN_ON_ERROR_NO_DISCONNECT, SERVER_CONNECTED, SUSPEND_ON_ERROR } from "../constants.js";
import type { InterfaceType } from "../constants.js";
import type { Effects } from "./effect-stack.js";
import type { ConnEffect, ConnEvent } from "./events.js";
import { DEFAULT_POLICY } from "./state.js";
import type { Attempt, ConnState, Mode } from "./state.js";
import { BOOT_WINDOW_CELL_MS, BOOT_WINDOW_MS, OFFLINE_SLEEP_MS, RETRY_WINDOW_MS, WPS_CAP_MS } from "./timing.js";

export interface StepResult {
  state: ConnState;
  effects: ConnEffect[];
}

export function initialState(sequence: InterfaceType[], options: { stickyNoServer?: boolean } = {}): ConnState {
  if (sequence.length === 0) throw new RangeError("a device needs at least one interface");
  return {
    phase: "idle",
    mode: "none",
    attempt: null,
    windowEnd: 0,
    slot: null,
    policy: DEFAULT_POLICY,
    suspended: false,
    restartOnConnect: false,
    sequence,
    current: 0,
    connectedIface: null,
    lastError: null,
    wpsArmed: false,
    stickyQuirk: options.stickyNoServer ?? false,
    stickyArmed: false,
    nextAttemptId: 1,
  };
}

export function currentInterface(s: ConnState): InterfaceType {
  return s.sequence[s.current % s.sequence.length]!;
}

/**
 * The connection state machine: (state, event) → (state, effects). Pure: it reads
 * no clock and runs nothing; `now` comes in the event, effects go out to a driver.
 */
export function step(state: ConnState, event: ConnEvent): StepResult {
  const s: ConnState = { ...state };
  return { state: s, effects: stepInPlace(s, event) };
}

/**
 * step() without the copy, for a driver that owns its state and drops the old
 * one anyway: a fleet steps millions of times. The same code, so the same rules.
 */
export function stepInPlace(s: ConnState, event: ConnEvent): ConnEffect[] {
  const fx: ConnEffect[] = [];
  stepInto(s, event, fx);
  return fx;
}

/** stepInPlace() that puts the effects where the driver says (an EffectStack it reuses): the same code, so the same rules. */
export function stepInto(s: ConnState, event: ConnEvent, fx: Effects): void {
  switch (event.type) {
    case "boot":
      s.mode = "boot";
      s.windowEnd = event.now + (currentInterface(s) === "cell" ? BOOT_WINDOW_CELL_MS : BOOT_WINDOW_MS);
      startAttempt(s, fx, event.now, s.windowEnd);
      break;

    case "programStart":
      // Every program start begins at the default policy with an empty slot (R03);
      // an attempt the old program asked for goes on, but its outcome reaches no one.
      s.policy = DEFAULT_POLICY;
      s.slot = null;
      s.suspended = false;
      s.restartOnConnect = false;
      // A recovery in progress goes on under the new program's default policy: it
      // suspends at the next failure (R20) rather than calling back (R22).
      if (s.mode === "program" || s.mode === "suspend") s.mode = "none";
      else if (s.mode === "recovery") s.mode = "suspend"; // same window
      break;

    case "setPolicy":
      s.policy = event.policy;
      break;

    case "setSequence":
      s.sequence = event.sequence;
      s.current = 0;
      break;

    case "armWps":
      s.wpsArmed = event.armed;
      break;

    case "connect":
      onConnect(s, fx, event);
      break;

    case "disconnect":
      if (s.phase === "attempting" && s.attempt !== null) {
        fx.push({ type: "abortAttempt", id: s.attempt.id, iface: s.attempt.iface, why: event.why ?? "cancelled by server.disconnect()" });
        s.attempt = null;
      } else if (s.phase === "connected") {
        fx.push({ type: "closeSession" }, { type: "disconnected", expected: true, iface: s.connectedIface! });
        s.connectedIface = null;
      }
      if (s.phase !== "sleeping") s.phase = "idle";
      s.mode = "none";
      s.slot = null;
      break;

    case "powerDown":
      if (s.attempt !== null) fx.push({ type: "abortAttempt", id: s.attempt.id, iface: s.attempt.iface, why: "the device went to sleep" });
      if (s.phase === "connected") fx.push({ type: "closeSession" }, { type: "disconnected", expected: true, iface: s.connectedIface! });
      s.phase = "idle";
      s.mode = "none";
      s.attempt = null;
      s.slot = null;
      s.connectedIface = null;
      break;

    case "attemptEnded":
      if (s.attempt === null || s.attempt.id !== event.id) break; // stale: the attempt was cancelled
      if (event.ok) onAttemptSucceeded(s, fx);
      else onAttemptFailed(s, fx, event.now, event.reason);
      break;

    case "lost":
      if (s.phase === "connected") onLost(s, fx, event.now, event.reason);
      break;

    case "sendTimedOut":
      // R24: RETURN_ON_ERROR drops the connection; _NO_DISCONNECT keeps it; SUSPEND suspends (R20).
      if (s.phase === "connected" && s.policy.error !== RETURN_ON_ERROR_NO_DISCONNECT) {
        fx.push({ type: "closeSession" });
        onLost(s, fx, event.now, NO_SERVER);
      }
      break;

    case "wake":
      if (s.phase === "sleeping") {
        s.phase = "idle";
        s.mode = "wake";
        s.windowEnd = event.now + RETRY_WINDOW_MS;
        startAttempt(s, fx, event.now, s.windowEnd);
      }
      break;
  }
}

function onConnect(s: ConnState, fx: Effects, e: Extract<ConnEvent, { type: "connect" }>): void {
  if (s.phase === "connected" || s.phase === "sleeping") return; // R09: nothing starts, no callback
  const returning = s.policy.error !== SUSPEND_ON_ERROR;
  const deadline = e.now + e.timeoutMs;

  if (s.phase === "attempting" && s.attempt !== null) {
    if (e.iface !== undefined && e.iface !== s.attempt.iface) {
      // connectwith names another interface: that attempt gives way to the one asked for.
      fx.push({ type: "abortAttempt", id: s.attempt.id, iface: s.attempt.iface, why: `superseded by connectwith(${e.iface})` });
      s.attempt = null;
      s.phase = "idle";
    } else {
      // R08/R23: join the attempt in progress; the earliest deadline applies.
      if (e.cb !== null) s.slot = { cb: e.cb, api: e.api };
      if (returning) {
        if (s.mode !== "program" && s.mode !== "suspend") s.mode = "program";
        if (deadline < s.attempt.deadline && !s.attempt.wps) {
          s.attempt = { ...s.attempt, deadline };
          fx.push({ type: "setDeadline", id: s.attempt.id, deadline });
        }
      } else {
        s.mode = "suspend";
        s.windowEnd = Infinity; // the window opens at the first failure (R20)
      }
      return;
    }
  }

  if (e.iface !== undefined) s.current = Math.max(0, s.sequence.indexOf(e.iface));
  if (e.cb !== null && returning) s.slot = { cb: e.cb, api: e.api };
  s.mode = returning ? "program" : "suspend";
  if (!returning) s.windowEnd = Infinity; // the window opens at the first failure (R20)
  startAttempt(s, fx, e.now, deadline, e.wifi);
}

function startAttempt(s: ConnState, fx: Effects, now: number, deadline: number, wifi?: { ssid: string; key: string }): void {
  const iface = currentInterface(s);
  const wps = s.wpsArmed && iface === "wifi";
  // R30: a program's WPS attempt ignores its timeout; impOS's own windows (boot, recovery, R20) still bound it.
  const wpsDeadline = s.mode === "program" || s.mode === "suspend" ? now + WPS_CAP_MS : Math.min(deadline, now + WPS_CAP_MS);
  const attempt: Attempt = { id: s.nextAttemptId++, iface, startedAt: now, deadline: wps ? wpsDeadline : deadline, wps };
  if (wifi !== undefined && iface === "wifi") attempt.wifi = wifi;
  if (wps) s.wpsArmed = false; // R30: success or failure disarms it
  s.attempt = attempt;
  s.phase = "attempting";
  fx.push({ type: "startAttempt", attempt });
}

function onAttemptSucceeded(s: ConnState, fx: Effects): void {
  const iface = s.attempt!.iface;
  fx.push({ type: "attemptReported", id: s.attempt!.id, iface, reason: SERVER_CONNECTED });
  s.phase = "connected";
  s.attempt = null;
  s.connectedIface = iface;
  s.lastError = null;
  s.stickyArmed = false;
  fx.push({ type: "connected", iface });
  const mode: Mode = s.mode;
  s.mode = "none";
  if (s.slot !== null) {
    fx.push({ type: "callback", cb: s.slot.cb, api: s.slot.api, reason: SERVER_CONNECTED, iface });
    s.slot = null;
  }
  if (mode === "boot") fx.push({ type: "startProgram", cause: "cold" });
  else if (s.restartOnConnect) {
    s.restartOnConnect = false;
    s.suspended = false;
    fx.push({ type: "startProgram", cause: "wake" });
  } else if (s.suspended) {
    s.suspended = false;
    fx.push({ type: "resume" });
  }
}

function onAttemptFailed(s: ConnState, fx: Effects, now: number, raw: number): void {
  const reason = s.stickyQuirk && s.stickyArmed ? NO_SERVER : raw; // R15
  if (reason === NO_SERVER && s.stickyQuirk) s.stickyArmed = true;
  const iface = s.attempt!.iface;
  fx.push({ type: "attemptReported", id: s.attempt!.id, iface, reason });
  s.attempt = null;
  s.phase = "idle";
  s.lastError = reason;
  s.current = (s.current + 1) % s.sequence.length; // R16

  if (s.slot !== null) {
    fx.push({ type: "callback", cb: s.slot.cb, api: s.slot.api, reason, iface });
    s.slot = null;
  }
  switch (s.mode) {
    case "program":
      s.mode = "none";
      return;
    case "boot":
      if (now < s.windowEnd) return startAttempt(s, fx, now, s.windowEnd);
      s.mode = "none";
      fx.push({ type: "startProgram", cause: "cold" }); // R25: the program starts offline
      return;
    case "recovery":
      if (now < s.windowEnd) return startAttempt(s, fx, now, s.windowEnd);
      s.mode = "none";
      if (s.policy.error !== SUSPEND_ON_ERROR) fx.push({ type: "unexpectedDisconnect", reason, iface }); // R22, R23
      return;
    case "suspend":
      if (!s.suspended) {
        s.suspended = true;
        fx.push({ type: "suspend" });
      }
      if (s.windowEnd === Infinity) s.windowEnd = now + RETRY_WINDOW_MS;
      if (now < s.windowEnd) return startAttempt(s, fx, now, s.windowEnd);
      return goToSleep(s, fx);
    case "wake":
      if (now < s.windowEnd) return startAttempt(s, fx, now, s.windowEnd);
      return goToSleep(s, fx);
    case "none":
      return;
  }
}

function goToSleep(s: ConnState, fx: Effects): void {
  // R20: back online after this sleep, the program starts from scratch.
  s.phase = "sleeping";
  s.mode = "none";
  s.restartOnConnect = true;
  fx.push({ type: "sleep", ms: OFFLINE_SLEEP_MS });
}

function onLost(s: ConnState, fx: Effects, now: number, reason: number): void {
  fx.push({ type: "disconnected", expected: false, reason, iface: s.connectedIface! });
  s.phase = "idle";
  s.connectedIface = null;
  s.lastError = reason;
  s.windowEnd = now + RETRY_WINDOW_MS;
  if (s.policy.error === SUSPEND_ON_ERROR) {
    s.mode = "suspend";
    s.suspended = true;
    fx.push({ type: "suspend" });
  } else {
    s.mode = "recovery";
  }
  startAttempt(s, fx, now, s.windowEnd);
}
