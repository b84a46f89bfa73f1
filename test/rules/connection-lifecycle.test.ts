import { describe, expect, it } from "vitest";
import { at, simulate } from "../support/simulate.js";
import type { Program } from "../support/simulate.js";
import type { RootTable } from "../../src/device/api/root.js";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";

const returning = (root: RootTable, wait: "WAIT_TIL_SENT" | "WAIT_FOR_ACK" = "WAIT_TIL_SENT", timeout = 10, policy = "RETURN_ON_ERROR") =>
  root.server.setsendtimeoutpolicy(root[policy] as number, root[wait] as number, timeout);

describe("R20 SUSPEND_ON_ERROR: suspend, retry, deep sleep", () => {
  it("R20 back within 60 s, the program resumes where it was and its timers run late", async () => {
    const ticks: number[] = [];
    const run = await simulate(
      { duration: "3m", events: [{ at: "30s", set: { "world.server.up": false } }, { at: "50s", set: { "world.server.up": true } }] },
      ({ imp, hardware }) => {
        const tick = () => {
          ticks.push(hardware.millis());
          imp.wakeup(10, tick);
        };
        tick();
      },
    );
    expect(run.of("suspend").map((e) => e.t)).toEqual([30_000]);
    const resumed = run.of("resume")[0]!.t;
    expect(resumed).toBeGreaterThan(50_000);
    expect(resumed).toBeLessThan(90_000);
    // No tick ran while suspended; the one due during the outage runs on resume.
    expect(ticks.filter((t) => t > 30_000 && t < resumed)).toEqual([]);
    expect(ticks).toContain(resumed);
    expect(run.of("boot")).toHaveLength(1);
  });

  it("R20 still offline after 60 s: deep sleep 9 minutes, wake, retry 60 s, and the program does not run", async () => {
    let starts = 0;
    const run = await simulate({ duration: "25m", events: [{ at: "30s", set: { "world.server.up": false } }] }, () => {
      starts++;
    });
    expect(run.of("sleep").map((s) => [s.t, s.seconds])).toEqual([
      [90_000, 540],
      [90_000 + 600_000, 540],
      [90_000 + 1_200_000, 540],
    ]);
    expect(starts).toBe(1);
    // each wake window retries for 60 s
    const afterFirstWake = run.of("attempt").filter((a) => a.t > 630_000 && a.t <= 690_000);
    expect(afterFirstWake.length).toBeGreaterThan(5);
  });

  it("R20 back online after a deep sleep, the program starts from scratch with only nv kept", async () => {
    const starts: { cause: number; nv: unknown; local: number }[] = [];
    let moduleState = 0;
    const run = await simulate(
      { duration: "15m", events: [{ at: "30s", set: { "world.server.up": false } }, { at: "5m", set: { "world.server.up": true } }] },
      ({ nv, hardware }) => {
        moduleState++;
        const local = { n: 0 };
        local.n++;
        starts.push({ cause: hardware.millis(), nv: nv.count, local: local.n });
        nv.count = ((nv.count as number | undefined) ?? 0) + 1;
      },
    );
    expect(run.of("boot").map((b) => b.cause)).toEqual(["cold", "wake"]);
    const wake = run.of("boot")[1]!;
    expect(wake.t).toBeGreaterThan(90_000 + 540_000); // after the first deep sleep
    expect(starts.map((s) => s.nv)).toEqual([undefined, 1]);
    expect(starts.map((s) => s.local)).toEqual([1, 1]);
    expect(moduleState).toBe(2);
  });
});

describe("R21 SUSPEND_ON_ERROR after server.disconnect()", () => {
  it("R21 a send reconnects first, and the program waits until connected", async () => {
    const order: string[] = [];
    const run = await simulate({ duration: "1m" }, async ({ server, hardware }) => {
      server.disconnect();
      order.push(`disconnected ${String(server.isconnected())}`);
      const result = await server.log("after");
      order.push(`logged ${result} at ${hardware.millis()}`);
    });
    expect(order).toEqual(["disconnected false", `logged 0 at ${3380 * 2}`]);
    expect(run.of("log").map((l) => [l.t, l.text])).toEqual([[6760, "after"]]);
    expect(run.of("connected")).toHaveLength(2);
  });

  it("R21 agent.send reconnects first too", async () => {
    const run = await simulate({ duration: "1m" }, async ({ server, agent }) => {
      server.disconnect();
      await agent.send("hello", 1);
    }, { dev: ({ device }) => device.on("hello", () => {}) });
    expect(run.of("message").map((m) => m.t)).toEqual([6760]);
  });
});

describe("R22 no unexpected-disconnect callback under SUSPEND_ON_ERROR", () => {
  it("R22 the handler never runs, even after the device gives up and sleeps", async () => {
    const calls: number[] = [];
    const run = await simulate({ duration: "5m", events: [{ at: "30s", set: { "world.server.up": false } }] }, ({ server }) => {
      server.onunexpecteddisconnect((r) => calls.push(r));
    });
    expect(run.of("disconnected")).toHaveLength(1);
    expect(run.of("sleep")).toHaveLength(1);
    expect(calls).toEqual([]);
  });
});

describe("R23 RETURN_ON_ERROR: silent recovery", () => {
  const watch = (calls: [number, number][]): Program => (root) => {
    returning(root);
    root.server.onunexpecteddisconnect((r) => calls.push([root.hardware.millis(), r]));
  };

  it("R23 back within 60 s of the loss: no callback", async () => {
    const calls: [number, number][] = [];
    const run = await simulate({ duration: "3m", events: [{ at: "30s", set: { "world.server.up": false } }, { at: "70s", set: { "world.server.up": true } }] }, watch(calls));
    expect(calls).toEqual([]);
    expect(run.of("connected").at(-1)!.t).toBeGreaterThan(70_000);
    expect(run.of("connected").at(-1)!.t).toBeLessThan(90_000);
  });

  it("R23 not back: one callback with the last attempt's reason at the window's end, then nothing reconnects", async () => {
    const calls: [number, number][] = [];
    const run = await simulate(
      { duration: "5m", events: [{ at: "30s", set: { "world.server.up": false } }, { at: "2m", set: { "world.server.up": true } }] },
      watch(calls),
    );
    expect(calls).toHaveLength(1);
    const last = run.of("attempt").filter((a) => a.t <= 90_000).at(-1)!;
    expect(calls[0]).toEqual([90_000, last.reason]);
    expect(run.of("attempt").filter((a) => a.t > 90_000)).toEqual([]);
    expect(run.of("connected")).toHaveLength(1);
  });

  it("R23 the window counts from the moment the loss is seen (a silent server: by keepalive)", async () => {
    const calls: [number, number][] = [];
    const run = await simulate({ duration: "6m", events: [{ at: "30s", set: { "world.server": { up: false, failure: "blackhole" } } }] }, watch(calls));
    const lost = run.of("disconnected")[0]!;
    expect(calls.map((c) => c[0])).toEqual([lost.t + 60_000]);
  });

  it("R23 a program connect() during the recovery joins the attempt in progress", async () => {
    const calls: string[] = [];
    const run = await simulate(
      { duration: "3m", events: [{ at: "30s", set: { "world.server.up": false } }, { at: "40s", set: { "world.server.up": true } }] },
      (root) => {
        returning(root);
        root.server.onunexpecteddisconnect(() => calls.push("unexpected"));
        at(root, 31, () => root.server.connect((r) => calls.push(`connect ${r}`), 30));
      },
    );
    const during = run.of("attempt").filter((a) => a.t > 30_000 && a.t - a.ms <= 31_000);
    expect(during).toHaveLength(1); // no second attempt was started by the call
    expect(calls).toEqual(["connect 4"]);
  });

  it("R23 a send that times out and drops the connection is an unexpected loss like any other", async () => {
    const calls: [number, number][] = [];
    const run = await simulate(
      { duration: "3m", events: [{ at: "30s", set: { "world.server": { up: false, failure: "blackhole" } } }] },
      (root) => {
        returning(root, "WAIT_FOR_ACK", 5);
        root.server.onunexpecteddisconnect((r) => calls.push([root.hardware.millis(), r]));
        at(root, 35, () => void root.server.log("lost in the dark"));
      },
    );
    expect(run.of("disconnected")[0]).toMatchObject({ t: 40_000, expected: false });
    // silent recovery for 60 s from the loss, then the callback
    expect(calls).toEqual([[100_000, 4]]);
  });
});

describe("R24 send results", () => {
  it("R24 sends while disconnected under RETURN_ON_ERROR return SEND_ERROR_NOT_CONNECTED and the message is lost", async () => {
    const results: unknown[] = [];
    const run = await simulate({ duration: "1m" }, (root) => {
      returning(root);
      root.server.disconnect();
      results.push(root.server.log("x"), root.server.error("y"), root.agent.send("z", 1));
    });
    expect(results).toEqual([1, 1, 1]);
    expect(run.of("log")).toEqual([]);
  });

  it("R24 a WAIT_FOR_ACK send that times out returns SEND_ERROR_TIMEOUT and drops the connection", async () => {
    const results: number[] = [];
    const run = await simulate({ duration: "2m", events: [{ at: "30s", set: { "world.server": { up: false, failure: "blackhole" } } }] }, (root) => {
      returning(root, "WAIT_FOR_ACK", 5);
      at(root, 35, async () => {
        results.push(await root.server.log("x"));
      });
    });
    expect(results).toEqual([2]);
    expect(run.of("disconnected")[0]!.t).toBe(40_000);
  });

  it("R24 under RETURN_ON_ERROR_NO_DISCONNECT it returns the error and keeps the connection", async () => {
    const results: number[] = [];
    const run = await simulate({ duration: "70s", events: [{ at: "30s", set: { "world.server": { up: false, failure: "blackhole" } } }] }, (root) => {
      returning(root, "WAIT_FOR_ACK", 5, "RETURN_ON_ERROR_NO_DISCONNECT");
      at(root, 35, async () => {
        results.push(await root.server.log("x"));
      });
    });
    expect(results).toEqual([2]);
    expect(run.of("disconnected").filter((d) => d.t <= 40_000)).toEqual([]);
  });

  it("R24 a full send buffer under RETURN_ON_ERROR_NO_DISCONNECT returns SEND_ERROR_WOULDBLOCK", async () => {
    const results: unknown[] = [];
    await simulate({ duration: "70s", events: [{ at: "30s", set: { "world.server": { up: false, failure: "blackhole" } } }] }, (root) => {
      returning(root, "WAIT_TIL_SENT", 5, "RETURN_ON_ERROR_NO_DISCONNECT");
      at(root, 35, () => {
        for (let i = 0; i < 20; i++) results.push(root.server.log("x".repeat(1000)));
      });
    });
    expect(results.slice(0, 16)).toEqual(Array(16).fill(0));
    expect(results.slice(16)).toEqual([4, 4, 4, 4]);
  });

  it("R24 a send pending when the connection drops returns SEND_ERROR_DISCONNECTED", async () => {
    const results: number[] = [];
    await simulate(
      { duration: "2m", events: [{ at: "30s", set: { "world.server": { up: false, failure: "blackhole" } } }, { at: "36s", set: { "world.wifi": [] } }] },
      (root) => {
        returning(root, "WAIT_FOR_ACK", 20);
        at(root, 35, async () => {
          results.push(await root.server.log("x"));
        });
      },
    );
    expect(results).toEqual([3]);
  });
});

describe("R25 cold boot", () => {
  it("R25 the program starts as soon as the device is connected", async () => {
    const run = await simulate({ duration: "1m" });
    expect(run.of("boot")).toMatchObject([{ t: 3380, cause: "cold" }]);
    expect(run.events.map((e) => e.type).slice(0, 3)).toEqual(["attempt", "connected", "boot"]);
  });

  it("R25 or when the 10 s window ends: the attempt in progress is abandoned and the program starts offline", async () => {
    let connected: boolean | undefined;
    const run = await simulate({ duration: "1m", world: { dns: { ok: false, failure: "timeout" } } }, ({ server }) => {
      connected = server.isconnected();
    });
    expect(run.of("boot")).toMatchObject([{ t: 10_000, cause: "cold" }]);
    expect(run.of("attempt")).toMatchObject([{ t: 10_000, reasonName: "NOT_RESOLVED", layer: "dns" }]);
    expect(connected).toBe(false);
    expect(run.of("attempt").filter((a) => a.t > 10_000)).toEqual([]); // no attempt in progress
  });

  it("R25 a deployed program (deployMs, as impt deploys) starts that long after the boot connection, its agent as the deploy begins", async () => {
    const agentStart: number[] = [];
    const agent: AgentEntry = ({ device }) => void agentStart.push(device.isconnected() ? 1 : 0);
    const run = await simulate({ duration: "1m" }, ({ server }) => server.log("up"), { dev: agent }, { deployMs: 1500 });
    expect(run.of("boot")).toMatchObject([{ t: 3380 + 1500, cause: "cold" }]);
    expect(agentStart).toEqual([1]); // started once the device was online
    const offline = await simulate({ duration: "1m", world: { dns: { ok: false, failure: "timeout" } } }, () => {}, { dev: agent }, { deployMs: 1500 });
    expect(offline.of("boot")).toMatchObject([{ t: 10_000 }]); // no connection to deploy over: R25 as ever
    expect(agentStart).toEqual([1, 0]);
  });

  it("R25 the window is 30 s when the current interface is cell", async () => {
    const run = await simulate({ duration: "1m", devices: [{ id: "dev", interfaces: ["cell"] }], world: { cell: { registration: "none" } } });
    expect(run.of("boot")[0]!.t).toBe(30_000);
  });

  it("R25 boot attempts rotate interfaces like any other (R16)", async () => {
    const run = await simulate({ duration: "1m", devices: [{ id: "dev", interfaces: ["ethernet", "wifi"] }], world: { ethernet: { link: false } } });
    expect(run.of("attempt").map((a) => a.interface)).toEqual(["eth0", "wl0"]);
    expect(run.of("boot")[0]!.t).toBe(50 + 3380);
  });

  it("R25 a wake from imp.deepsleepfor starts the program offline", async () => {
    const seen: boolean[] = [];
    const run = await simulate({ duration: "2m" }, ({ imp, server, nv }) => {
      seen.push(server.isconnected());
      if (nv.slept !== true) {
        nv.slept = true;
        imp.deepsleepfor(30);
      }
    });
    expect(seen).toEqual([true, false]);
    expect(run.of("boot").map((b) => [b.t, b.cause])).toEqual([
      [3380, "cold"],
      [33_380, "wake"],
    ]);
  });
});

describe("R26 server.disconnect()", () => {
  it("R26 closes the connection: isconnected() is false when it returns, no callback runs", async () => {
    const seen: boolean[] = [];
    const calls: number[] = [];
    const run = await simulate({ duration: "1m" }, (root) => {
      returning(root);
      root.server.onunexpecteddisconnect((r) => calls.push(r));
      root.server.disconnect();
      seen.push(root.server.isconnected());
    });
    expect(seen).toEqual([false]);
    expect(calls).toEqual([]);
    expect(run.of("disconnected")).toMatchObject([{ expected: true }]);
  });

  it("R26 during an attempt it cancels the attempt, whose callback never runs", async () => {
    const calls: number[] = [];
    const run = await simulate({ duration: "1m", world: { server: { up: false, failure: "blackhole" } } }, (root) => {
      returning(root);
      root.server.connect((r) => calls.push(r), 30);
      root.imp.wakeup(1.5, () => root.server.disconnect());
    });
    expect(calls).toEqual([]);
    const cancelled = run.of("attempt").at(-1)!;
    expect(cancelled).toMatchObject({ t: 11_500, layer: "wifi", ms: 1500 });
    expect(cancelled.detail).toContain("cancelled");
    expect(run.of("attempt").filter((a) => a.t > 11_500)).toEqual([]);
  });
});

describe("R27 keepalive and isconnected()", () => {
  it("R27 a silent server is found by keepalive: 60 s of silence, then 45 s with no answer", async () => {
    const run = await simulate({ duration: "5m", events: [{ at: "30s", set: { "world.server": { up: false, failure: "blackhole" } } }] }, (root) => returning(root));
    // last heard at connect (3.38 s); probe at 63.38 s; dead at 108.38 s
    expect(run.of("disconnected")[0]).toMatchObject({ t: 3380 + 60_000 + 45_000, reasonName: "NO_SERVER" });
    expect(run.of("disconnected")[0]!.detail).toContain("keepalive");
  });

  it("R27 an acknowledged send counts as hearing from the server", async () => {
    const run = await simulate({ duration: "5m", events: [{ at: "50s", set: { "world.server": { up: false, failure: "blackhole" } } }] }, (root) => {
      returning(root, "WAIT_FOR_ACK", 5);
      at(root, 40, () => void root.server.log("ack me"));
    });
    expect(run.of("disconnected")[0]!.t).toBe(40_000 + 30 + 60_000 + 45_000);
  });

  it("R27 isconnected() stays true until then: it tells the device's belief", async () => {
    const seen: boolean[] = [];
    await simulate({ duration: "3m", events: [{ at: "30s", set: { "world.server": { up: false, failure: "blackhole" } } }] }, (root) => {
      returning(root);
      at(root, 90, () => seen.push(root.server.isconnected()));
      at(root, 110, () => seen.push(root.server.isconnected()));
    });
    expect(seen).toEqual([true, false]);
  });

  it("R27 a local link loss is seen at once", async () => {
    const run = await simulate({ duration: "2m", events: [{ at: "30s", set: { "world.wifi": [] } }] }, (root) => returning(root));
    expect(run.of("disconnected")[0]).toMatchObject({ t: 30_000, reasonName: "NO_WIFI" });
  });

  it("R27 a server reset (refuse) is seen at once", async () => {
    const run = await simulate({ duration: "2m", events: [{ at: "30s", set: { "world.server.up": false } }] }, (root) => returning(root));
    expect(run.of("disconnected")[0]).toMatchObject({ t: 30_000, reasonName: "NO_SERVER" });
  });
});
