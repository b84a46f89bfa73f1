import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inlineScenario } from "../support/simulate.js";
import type { SimSpec } from "../support/simulate.js";
import { worldChange } from "../support/world-changes.js";
import type { RootTable } from "../../src/device/api/root.js";
import { Simulation } from "../../src/scenario/simulation.js";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { ArraySink } from "../../src/timeline/sinks.js";

type Op =
  | { at: number; op: "connect"; timeout: number }
  | { at: number; op: "connectSuspend" }
  | { at: number; op: "disconnect" }
  | { at: number; op: "policy"; error: "SUSPEND_ON_ERROR" | "RETURN_ON_ERROR" | "RETURN_ON_ERROR_NO_DISCONNECT"; wait: "WAIT_TIL_SENT" | "WAIT_FOR_ACK" }
  | { at: number; op: "log" }
  | { at: number; op: "throw" }
  | { at: number; op: "deepsleep"; seconds: number }
  /** Deep sleep, then go on acting in the same turn: none of it may happen. */
  | { at: number; op: "deepsleepThenAct"; seconds: number }
  /** A send in flight when the program dies. */
  | { at: number; op: "logThenThrow" };

/** Ops at seconds drawn from `second`; `connects` and `disconnects` weigh those calls against the others. */
const opAt = (second: fc.Arbitrary<number>, connects: number, disconnects: number): fc.Arbitrary<Op> => fc.oneof(
  { weight: connects, arbitrary: fc.record({ at: second, op: fc.constant("connect" as const), timeout: fc.integer({ min: 1, max: 90 }) }) },
  { weight: 1, arbitrary: fc.record({ at: second, op: fc.constant("connectSuspend" as const) }) },
  { weight: disconnects, arbitrary: fc.record({ at: second, op: fc.constant("disconnect" as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      at: second,
      op: fc.constant("policy" as const),
      error: fc.constantFrom("SUSPEND_ON_ERROR" as const, "RETURN_ON_ERROR" as const, "RETURN_ON_ERROR_NO_DISCONNECT" as const),
      wait: fc.constantFrom("WAIT_TIL_SENT" as const, "WAIT_FOR_ACK" as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ at: second, op: fc.constant("log" as const) }) },
  { weight: 1, arbitrary: fc.record({ at: second, op: fc.constant("throw" as const) }) },
  { weight: 1, arbitrary: fc.record({ at: second, op: fc.constant("deepsleep" as const), seconds: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 1, arbitrary: fc.record({ at: second, op: fc.constant("deepsleepThenAct" as const), seconds: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 1, arbitrary: fc.record({ at: second, op: fc.constant("logThenThrow" as const) }) },
);
const op = opAt(fc.integer({ min: 0, max: 400 }), 5, 2);
/**
 * For liveness: a busier program, so that callbacks do take the slot. It sets
 * RETURN_ON_ERROR as it starts (else connect() has no callback), then acts in
 * its first two minutes, with more connect() and disconnect() calls.
 */
const busyOps: fc.Arbitrary<Op[]> = fc
  .array(opAt(fc.integer({ min: 0, max: 120 }), 10, 5), { maxLength: 25, size: "max" })
  .map((ops) => [{ at: 0, op: "policy", error: "RETURN_ON_ERROR", wait: "WAIT_TIL_SENT" }, ...ops]);
/** World changes in the first three minutes, while the busy program acts. */
const earlyWorldChanges = fc.array(worldChange.map((e) => ({ ...e, at: 1 + (e.at % 180) })), { maxLength: 8 });

/** A connect() callback that took the slot (made while not connected), and what became of it. */
interface Registration {
  gen: number;
  id: number;
  /** Virtual ms of the connect() call, and of its timeout. */
  at: number;
  deadline: number;
  /** How many timeline lines there were at the call: its attempt's outcome is the first `attempt` line after. */
  line: number;
  calledAt?: number;
  /** Replaced by a later connect() (R08) or cancelled by disconnect() (R26) before its attempt's outcome. */
  dropped?: { how: "replaced" | "cancelled"; at: number };
}

/**
 * A device program that runs the ops and records every violation of the callback
 * rules it can see, and every registration. It reads the timeline (`lines`) only
 * to tell whether a pending callback's outcome has come: a callback runs on a
 * later turn (R05), so a connect() or disconnect() can run between an outcome and
 * its callback, and then replaces or cancels nothing (R08 and R26 are about
 * calls made before the outcome).
 */
function program(ops: Op[], violations: string[], lines: () => readonly TimelineEvent[], registrations: Registration[] = []) {
  let generation = 0;
  return (root: RootTable) => {
    const gen = ++generation;
    let policy = "SUSPEND_ON_ERROR";
    let inside = false;
    /** Registered callbacks that have neither run nor been dropped. */
    let pending: Registration[] = [];
    let nextId = 0;
    const called = new Set<number>();
    const outcomeCame = (r: Registration) => lines().slice(r.line).some((e) => e.type === "attempt" && e.device === "dev");
    const drop = (how: "replaced" | "cancelled") => {
      for (const r of pending) if (!outcomeCame(r)) r.dropped = { how, at: root.hardware.millis() };
      pending = pending.filter((r) => r.dropped === undefined);
    };
    root.server.onunexpecteddisconnect(() => {
      if (gen !== generation) violations.push("an old program's handler ran");
      if (policy === "SUSPEND_ON_ERROR") violations.push("R22: unexpected-disconnect callback under SUSPEND_ON_ERROR");
    });
    for (const o of ops) {
      root.imp.wakeup(o.at, () => {
        if (gen !== generation) violations.push("a timer outlived a program restart");
        switch (o.op) {
          case "connect": {
            if (policy === "SUSPEND_ON_ERROR") return;
            const id = nextId++;
            const connected = root.server.isconnected();
            let r: Registration | undefined;
            if (!connected) {
              drop("replaced");
              const at = root.hardware.millis();
              r = { gen, id, at, deadline: at + o.timeout * 1000, line: lines().length };
              pending.push(r);
              registrations.push(r);
            }
            inside = true;
            root.server.connect(() => {
              if (inside) violations.push("R05: callback inside connect()");
              if (gen !== generation) violations.push("an old program's callback ran");
              if (connected) violations.push("R09: callback for a connect made while connected");
              if (called.has(id)) violations.push("R08: two callbacks for one registration");
              if (r?.dropped !== undefined) violations.push(r.dropped.how === "replaced" ? "R08: a replaced callback was called" : "R26: a cancelled callback was called");
              called.add(id);
              if (r !== undefined) r.calledAt = root.hardware.millis();
              pending = pending.filter((p) => p !== r);
            }, o.timeout);
            inside = false;
            return;
          }
          case "connectSuspend":
            if (policy === "SUSPEND_ON_ERROR") void root.server.connect();
            return;
          case "disconnect":
            drop("cancelled"); // first: the disconnect's own abort writes an attempt line
            root.server.disconnect();
            return;
          case "policy":
            root.server.setsendtimeoutpolicy(root[o.error] as number, root[o.wait] as number, 5);
            policy = o.error;
            return;
          case "log":
            void root.server.log("x");
            return;
          case "throw":
            throw new Error("boom");
          case "deepsleep":
            root.imp.deepsleepfor(o.seconds);
            return;
          case "deepsleepThenAct":
            root.imp.deepsleepfor(o.seconds);
            root.imp.wakeup(1, () => violations.push("a timer set after deepsleepfor ran"));
            void root.server.log("after deepsleepfor");
            return;
          case "logThenThrow":
            void root.server.log("x");
            throw new Error("boom with a send in flight");
        }
      });
    }
  };
}

/**
 * Liveness, from the timeline: every registration's callback ran, by its
 * deadline (R08: the earliest pending one applies, so never later than its
 * own), unless it was replaced or cancelled first, or its program was frozen
 * or stopped before that deadline: suspended (R20; its callback then runs on
 * resuming), or stopped by a deep sleep or an error (it never runs; the
 * program starts again).
 */
function livenessViolations(registrations: Registration[], events: readonly TimelineEvent[], end: number): string[] {
  const out: string[] = [];
  for (const r of registrations) {
    const name = `callback ${r.gen}.${r.id} (connect() at ${r.at}, deadline ${r.deadline})`;
    // The registering program's lines, from its connect() call to the next program start.
    const since = events.slice(r.line).filter((e) => e.device === "dev");
    const boot = since.findIndex((e) => e.type === "boot");
    const program = boot === -1 ? since : since.slice(0, boot);
    const byDeadline = (e: TimelineEvent) => e.t <= r.deadline;
    const frozen = program.some((e) => byDeadline(e) && (e.type === "suspend" || e.type === "sleep" || e.type === "error"));
    const frozenForGood = program.some(
      (e, i) => byDeadline(e) && (e.type === "sleep" || e.type === "error" || (e.type === "suspend" && !program.slice(i + 1).some((later) => later.type === "resume"))),
    );
    if (r.calledAt !== undefined) {
      if (r.dropped !== undefined) out.push(`${name}: called at ${r.calledAt} though ${r.dropped.how} at ${r.dropped.at}`);
      else if (r.calledAt > r.deadline && !frozen) out.push(`${name}: called late, at ${r.calledAt}`);
    } else if (r.dropped !== undefined) {
      if (r.dropped.at > r.deadline && !frozen) out.push(`${name}: not called by its deadline, then ${r.dropped.how} at ${r.dropped.at}`);
    } else if (r.deadline < end && !frozenForGood) {
      out.push(`${name}: never called${frozen ? ", though its program ran again after being suspended" : ""}`);
    }
  }
  return out;
}

/** A late report from the network: `pick` chooses among the attempts that are no longer current. */
interface StaleReport {
  at: number;
  pick: number;
  ok: boolean;
}

/**
 * simulate() with the network also reporting, at the given seconds, on attempts
 * that are no longer current (cancelled, superseded or already reported). Each
 * such report must change nothing (R08, R26): not the connection state, not the
 * timeline, and no callback runs.
 */
async function simulateWithStaleReports(spec: SimSpec, entry: (root: RootTable) => unknown, stale: StaleReport[], violations: string[], sink: ArraySink) {
  const sim = await Simulation.create(inlineScenario(spec), { sink, programFor: () => entry });
  const device = sim.devices[0]!;
  let reported = 0;
  for (const { at, pick, ok } of stale)
    sim.clock.setTimer(at * 1000, () => {
      const ids = Array.from({ length: device.conn.nextAttemptId - 1 }, (_, i) => i + 1).filter((id) => id !== device.conn.attempt?.id);
      if (ids.length === 0) return;
      const id = ids[pick % ids.length]!;
      const before = structuredClone(device.conn);
      const lines = sink.events.length;
      device.attemptEnded(id, ok ? { ok: true, reason: 5, layers: [] } : { ok: false, reason: 4, layer: "tcp", detail: "a late report", layers: [] });
      reported++;
      if (!isDeepStrictEqual(device.conn, before)) violations.push(`R08 R26: a late report for attempt ${id} at ${at} s changed the connection state`);
      if (sink.events.length !== lines) violations.push(`R08 R26: a late report for attempt ${id} at ${at} s wrote ${JSON.stringify(sink.events.slice(lines))}`);
    });
  await sim.run();
  return { events: sink.events, end: sim.scenario.durationMs, reported };
}

describe("device-level properties on the simulator", () => {
  const interfacesArb = fc.constantFrom<string[]>(["wifi"], ["ethernet", "wifi"], ["wifi", "cell"]);
  const staleArb = fc.array(fc.record({ at: fc.integer({ min: 1, max: 700 }), pick: fc.nat(), ok: fc.boolean() }), { maxLength: 8 });
  const spec = (events: { at: number; set: Record<string, unknown> }[], interfaces: string[]): SimSpec => ({
    duration: "12m",
    devices: [{ id: "dev", interfaces, wifi: { ssid: "home", key: "secret" } }],
    events: events.map((e) => ({ at: e.at * 1000, set: e.set })),
  });

  it("R05 R08 R09 R22 R20 R26 random programs in a changing world, with late reports on stale attempts, never break the callback rules, and no timer outlives a restart", async () => {
    let reported = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 25, size: "max" }),
        fc.array(worldChange, { maxLength: 8 }),
        interfacesArb,
        staleArb,
        async (ops, events, interfaces, stale) => {
          const violations: string[] = [];
          const sink = new ArraySink();
          const run = await simulateWithStaleReports(spec(events, interfaces), program(ops, violations, () => sink.events), stale, violations, sink);
          reported += run.reported;
          expect(violations).toEqual([]);
          // between a deep sleep and the next program start, the program does nothing (R20, R25)
          let asleep = false;
          for (const e of run.events) {
            if (e.type === "sleep") asleep = true;
            else if (e.type === "boot") asleep = false;
            else if (asleep) expect(["log", "callback", "message"], `${e.type} at ${e.t} while asleep`).not.toContain(e.type);
          }
        },
      ),
      { seed: 11, numRuns: 150 },
    );
    expect(reported, "late reports were made").toBeGreaterThan(150);
  });

  it("R08 R26 R20 every connect() callback that took the slot runs exactly once, by its deadline, unless replaced, cancelled by disconnect(), or its program froze or stopped first", async () => {
    const seen = { called: 0, replaced: 0, cancelled: 0 };
    await fc.assert(
      fc.asyncProperty(
        busyOps,
        earlyWorldChanges,
        interfacesArb,
        staleArb,
        async (ops, events, interfaces, stale) => {
          const violations: string[] = [];
          const registrations: Registration[] = [];
          const sink = new ArraySink();
          const run = await simulateWithStaleReports(spec(events, interfaces), program(ops, violations, () => sink.events, registrations), stale, violations, sink);
          expect(violations).toEqual([]);
          expect(livenessViolations(registrations, run.events, run.end)).toEqual([]);
          for (const r of registrations) {
            if (r.calledAt !== undefined) seen.called++;
            else if (r.dropped !== undefined) seen[r.dropped.how]++;
          }
        },
      ),
      { seed: 12, numRuns: 150 },
    );
    // The runs did exercise each way a registration ends.
    expect(seen.called).toBeGreaterThan(100);
    expect(seen.replaced).toBeGreaterThan(20);
    expect(seen.cancelled).toBeGreaterThan(20);
  });
});
