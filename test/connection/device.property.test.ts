import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulate } from "../support/simulate.js";
import { worldChange } from "../support/world-changes.js";
import type { RootTable } from "../../src/device/api/root.js";

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

const second = fc.integer({ min: 0, max: 400 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ at: second, op: fc.constant("connect" as const), timeout: fc.integer({ min: 1, max: 90 }) }) },
  { weight: 1, arbitrary: fc.record({ at: second, op: fc.constant("connectSuspend" as const) }) },
  { weight: 2, arbitrary: fc.record({ at: second, op: fc.constant("disconnect" as const) }) },
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


/** A device program that runs the ops and records every violation of the callback rules it can see. */
function program(ops: Op[], violations: string[]) {
  let generation = 0;
  return (root: RootTable) => {
    const gen = ++generation;
    let policy = "SUSPEND_ON_ERROR";
    let inside = false;
    let pending: number[] = [];
    let nextId = 0;
    const called = new Set<number>();
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
            if (!connected) pending.push(id);
            inside = true;
            root.server.connect(() => {
              if (inside) violations.push("R05: callback inside connect()");
              if (gen !== generation) violations.push("an old program's callback ran");
              if (connected) violations.push("R09: callback for a connect made while connected");
              if (called.has(id)) violations.push("R08: two callbacks for one registration");
              if (pending.at(-1) !== id) violations.push("R08: a replaced callback was called");
              called.add(id);
              pending = [];
            }, o.timeout);
            inside = false;
            return;
          }
          case "connectSuspend":
            if (policy === "SUSPEND_ON_ERROR") void root.server.connect();
            return;
          case "disconnect":
            root.server.disconnect();
            pending = [];
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

describe("device-level properties on the simulator", () => {
  it("R05 R08 R09 R22 R20 random programs in a changing world never break the callback rules, and no timer outlives a restart", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 25 }),
        fc.array(worldChange, { maxLength: 8 }),
        fc.constantFrom<string[]>(["wifi"], ["ethernet", "wifi"], ["wifi", "cell"]),
        async (ops, events, interfaces) => {
          const violations: string[] = [];
          const run = await simulate(
            { duration: "12m", devices: [{ id: "dev", interfaces, wifi: { ssid: "home", key: "secret" } }], events: events.map((e) => ({ at: e.at * 1000, set: e.set })) },
            program(ops, violations),
          );
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
      { numRuns: 150 },
    );
  });
});
