import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { initialState, step } from "../../src/connection/machine.js";
import type { ConnEvent } from "../../src/connection/events.js";
import type { ConnState } from "../../src/connection/state.js";
import type { InterfaceType } from "../../src/constants.js";

/** What the world or the program can do next, abstractly; made concrete against the current state. */
type Action =
  | { kind: "connect"; timeoutS: number; iface: InterfaceType | null }
  | { kind: "connectSuspend" }
  | { kind: "disconnect" }
  | { kind: "policy"; error: 0 | 1 | 2 }
  | { kind: "attemptOk" }
  | { kind: "attemptFail"; reason: number }
  /** The network reports on an attempt that is no longer current: which of the earlier ones, and what. */
  | { kind: "stale"; pick: number; ok: boolean; reason: number }
  | { kind: "lost"; reason: number }
  | { kind: "sendTimedOut" }
  | { kind: "wake" }
  | { kind: "programStart" }
  | { kind: "powerDown" }
  | { kind: "sequence"; seq: InterfaceType[] }
  | { kind: "wps" }
  | { kind: "time"; ms: number };

const ifaces: InterfaceType[] = ["ethernet", "wifi", "cell"];
const failReason = fc.integer({ min: 0, max: 13 }).filter((r) => r !== 5);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("connect" as const), timeoutS: fc.integer({ min: 1, max: 120 }), iface: fc.option(fc.constantFrom(...ifaces), { nil: null }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "connectSuspend" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "disconnect" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("policy" as const), error: fc.constantFrom(0 as const, 1 as const, 2 as const) }) },
  { weight: 4, arbitrary: fc.constant({ kind: "attemptOk" as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("attemptFail" as const), reason: failReason }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("stale" as const), pick: fc.nat(), ok: fc.boolean(), reason: failReason }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("lost" as const), reason: fc.constantFrom(1, 4) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "sendTimedOut" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "wake" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "programStart" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "powerDown" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("sequence" as const), seq: fc.shuffledSubarray(ifaces, { minLength: 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "wps" as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("time" as const), ms: fc.integer({ min: 0, max: 70_000 }) }) },
);

interface Ledger {
  registered: number[]; // callbacks that took the slot, in registration order
  called: Set<number>;
  /** Callbacks that must never run: replaced in the slot (R08), cancelled by disconnect() (R26), or their program gone (a program start). */
  replaced: Set<number>;
  startedAttempts: Set<number>;
  endedAttempts: Set<number>;
}

/** How the last attempt ends, when a run is checked for liveness. */
interface Outcome {
  ok: boolean;
  reason: number;
}

/**
 * Runs actions through the pure machine and checks every invariant after each
 * step. With `last`, then ends the attempt in progress with that outcome and
 * checks liveness: every callback that took the slot has run, exactly once,
 * unless it had to be dropped.
 */
function check(actions: Action[], sticky: boolean, last?: Outcome): void {
  let s: ConnState = initialState(["ethernet", "wifi", "cell"], { stickyNoServer: sticky });
  let now = 0;
  let nextCb = 1;
  const ledger: Ledger = { registered: [], called: new Set(), replaced: new Set(), startedAttempts: new Set(), endedAttempts: new Set() };

  const run = (e: ConnEvent) => {
    const before = s;
    const { state, effects } = step(s, e);
    for (const fx of effects) {
      switch (fx.type) {
        case "callback":
          expect(e.type, "a callback never comes out of the connect call itself (R05)").not.toBe("connect");
          expect(ledger.called.has(fx.cb), "one callback per outcome (R08)").toBe(false);
          expect(ledger.replaced.has(fx.cb), "a replaced callback is never called (R08)").toBe(false);
          ledger.called.add(fx.cb);
          break;
        case "unexpectedDisconnect":
          expect(state.policy.error, "no unexpected-disconnect callback under SUSPEND_ON_ERROR (R22)").not.toBe(0);
          break;
        case "startAttempt":
          expect(ledger.startedAttempts.has(fx.attempt.id)).toBe(false);
          for (const id of ledger.startedAttempts) expect(ledger.endedAttempts.has(id), "one attempt at a time").toBe(true);
          ledger.startedAttempts.add(fx.attempt.id);
          expect(fx.attempt.deadline).toBeGreaterThanOrEqual(now);
          break;
        case "attemptReported":
        case "abortAttempt":
          expect(ledger.endedAttempts.has(fx.id), "an attempt ends once").toBe(false);
          ledger.endedAttempts.add(fx.id);
          break;
      }
    }
    if (e.type === "connect" && before.phase === "connected")
      expect(effects, "connect while connected starts nothing and calls nothing (R09)").toEqual([]);
    expect(state.phase === "attempting").toBe(state.attempt !== null);
    expect(state.phase === "connected").toBe(state.connectedIface !== null);
    if (state.phase === "connected") expect(state.lastError).toBeNull();
    // Liveness, step by step: a callback in the slot always has an attempt whose outcome will reach it.
    if (state.slot !== null) expect(state.attempt, `callback ${state.slot.cb} waits on no attempt (R08)`).not.toBeNull();
    s = state;
  };

  for (const a of actions) {
    switch (a.kind) {
      case "time":
        now += a.ms;
        break;
      case "connect": {
        if (s.policy.error === 0) break;
        const cb = nextCb++;
        const previous = s.slot?.cb;
        const e: ConnEvent = { type: "connect", now, cb, api: a.iface === null ? "connect" : "connectwith", timeoutMs: a.timeoutS * 1000 };
        if (a.iface !== null) e.iface = a.iface;
        const phase = s.phase;
        run(e);
        if (previous !== undefined && s.slot?.cb !== previous) ledger.replaced.add(previous);
        // R08: the call takes the one slot; R09: not when already connected (nor while asleep, R20), and then it never runs.
        const registers = phase !== "connected" && phase !== "sleeping";
        expect(s.slot?.cb === cb, `connect() in phase ${phase}`).toBe(registers);
        if (registers) ledger.registered.push(cb);
        else ledger.replaced.add(cb);
        break;
      }
      case "connectSuspend":
        if (s.policy.error === 0) run({ type: "connect", now, cb: null, api: "connect", timeoutMs: 60_000 });
        break;
      case "disconnect":
        if (s.slot !== null) ledger.replaced.add(s.slot.cb); // R26: its callback never runs
        run({ type: "disconnect", now });
        break;
      case "policy":
        run({ type: "setPolicy", policy: { error: a.error, wait: 0, timeoutS: 30 } });
        break;
      case "attemptOk":
      case "attemptFail":
        if (s.attempt !== null) {
          now = Math.max(now, Math.min(s.attempt.deadline, now + 100));
          run({ type: "attemptEnded", now, id: s.attempt.id, ok: a.kind === "attemptOk", reason: a.kind === "attemptOk" ? 5 : a.reason });
        }
        break;
      case "stale": {
        // R08 R26: an outcome for an attempt that is no longer current (cancelled, superseded, or
        // already reported) reaches no callback, starts nothing and changes nothing.
        const stale = [...ledger.startedAttempts].filter((id) => id !== s.attempt?.id);
        if (stale.length === 0) break;
        const id = stale[a.pick % stale.length]!;
        const { state, effects } = step(s, { type: "attemptEnded", now, id, ok: a.ok, reason: a.ok ? 5 : a.reason });
        expect(effects, `stale attempt ${id}`).toEqual([]);
        expect(state, `stale attempt ${id}`).toEqual(s);
        break;
      }
      case "lost":
        run({ type: "lost", now, reason: a.reason });
        break;
      case "sendTimedOut":
        run({ type: "sendTimedOut", now });
        break;
      case "wake":
        run({ type: "wake", now });
        break;
      case "programStart":
        if (s.slot !== null) ledger.replaced.add(s.slot.cb); // the old program's callbacks are gone
        run({ type: "programStart", now });
        break;
      case "powerDown":
        if (s.slot !== null) ledger.replaced.add(s.slot.cb);
        run({ type: "powerDown", now });
        break;
      case "sequence":
        run({ type: "setSequence", sequence: a.seq });
        break;
      case "wps":
        run({ type: "armWps", armed: true });
        break;
    }
  }
  if (last === undefined) return;
  // The network ends the attempt in progress (the driver's deadline would, at the latest).
  if (s.attempt !== null) run({ type: "attemptEnded", now, id: s.attempt.id, ok: last.ok, reason: last.ok ? 5 : last.reason });
  expect(s.slot, "the slot is empty once the attempt has ended").toBeNull();
  for (const cb of ledger.registered)
    expect(ledger.called.has(cb) ? "called" : ledger.replaced.has(cb) ? "dropped" : "never called", `callback ${cb}`).not.toBe("never called");
}

describe("connection state machine properties", () => {
  it("R05 R08 R09 R22 R26 never: a callback inside connect, two per outcome, a replaced callback, a callback when already connected, an unexpected-disconnect callback under SUSPEND_ON_ERROR, any effect of a stale attempt's outcome", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 80, size: "max" }), fc.boolean(), (actions, sticky) => check(actions, sticky)),
      { seed: 8, numRuns: 1000 },
    );
  });

  it("R08 R26 every callback that took the slot runs exactly once, unless replaced, cancelled by disconnect() or dropped by a program start (stale outcomes included)", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 80, size: "max" }), fc.boolean(), fc.record({ ok: fc.boolean(), reason: failReason }), (actions, sticky, last) => check(actions, sticky, last)),
      { seed: 9, numRuns: 1000 },
    );
  });

  it("R08 R26 a stale outcome is ignored: after disconnect() cancels an attempt, its late report calls nothing, and the next attempt's callback still runs once", () => {
    let s = step(initialState(["wifi"]), { type: "setPolicy", policy: { error: 1, wait: 0, timeoutS: 30 } }).state;
    s = step(s, { type: "connect", now: 0, cb: 1, api: "connect", timeoutMs: 10_000 }).state;
    const cancelled = s.attempt!.id;
    s = step(s, { type: "disconnect", now: 10 }).state;
    s = step(s, { type: "connect", now: 20, cb: 2, api: "connect", timeoutMs: 10_000 }).state;
    const late = step(s, { type: "attemptEnded", now: 30, id: cancelled, ok: true, reason: 5 });
    expect(late.effects).toEqual([]);
    expect(late.state).toEqual(s);
    const { effects } = step(late.state, { type: "attemptEnded", now: 40, id: s.attempt!.id, ok: false, reason: 4 });
    expect(effects.filter((e) => e.type === "callback")).toEqual([{ type: "callback", cb: 2, api: "connect", reason: 4, iface: "wifi" }]);
  });

  it("R08 the first outcome goes to the most recently registered callback", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 10 }), fc.boolean(), (timeouts, ok) => {
        let s = step(initialState(["wifi"]), { type: "setPolicy", policy: { error: 1, wait: 0, timeoutS: 30 } }).state;
        timeouts.forEach((t, i) => (s = step(s, { type: "connect", now: i, cb: i + 1, api: "connect", timeoutMs: t * 1000 }).state));
        expect(s.attempt!.deadline).toBe(Math.min(...timeouts.map((t, i) => i + t * 1000)));
        const { effects } = step(s, { type: "attemptEnded", now: 100, id: s.attempt!.id, ok, reason: ok ? 5 : 4 });
        expect(effects.filter((e) => e.type === "callback")).toEqual([{ type: "callback", cb: timeouts.length, api: "connect", reason: ok ? 5 : 4, iface: "wifi" }]);
      }),
      { seed: 10, numRuns: 200 },
    );
  });

  it("R16 after any failure the next attempt uses the next interface, wrapping round", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(ifaces, { minLength: 1 }), fc.integer({ min: 1, max: 10 }), (seq, failures) => {
        let s = step(initialState(seq), { type: "setPolicy", policy: { error: 1, wait: 0, timeoutS: 30 } }).state;
        const used: InterfaceType[] = [];
        for (let i = 0; i < failures; i++) {
          s = step(s, { type: "connect", now: i, cb: i + 1, api: "connect", timeoutMs: 1000 }).state;
          used.push(s.attempt!.iface);
          s = step(s, { type: "attemptEnded", now: i, id: s.attempt!.id, ok: false, reason: 4 }).state;
        }
        expect(used).toEqual(Array.from({ length: failures }, (_, i) => seq[i % seq.length]));
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
