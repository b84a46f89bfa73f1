// S1 S5: a Squirrel program and the same program in JavaScript give the same
// timeline, line for line, under random world changes: the language changes
// nothing of the connection's behaviour (one implementation of every rule).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RootTable } from "../../src/device/api/root.js";
import { squirrelFromText } from "../../src/programs/squirrel/load-squirrel.js";
import { squirrelDeviceProgram } from "../../src/programs/squirrel/squirrel-program.js";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { simulate } from "../support/simulate.js";
import { worldChange } from "../support/world-changes.js";
import type { Program } from "../support/simulate.js";

type Act =
  | { op: "connect"; timeout: number }
  | { op: "connectBlocking" }
  | { op: "disconnect" }
  | { op: "policy"; error: "SUSPEND_ON_ERROR" | "RETURN_ON_ERROR"; wait: "WAIT_TIL_SENT" | "WAIT_FOR_ACK" }
  | { op: "log"; text: string }
  | { op: "flush" }
  | { op: "throw" }
  | { op: "sleep"; seconds: number }
  | { op: "deepsleep"; seconds: number };

const act: fc.Arbitrary<Act> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("connect" as const), timeout: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("connectBlocking" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("disconnect" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("policy" as const),
      error: fc.constantFrom("SUSPEND_ON_ERROR" as const, "RETURN_ON_ERROR" as const),
      wait: fc.constantFrom("WAIT_TIL_SENT" as const, "WAIT_FOR_ACK" as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("log" as const), text: fc.constantFrom("a", "é", "line two") }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("flush" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("throw" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("sleep" as const), seconds: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deepsleep" as const), seconds: fc.integer({ min: 1, max: 90 }) }) },
);
const step = fc.record({ at: fc.integer({ min: 0, max: 300 }), act });


/** Runs one act in JavaScript; a blocking call's promise is the turn's result, as `await` would make it. */
function jsAct(root: RootTable, a: Act): unknown {
  const { server, imp } = root;
  switch (a.op) {
    case "connect":
      return server.connect((r) => void server.log(`cb ${r}`), a.timeout);
    case "connectBlocking":
      return server.connect();
    case "disconnect":
      return server.disconnect();
    case "policy":
      return server.setsendtimeoutpolicy(root[a.error] as number, root[a.wait] as number, 10);
    case "log":
      return server.log(a.text);
    case "flush":
      return server.flush(5);
    case "throw":
      throw new Error("boom");
    case "sleep":
      return imp.sleep(a.seconds);
    case "deepsleep":
      return imp.deepsleepfor(a.seconds);
  }
}

function nutAct(a: Act): string {
  switch (a.op) {
    case "connect":
      return `server.connect(function(r) { server.log("cb " + r); }, ${a.timeout});`;
    case "connectBlocking":
      return "server.connect();";
    case "disconnect":
      return "server.disconnect();";
    case "policy":
      return `server.setsendtimeoutpolicy(${a.error}, ${a.wait}, 10);`;
    case "log":
      return `server.log("${a.text}");`;
    case "flush":
      return "server.flush(5);";
    case "throw":
      return 'throw "boom";';
    case "sleep":
      return `imp.sleep(${a.seconds});`;
    case "deepsleep":
      return `imp.deepsleepfor(${a.seconds});`;
  }
}

function programs(steps: { at: number; act: Act }[]): { js: Program; nut: Program } {
  const js: Program = (root) => {
    for (const s of steps) root.imp.wakeup(s.at, () => jsAct(root, s.act));
  };
  const source = steps.map((s) => `imp.wakeup(${s.at}, function() { ${nutAct(s.act)} });`).join("\n");
  const entry = squirrelDeviceProgram(squirrelFromText(source, "random.nut"));
  return { js, nut: (root, host) => entry(root, host!) };
}

/** The stack differs by language (JavaScript's frames, Squirrel's): everything else must be equal. */
function comparable(events: readonly TimelineEvent[]): unknown[] {
  return events.map((e) => (e.type === "error" ? { ...e, stack: undefined } : e));
}

describe("S1 S5 a Squirrel program and its JavaScript twin give the same timeline under random world changes", () => {
  it("S1 S5 random programs, random worlds", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), fc.array(worldChange, { maxLength: 5 }), async (steps, events) => {
        const { js, nut } = programs(steps);
        const spec = { duration: "11m", events: events.map((e) => ({ at: e.at * 1000, set: e.set })) };
        const a = await simulate(spec, js);
        const b = await simulate(spec, nut);
        expect(comparable(b.events)).toEqual(comparable(a.events));
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
