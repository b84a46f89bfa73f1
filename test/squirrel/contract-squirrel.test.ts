// The connection contract suite once more, with the device programs written in
// Squirrel (S1, S5): the same rules hold whatever language the program is in.
// The harness is the root table's `h` (h.world, h.report, h.done, h.dropSession).
import { describe, expect, it } from "vitest";
import * as C from "../../src/constants.js";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import { squirrelFromText } from "../../src/programs/squirrel/load-squirrel.js";
import { squirrelAgentProgram, squirrelDeviceProgram } from "../../src/programs/squirrel/squirrel-program.js";
import type { ContractProgram } from "../host/contract-backends.js";
import { simBackend } from "../host/contract-backends.js";

function nut(code: string): ContractProgram {
  const entry = squirrelDeviceProgram(squirrelFromText(code, "contract.nut"));
  return (root, h, host) => {
    // The device's own root with `h` beside its APIs (the release's constants stay on its prototype).
    const withHarness = Object.assign(Object.create(Object.getPrototypeOf(root) as object) as typeof root, root, { h });
    return entry(withHarness, host);
  };
}

const returning = (timeoutS: number, condition: string) =>
  nut(`
    server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
    server.disconnect();
    h.world("${condition}");
    local inside = true;
    server.connect(function(reason) {
      h.report({ reason = reason, inside = inside });
      h.done();
    }, ${timeoutS});
    inside = false;
  `);

describe("S1 S5 the connection contract with Squirrel programs, on the simulator", () => {
  const backend = simBackend;

  it("R04 S5 under SUSPEND_ON_ERROR connect() blocks the Squirrel stack until connected, mid-expression", async () => {
    const run = await backend.run(
      nut(`
        server.disconnect();
        local before = server.isconnected();
        local r = [before, server.connect(), server.isconnected()];
        h.report(r);
        h.done();
      `),
    );
    expect(run.reports).toEqual([[false, null, true]]);
  });

  it("R05 R10 RETURN_ON_ERROR: the callback gets SERVER_CONNECTED on a later turn", async () => {
    const run = await backend.run(returning(5, "healthy"));
    expect(run.reports).toEqual([{ reason: C.SERVER_CONNECTED, inside: false }]);
  });

  it.each([
    ["R10 a refused server port", "refused", 5, C.NO_SERVER],
    ["R07 R10 a server that never answers, at the deadline", "silent", 0.3, C.NO_SERVER],
    ["R10 a server name with no DNS record", "nxdomain", 5, C.NOT_RESOLVED],
    ["R11 a proxy refusing the password", "proxyWrongPassword", 5, C.NOT_AUTHORISED],
    ["R12 a server refusing the session", "sessionRefused", 5, C.NO_SERVER],
  ] as const)("%s", async (_name, condition, timeoutS, reason) => {
    const run = await backend.run(returning(timeoutS, condition));
    expect(run.reports).toEqual([{ reason, inside: false }]);
    expect(run.events.filter((e) => e.type === "attempt").at(-1)).toMatchObject({ reason });
  });

  it("R06 a bad timeout under RETURN_ON_ERROR throws a catchable error and changes nothing", async () => {
    const run = await backend.run(
      nut(`
        server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
        foreach (bad in [0, -1, 0.0]) {
          try { server.connect(function(r) {}, bad); } catch (e) { h.report(typeof e); }
        }
        h.report(server.isconnected());
        h.done();
      `),
    );
    expect(run.reports).toEqual(["string", "string", "string", true]);
  });

  it("R08 a second connect replaces the callback; the first is never called", async () => {
    const run = await backend.run(
      nut(`
        server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
        server.disconnect();
        server.connect(function(r) { h.report(["first", r]); }, 5);
        server.connect(function(r) { h.report(["second", r]); imp.wakeup(0.2, function() { h.done(); }); }, 5);
      `),
    );
    expect(run.reports).toEqual([["second", C.SERVER_CONNECTED]]);
  });

  it("R09 connect() while connected starts nothing and never calls back", async () => {
    const run = await backend.run(
      nut(`
        server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
        server.connect(function(r) { h.report(r); }, 5);
        imp.wakeup(0.5, function() { h.report("end"); h.done(); });
      `),
    );
    expect(run.reports).toEqual(["end"]);
  });

  it("R26 disconnect() during an attempt cancels it: no callback; isconnected() false at once", async () => {
    const run = await backend.run(
      nut(`
        server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
        server.disconnect();
        h.report(server.isconnected());
        h.world("silent");
        server.connect(function(r) { h.report(r); }, 5);
        server.disconnect();
        imp.wakeup(0.5, function() { h.report("end"); h.done(); });
      `),
    );
    expect(run.reports).toEqual([false, "end"]);
  });

  it("R24 a send while disconnected under RETURN_ON_ERROR returns SEND_ERROR_NOT_CONNECTED", async () => {
    const run = await backend.run(
      nut(`
        server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
        server.disconnect();
        h.report(server.log("lost"));
        h.report(agent.send("lost", 1));
        h.done();
      `),
    );
    expect(run.reports).toEqual([C.SEND_ERROR_NOT_CONNECTED, C.SEND_ERROR_NOT_CONNECTED]);
  });

  it("R32 S5 WAIT_FOR_ACK: a log blocks and returns 0 once acknowledged; flush() blocks and is true", async () => {
    const run = await backend.run(
      nut(`
        server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_FOR_ACK, 5);
        h.report(server.log("acknowledged"));
        server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 5);
        h.report(server.log("sent"));
        h.report(server.flush(5));
        h.done();
      `),
    );
    expect(run.reports).toEqual([C.SEND_OK, C.SEND_OK, true]);
  });

  it("R33 S1 agent.send reaches a Squirrel agent and device.send comes back", async () => {
    const agent: AgentEntry = squirrelAgentProgram(squirrelFromText(`device.on("ping", function(data) { device.send("pong", data); });`, "agent.nut"));
    const run = await backend.run(
      nut(`
        agent.on("pong", function(data) { h.report(data); h.done(); });
        agent.send("ping", { text = "é", n = 3, list = [1, 2] });
      `),
      agent,
    );
    expect(run.reports).toEqual([{ text: "é", n: 3, list: [1, 2] }]);
  });

  it("R23 a loss under RETURN_ON_ERROR recovers silently: no unexpected-disconnect callback", async () => {
    const run = await backend.run(
      nut(`
        server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
        server.onunexpecteddisconnect(function(r) { h.report(["unexpected", r]); });
        h.dropSession();
        imp.wakeup(2, function() { h.report(server.isconnected()); h.done(); });
      `),
    );
    expect(run.reports).toEqual([true]);
    expect(run.events.some((e) => e.type === "disconnected" && !e.expected)).toBe(true);
  });
});
