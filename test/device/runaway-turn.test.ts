import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/virtual-clock.js";
import { runGuarded, runTurn } from "../../src/clock/turn-guard.js";
import type { TurnOwner } from "../../src/clock/turn-guard.js";
import { AgentRuntime } from "../../src/cloud/agent-runtime.js";
import { RunawayTurnError } from "../../src/errors.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { at, simulate } from "../support/simulate.js";

/** Loops until the watchdog stops it: what a runaway program does. */
function spin(): never {
  for (;;);
}

function owner(): TurnOwner & { stopped: RunawayTurnError[] } {
  const stopped: RunawayTurnError[] = [];
  return { stopped, runaway: (e) => void stopped.push(e) };
}

describe("the turn watchdog", () => {
  it("stops a turn that never returns and tells its owner, with a stable code; the caller goes on", () => {
    const o = owner();
    const result = runTurn(o, () => spin(), 50);
    expect(result).toBeUndefined();
    // The caller goes on, and so does the next turn: nothing of the stop is left behind.
    expect(runTurn(o, () => "next", 50)).toBe("next");
    expect(o.stopped).toHaveLength(1);
    expect(o.stopped[0]).toBeInstanceOf(RunawayTurnError);
    expect(o.stopped[0]!.code).toBe("IMPNET_RUNAWAY_TURN");
    expect(o.stopped[0]!.stack).not.toMatch(/turn-guard/); // the watchdog's frames say nothing about the program
  });

  it("a program cannot catch its own stop: its catch and finally blocks do not run", () => {
    const o = owner();
    const ran: string[] = [];
    runTurn(
      o,
      () => {
        try {
          spin();
        } catch {
          ran.push("catch");
        } finally {
          ran.push("finally");
        }
      },
      50,
    );
    expect(ran).toEqual([]);
    expect(o.stopped).toHaveLength(1);
  });

  it("in a guarded stretch, the turn running when time is up is the one blamed, even inside another's", () => {
    const outer = owner();
    const inner = owner();
    runGuarded(() => {
      runTurn(outer, () => {});
      runTurn(outer, () => runTurn(inner, () => spin()));
    }, 50);
    expect(inner.stopped).toHaveLength(1);
    expect(outer.stopped).toEqual([]);
    // Nothing is left marked: a later stall outside any turn is the stretch's own, and says so.
    expect(() => runGuarded(() => spin(), 50)).toThrow(RunawayTurnError);
  });

  it("returns what the turn returns and lets a turn's own errors through untouched", () => {
    const o = owner();
    expect(runTurn(o, () => 42, 1000)).toBe(42);
    expect(runTurn(o, () => "plain")).toBe("plain");
    const boom = new Error("boom");
    expect(() =>
      runTurn(
        o,
        () => {
          throw boom;
        },
        1000,
      ),
    ).toThrow(boom);
    expect(o.stopped).toEqual([]);
  });
});

describe("a runaway program turn", () => {
  it("on the simulator is a program error after the turn limit: an error line, the program restarts 10 s later, the simulation goes on", async () => {
    let boots = 0;
    const run = await simulate({ duration: "1m" }, (root) => {
      boots++;
      const nth = boots;
      at(root, 20, () => void root.server.log(`alive after boot ${nth}`));
      if (nth === 1) at(root, 5, () => spin());
    }, {}, { turnLimitMs: 100 });
    const [error, ...more] = run.of("error");
    expect(more).toEqual([]);
    expect(error).toMatchObject({ t: 5000, text: expect.stringMatching(/ran for 0\.1 s in one turn without returning/) as unknown });
    expect(run.of("boot").map((b) => [b.cause, b.t])).toEqual([
      ["cold", expect.any(Number) as unknown],
      ["error", 15_000],
    ]);
    // The first program's later timer died with it; the second program's runs.
    expect(run.of("log").map((l) => [l.text, l.t])).toEqual([["alive after boot 2", 20_000]]);
  });

  it("in an agent on the simulator is an agent error; the agent goes on handling messages", async () => {
    const run = await simulate(
      { duration: "1m", devices: [{ id: "dev", agent: "agent.mjs" }] },
      (root) => {
        at(root, 5, () => root.agent.send("spin", null));
        at(root, 10, () => root.agent.send("ping", 1));
      },
      {
        dev: ({ device, server }) => {
          device.on("spin", () => spin());
          device.on("ping", (n) => server.log(`pong ${String(n)}`));
        },
      },
      { turnLimitMs: 100 },
    );
    expect(run.of("error").map((e) => e.text)).toEqual([expect.stringMatching(/^agent: the program ran for 0\.1 s in one turn/) as unknown]);
    expect(run.of("log").map((l) => l.text)).toEqual(["pong 1"]);
  });

  it("an agent whose main() never returns (it runs while the simulation is made) is stopped too, and the devices still boot", async () => {
    const run = await simulate(
      { duration: "30s", devices: [{ id: "dev", agent: "agent.mjs" }] },
      (root) => void root.server.log("device up"),
      { dev: () => spin() },
      { turnLimitMs: 100 },
    );
    expect(run.of("error").map((e) => e.text)).toEqual([expect.stringMatching(/^agent: the program ran for 0\.1 s in one turn/) as unknown]);
    expect(run.of("log").map((l) => l.text)).toEqual(["device up"]);
  });

  it("in an agent host's runtime (the real stack's) is stopped by the turn's own watchdog", () => {
    const clock = new VirtualClock();
    const sink = new ArraySink();
    const agent = new AgentRuntime("dev", clock, sink, { toDevice: () => false }, { turnLimitMs: 50 });
    agent.start(({ device }) => device.on("spin", () => spin()));
    agent.deliver("spin", null);
    clock.advance(1);
    expect(sink.events.filter((e) => e.type === "error").map((e) => (e as { text: string }).text)).toEqual([expect.stringMatching(/^agent: the program ran for 0\.05 s/) as unknown]);
  });
});
