import { describe, expect, it } from "vitest";
import { at, simulate } from "../support/simulate.js";
import type { RootTable } from "../../src/device/api/root.js";

const returning = (root: RootTable, wait = "WAIT_TIL_SENT", timeout = 10) =>
  root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root[wait] as number, timeout);

describe("nothing of a stopped program runs", () => {
  it("R25 after imp.deepsleepfor the rest of the turn does nothing: no timer, no log, no connection while asleep", async () => {
    const run = await simulate({ duration: "2m" }, (root) => {
      if (root.nv.slept === true) return;
      root.nv.slept = true;
      returning(root);
      at(root, 10, () => {
        root.server.disconnect();
        root.imp.deepsleepfor(60);
        root.imp.wakeup(5, () => void root.server.log("ghost"));
        void root.server.log("ghost too");
        root.server.connect(() => {}, 30);
      });
    });
    const sleep = run.of("sleep")[0]!;
    const wake = run.of("boot").find((b) => b.cause === "wake")!;
    expect(wake.t).toBe(sleep.t + 60_000);
    const during = run.events.filter((e) => e.t > sleep.t && e.t < wake.t);
    expect(during).toEqual([]);
    expect(run.of("log")).toEqual([]);
    expect(run.of("connected")).toHaveLength(1); // the cold boot's; the wake starts offline
    expect(run.of("error")).toEqual([]);
  });

  it("R24 a WAIT_FOR_ACK send of a program that then errored cannot drop the next program's connection", async () => {
    let starts = 0;
    const run = await simulate(
      { duration: "2m", events: [{ at: "10s", set: { "world.server": { up: false, failure: "blackhole" } } }, { at: "30s", set: { "world.server.up": true } }] },
      (root) => {
        starts++;
        if (starts > 1) return;
        returning(root, "WAIT_FOR_ACK", 30);
        at(root, 14, () => {
          void root.server.log("x");
          throw new Error("crash with a send in flight");
        });
      },
    );
    expect(run.of("boot").map((b) => b.cause)).toEqual(["cold", "error"]);
    expect(run.of("log").map((l) => l.text)).toEqual(["x"]); // delivered when the server came back
    expect(run.of("disconnected")).toEqual([]); // the old send's timeout (44 s) did nothing
  });
});

describe("imp.wakeup handles", () => {
  it("R20 a wakeup cancelled after it came due while suspended does not run on resume", async () => {
    const ran: string[] = [];
    await simulate(
      { duration: "2m", events: [{ at: "30s", set: { "world.server.up": false } }, { at: "40s", set: { "world.server.up": true } }] },
      (root) => {
        const handles: ReturnType<typeof root.imp.wakeup>[] = [];
        at(root, 35, () => {
          ran.push("first");
          root.imp.cancelwakeup(handles[0]!);
        });
        handles.push(root.imp.wakeup(36 - root.hardware.millis() / 1000, () => ran.push("second")));
      },
    );
    expect(ran).toEqual(["first"]);
  });

  it("R36 one copy of a device cannot cancel another copy's wakeups, even through shared module state", async () => {
    let shared: unknown;
    const fired: string[] = [];
    await simulate({ duration: "1m", devices: [{ id: "d", count: 2 }] }, (root) => {
      if (shared !== undefined) root.imp.cancelwakeup(shared as ReturnType<typeof root.imp.wakeup>);
      shared = root.imp.wakeup(10, () => fired.push("fired"));
    });
    expect(fired).toEqual(["fired", "fired"]);
  });

  it("a wakeup too far away to represent never fires", async () => {
    const fired: number[] = [];
    await simulate({ duration: "1m" }, ({ imp, hardware }) => void imp.wakeup(1e306, () => fired.push(hardware.millis())));
    expect(fired).toEqual([]);
  });

  it("a program that loops on imp.wakeup(0) is stopped as a program error, and the simulation goes on", async () => {
    let starts = 0;
    const run = await simulate({ duration: "20s" }, ({ imp }) => {
      starts++;
      if (starts > 1) return;
      const spin = (): void => void imp.wakeup(0, spin);
      spin();
    });
    expect(run.of("error")).toHaveLength(1);
    expect(run.of("boot").map((b) => b.cause)).toEqual(["cold", "error"]);
  });
});

describe("per-connection settings and session faults", () => {
  it("R18 a wificonfig given to a connectwith that starts no attempt is not kept for a later one", async () => {
    const run = await simulate(
      {
        duration: "3m",
        world: { wifi: [{ ssid: "home", key: "secret" }, { ssid: "other", key: "o" }] },
        devices: [{ id: "dev", wifi: { ssid: "home", key: "secret" } }],
        events: [{ at: "60s", set: { "world.wifi": [{ ssid: "other", key: "o" }] } }],
      },
      (root) => {
        returning(root);
        // already connected: R09, nothing starts
        at(root, 5, () => root.server.connectwith!({ interface: "wifi", wificonfig: { ssid: "other", key: "o" } }, () => {}, 30));
      },
    );
    // the recovery after "home" goes uses the stored network, and fails
    expect(run.of("connected")).toHaveLength(1);
    expect(run.of("attempt").filter((a) => a.t > 60_000).every((a) => a.reasonName === "NO_WIFI")).toBe(true);
  });

  it("R27 cellular internet lost behind a live PPP link is silent: keepalive finds it", async () => {
    const run = await simulate(
      { duration: "5m", devices: [{ id: "dev", interfaces: ["cell"] }], events: [{ at: "60s", set: { "world.cell.internet": false } }] },
      (root) => {
        returning(root);
        at(root, 70, () => void root.server.log("into the void"));
      },
    );
    expect(run.of("log")).toEqual([]);
    const lost = run.of("disconnected")[0]!;
    expect(lost).toMatchObject({ expected: false, reasonName: "NO_SERVER" });
    expect(lost.t).toBe(15_880 + 60_000 + 45_000);
  });

  it("R11 R27 the proxy a session runs through going down is a loss seen at once", async () => {
    const proxy = { host: "proxy.lan", port: 3128 };
    const run = await simulate(
      { duration: "2m", world: { proxies: [proxy] }, devices: [{ id: "dev", proxy }], events: [{ at: "30s", set: { "world.proxies.0.up": false } }] },
      (root) => returning(root),
    );
    expect(run.of("disconnected")[0]).toMatchObject({ t: 30_000, reasonName: "NO_PROXY" });
  });
});
