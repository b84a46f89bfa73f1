// One contract suite, two backends: the connection rules that make sense on
// real sockets (R04–R12, R23, R24, R26, R32, R33) hold on the simulator and on
// the host stack alike. Each program starts connected (the boot connects),
// then changes the world and acts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as C from "../../src/constants.js";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import type { Backend, Condition, ContractProgram } from "./contract-backends.js";
import { hostBackend, simBackend } from "./contract-backends.js";

const returning: (timeoutS: number, condition: Condition) => ContractProgram = (timeoutS, condition) => (root, h) => {
  root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
  root.server.disconnect();
  h.world(condition);
  let inside = true;
  root.server.connect((reason) => {
    h.report({ reason, inside });
    h.done();
  }, timeoutS);
  inside = false;
};

describe.each([simBackend, hostBackend()])("contract on the $name", (backend: Backend) => {
  beforeAll(() => backend.setup(), 30_000);
  afterAll(() => backend.teardown());

  it("R04 under SUSPEND_ON_ERROR connect() resolves once connected", async () => {
    const run = await backend.run(async (root, h) => {
      root.server.disconnect();
      await root.server.connect();
      h.report(root.server.isconnected());
      h.done();
    });
    expect(run.reports).toEqual([true]);
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
    const attempt = run.events.filter((e) => e.type === "attempt").at(-1);
    expect(attempt).toMatchObject({ reason });
  });

  it("R06 a bad timeout under RETURN_ON_ERROR throws and changes nothing", async () => {
    const run = await backend.run((root, h) => {
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
      for (const bad of [0, -1, Number.NaN]) {
        try {
          root.server.connect(() => {}, bad);
        } catch (e) {
          h.report((e as { code?: string }).code);
        }
      }
      h.report(root.server.isconnected());
      h.done();
    });
    expect(run.reports).toEqual(["IMPNET_INVALID_ARGUMENT", "IMPNET_INVALID_ARGUMENT", "IMPNET_INVALID_ARGUMENT", true]);
  });

  it("R08 a second connect replaces the callback; the first is never called", async () => {
    const run = await backend.run((root, h) => {
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
      root.server.disconnect();
      root.server.connect((r) => h.report(["first", r]), 5);
      root.server.connect((r) => {
        h.report(["second", r]);
        root.imp.wakeup(0.2, () => h.done());
      }, 5);
    });
    expect(run.reports).toEqual([["second", C.SERVER_CONNECTED]]);
  });

  it("R09 connect() while connected starts nothing and never calls back", async () => {
    const run = await backend.run((root, h) => {
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
      root.server.connect((r) => h.report(r), 5);
      root.imp.wakeup(0.5, () => {
        h.report("end");
        h.done();
      });
    });
    expect(run.reports).toEqual(["end"]);
  });

  it("R26 disconnect() during an attempt cancels it: no callback; isconnected() false at once", async () => {
    const run = await backend.run((root, h) => {
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
      root.server.disconnect();
      h.report(root.server.isconnected());
      h.world("silent");
      root.server.connect((r) => h.report(r), 5);
      root.server.disconnect();
      root.imp.wakeup(0.5, () => {
        h.report("end");
        h.done();
      });
    });
    expect(run.reports).toEqual([false, "end"]);
  });

  it("R24 a send while disconnected under RETURN_ON_ERROR returns SEND_ERROR_NOT_CONNECTED", async () => {
    const run = await backend.run((root, h) => {
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
      root.server.disconnect();
      h.report(root.server.log("lost"));
      h.report(root.agent.send("lost", 1));
      h.done();
    });
    expect(run.reports).toEqual([C.SEND_ERROR_NOT_CONNECTED, C.SEND_ERROR_NOT_CONNECTED]);
  });

  it("R32 WAIT_FOR_ACK: a log resolves 0 once acknowledged; flush() is true when all is acknowledged", async () => {
    const run = await backend.run(async (root, h) => {
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_FOR_ACK, 5);
      h.report(await root.server.log("acknowledged"));
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 5);
      h.report(root.server.log("sent"));
      h.report(await root.server.flush(5));
      h.done();
    });
    expect(run.reports).toEqual([C.SEND_OK, C.SEND_OK, true]);
  });

  it("R33 agent.send reaches the agent and device.send comes back, binary intact", async () => {
    const agent: AgentEntry = ({ device }) => device.on("ping", (data) => device.send("pong", data));
    const run = await backend.run((root, h) => {
      root.agent.on("pong", (data) => {
        h.report(data);
        h.done();
      });
      void root.agent.send("ping", { bytes: new Uint8Array([1, 2, 255]), text: "é" });
    }, agent);
    expect(run.reports).toEqual([{ bytes: new Uint8Array([1, 2, 255]), text: "é" }]);
  });

  it("R23 a loss under RETURN_ON_ERROR recovers silently: no unexpected-disconnect callback", async () => {
    const run = await backend.run((root, h) => {
      root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
      root.server.onunexpecteddisconnect((r) => h.report(["unexpected", r]));
      h.dropSession();
      root.imp.wakeup(2, () => {
        h.report(root.server.isconnected());
        h.done();
      });
    });
    expect(run.reports).toEqual([true]);
    expect(run.events.some((e) => e.type === "disconnected" && !e.expected)).toBe(true);
  });
});
