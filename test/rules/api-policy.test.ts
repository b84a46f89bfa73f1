import { describe, expect, it } from "vitest";
import type { Device } from "../../src/device/device.js";
import type { RootTable } from "../../src/device/api/root.js";
import { bench, expectRejected, HEALTHY_WIFI_MS } from "./api-support.js";

const DEFAULT = { error: 0, wait: 0, timeoutS: 30 };

interface Start {
  cause: string | undefined;
  at: number;
  policy: unknown;
  connectIsPromise: boolean;
  logResult: unknown;
}

/** What a program sees of the send-timeout policy as it starts. */
function observe(root: RootTable, device: Device, cause?: string): Start {
  const policy = { ...device.policy };
  const connect = root.server.connect();
  const log = root.server.log("probe");
  return { cause, at: device.clock.now(), policy, connectIsPromise: connect instanceof Promise, logResult: log };
}

describe("R03 every program start begins at SUSPEND_ON_ERROR, WAIT_TIL_SENT, 30", () => {
  it("R03 cold boot", async () => {
    const starts: Start[] = [];
    const b = await bench({ duration: "10s" }, (root, device) => {
      starts.push(observe(root, device, "cold"));
    });
    expect(starts).toEqual([{ cause: "cold", at: HEALTHY_WIFI_MS, policy: DEFAULT, connectIsPromise: true, logResult: 0 }]);
    expect(b.of("boot")).toMatchObject([{ cause: "cold" }]);
  });

  it("R03 wake after imp.deepsleepfor", async () => {
    const starts: { at: number; policy: unknown }[] = [];
    const b = await bench({ duration: "30s" }, (root, device) => {
      starts.push({ at: device.clock.now(), policy: { ...device.policy } });
      if (root.nv.slept === true) return;
      root.nv.slept = true;
      root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_FOR_ACK as number, 5);
      root.imp.deepsleepfor(2);
    });
    expect(b.of("boot").map((l) => l.cause)).toEqual(["cold", "wake"]);
    expect(starts.map((s) => [s.at, s.policy])).toEqual([
      [HEALTHY_WIFI_MS, DEFAULT],
      [HEALTHY_WIFI_MS + 2000, DEFAULT],
    ]);
  });

  it("R03 wake: the program sees the default policy through the API (connect blocks)", async () => {
    const starts: Start[] = [];
    await bench({ duration: "30s" }, (root, device) => {
      if (root.nv.slept !== true) {
        root.nv.slept = true;
        root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 5);
        root.imp.deepsleepfor(2);
        return;
      }
      starts.push(observe(root, device, "wake"));
    });
    // Woken offline: under SUSPEND_ON_ERROR connect() and log() block (promises), not RETURN_ON_ERROR's 1.
    expect(starts).toMatchObject([{ cause: "wake", policy: DEFAULT, connectIsPromise: true }]);
    expect(starts[0]!.logResult).toBeInstanceOf(Promise);
  });

  it("R03 restart after an uncaught error", async () => {
    const starts: Start[] = [];
    const b = await bench({ duration: "30s" }, (root, device) => {
      starts.push(observe(root, device));
      if (root.nv.failed === true) return;
      root.nv.failed = true;
      root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_FOR_ACK as number, 7);
      throw new Error("boom");
    });
    expect(b.of("boot").map((l) => l.cause)).toEqual(["cold", "error"]);
    expect(starts.map((s) => [s.at, s.policy, s.connectIsPromise, s.logResult])).toEqual([
      [HEALTHY_WIFI_MS, DEFAULT, true, 0],
      [HEALTHY_WIFI_MS + 10_000, DEFAULT, true, 0],
    ]);
  });
});

describe("R03 R20 the restart after an offline deep sleep also begins at the default", () => {
  it("R03 program restarted (boot cause wake) after R20's deep sleep", async () => {
    const starts: { at: number; policy: unknown }[] = [];
    const b = await bench(
      {
        duration: "15m",
        events: [
          { at: "10s", set: { "world.server.up": false } },
          { at: "5m", set: { "world.server.up": true } },
        ],
      },
      (root, device) => {
        starts.push({ at: device.clock.now(), policy: { ...device.policy } });
        root.server.setsendtimeoutpolicy(root.SUSPEND_ON_ERROR as number, root.WAIT_FOR_ACK as number, 7);
      },
    );
    expect(b.of("boot").map((l) => l.cause)).toEqual(["cold", "wake"]);
    expect(b.of("sleep")).toHaveLength(1);
    expect(starts.map((s) => s.policy)).toEqual([DEFAULT, DEFAULT]);
    expect(starts[1]!.at).toBeGreaterThan(10_000 + 60_000 + 9 * 60_000);
  });
});

describe("R03 setsendtimeoutpolicy refuses anything else and changes nothing", () => {
  const badErrorPolicies: unknown[] = [3, -1, 0.5, "0", null, undefined, NaN, true, {}];
  const badWaitPolicies: unknown[] = [2, -1, 0.5, "0", null, undefined, NaN, false];
  const badTimeouts: unknown[] = [0, -0, -1, -0.001, NaN, Infinity, -Infinity, "30", null, undefined, [30], {}];

  async function configured() {
    const b = await bench({ duration: "5s" });
    // a non-default policy, so that a reset to the default would show too
    b.root.server.setsendtimeoutpolicy(b.root.RETURN_ON_ERROR as number, b.root.WAIT_FOR_ACK as number, 12);
    expect(b.device.policy).toEqual({ error: 1, wait: 1, timeoutS: 12 });
    return b;
  }

  it.each(badErrorPolicies.map((v) => [v]))("R03 errorPolicy %o throws, naming errorPolicy", async (v) => {
    const b = await configured();
    expectRejected(b, () => b.root.server.setsendtimeoutpolicy(v as number, 0, 30), "errorPolicy");
    expect(b.device.policy).toEqual({ error: 1, wait: 1, timeoutS: 12 });
  });

  it.each(badWaitPolicies.map((v) => [v]))("R03 waitPolicy %o throws, naming waitPolicy", async (v) => {
    const b = await configured();
    expectRejected(b, () => b.root.server.setsendtimeoutpolicy(0, v as number, 30), "waitPolicy");
    expect(b.device.policy).toEqual({ error: 1, wait: 1, timeoutS: 12 });
  });

  it.each(badTimeouts.map((v) => [v]))("R03 timeout %o throws, naming timeout", async (v) => {
    const b = await configured();
    expectRejected(b, () => b.root.server.setsendtimeoutpolicy(0, 0, v as number), "timeout");
    expect(b.device.policy).toEqual({ error: 1, wait: 1, timeoutS: 12 });
  });

  it("R03 the valid combinations are accepted, a fractional timeout included", async () => {
    const b = await bench({ duration: "5s" });
    const { server, SUSPEND_ON_ERROR, RETURN_ON_ERROR, RETURN_ON_ERROR_NO_DISCONNECT, WAIT_TIL_SENT, WAIT_FOR_ACK } = b.root;
    for (const error of [SUSPEND_ON_ERROR, RETURN_ON_ERROR, RETURN_ON_ERROR_NO_DISCONNECT] as number[])
      for (const wait of [WAIT_TIL_SENT, WAIT_FOR_ACK] as number[]) {
        server.setsendtimeoutpolicy(error, wait, 0.5);
        expect(b.device.policy).toEqual({ error, wait, timeoutS: 0.5 });
      }
  });
});
