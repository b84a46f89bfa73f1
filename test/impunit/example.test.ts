// examples/impunit: a small Squirrel library of ours and its impUnit tests,
// run through `impnet test` as a user would: one meets an outage through
// impnet.world.set, one through a scenario.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const dir = fileURLToPath(new URL("../../examples/impunit/", import.meta.url));

async function impnetTest(...args: string[]) {
  let out = "";
  const code = await main(["node", "impnet", "test", "--config", path.join(dir, ".impt.test"), "--json", ...args], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (out += s) },
  });
  return { code, lines: out.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("T1 T3 examples/impunit through impnet test", () => {
  it("T1 T3 the library's tests pass, the outage one driven by impnet.world.set from inside the test", async () => {
    const r = await impnetTest();
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.type === "test").map((l) => [l.method, l.status])).toEqual([
      ["testKeepsReadingsWhileOfflineAndSendsThemAfter", "ok"],
      ["testSendsWhileConnected", "ok"],
      ["testTheAgentReceivesEveryReading", "ok"],
    ]);
    expect(r.lines.some((l) => l.type === "runtime-error" || l.type === "session-error")).toBe(false);
  });

  it("T3 the scenario test meets the outage outage.yaml schedules", async () => {
    const r = await impnetTest(path.join(dir, "scenario-tests"), "--scenario", path.join(dir, "outage.yaml"));
    expect(r.code).toBe(0);
    expect(r.lines.at(-1)).toEqual({ type: "summary", sessions: 1, tests: 1, assertions: 4, failures: 0 });
  });

  it("T1 T3 without its scenario the same test fails: its assertion, in a callback, is a runtime error that restarts the device and breaks the session", async () => {
    const r = await impnetTest(path.join(dir, "scenario-tests"));
    expect(r.code).toBe(1);
    expect(r.lines.filter((l) => l.type === "runtime-error").map((l) => l.message)).toEqual(["offline at 2m"]);
    expect(String(r.lines.find((l) => l.type === "session-error")?.message)).toMatch(/restarted \(after a runtime error\)/);
  });
});
