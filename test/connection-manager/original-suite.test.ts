// The behaviours the original library's own device tests check
// (connection-manager.md, "The original test suite"), on the simulator.
import { describe, expect, it } from "vitest";
import { ConnectionManager, CM_BLINK_ALWAYS, CM_BLINK_NEVER, CM_BLINK_ON_CONNECT, CM_BLINK_ON_DISCONNECT, CM_START_CONNECTED, CM_START_DISCONNECTED, CM_START_NO_ACTION } from "impnet";
import type { BlinkUpBehavior, StartBehavior } from "impnet";
import { at, simulate } from "../support/simulate.js";
import { ATTEMPT_MS, recorder } from "./support.js";

describe("ConnectionManager: the original test suite", () => {
  it("disconnect then reconnect: onDisconnect exactly once, then onConnect exactly once, in that order; disconnect() returns true", async () => {
    const { rec, bind } = recorder();
    let returned: boolean | undefined;
    const run = await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      cm.onDisconnect((expected) => {
        rec.mark(`onDisconnect expected=${expected}`);
        cm.connect();
      });
      cm.onConnect(() => rec.mark("onConnect"));
      at(root, 10, () => (returned = cm.disconnect()));
    });
    expect(returned).toBe(true);
    expect(rec.entries).toEqual([
      ["onDisconnect expected=true", 10_000],
      ["onConnect", 10_000 + ATTEMPT_MS],
    ]);
    expect(run.of("disconnected").map((d) => [d.t, d.expected])).toEqual([[10_000, true]]);
    expect(run.of("connected").map((c) => c.t)).toEqual([ATTEMPT_MS, 10_000 + ATTEMPT_MS]);
  });

  it("inside onDisconnect both server.isconnected() and isConnected() are false", async () => {
    const seen: [boolean, boolean][] = [];
    await simulate({ duration: "1m" }, (root) => {
      const cm = new ConnectionManager(root);
      cm.onDisconnect(() => {
        seen.push([root.server.isconnected(), cm.isConnected()]);
        cm.connect();
      });
      at(root, 10, () => cm.disconnect());
      at(root, 30, () => cm.disconnect(false, -1)); // without the flush too
    });
    expect(seen).toEqual([
      [false, false],
      [false, false],
    ]);
  });

  it("connect() while connected returns true, does not disconnect, and fires onConnect exactly once", async () => {
    const { rec, bind } = recorder();
    const run = await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      at(root, 10, () => {
        rec.mark(`connect() → ${cm.connect()}, connected ${root.server.isconnected()} ${cm.isConnected()}`);
        cm.onConnect(() => rec.mark(`onConnect, connected ${root.server.isconnected()} ${cm.isConnected()}`));
        rec.mark(`connect() → ${cm.connect()}, connected ${root.server.isconnected()} ${cm.isConnected()}`);
      });
    });
    expect(rec.entries).toEqual([
      ["connect() → true, connected true true", 10_000],
      ["connect() → true, connected true true", 10_000],
      ["onConnect, connected true true", 10_000],
    ]);
    expect(run.of("disconnected")).toEqual([]);
    expect(run.of("attempt")).toHaveLength(1); // the boot's: connect() started nothing
  });

  it("two disconnect() calls in a row, then a connect, end connected", async () => {
    const { rec, bind } = recorder();
    let end: [boolean, boolean] | undefined;
    const run = await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      cm.onDisconnect((expected) => {
        rec.mark(`onDisconnect ${expected} ${root.server.isconnected()} ${cm.isConnected()}`);
        rec.mark(`connect() → ${cm.connect()}`);
      });
      at(root, 10, () => {
        rec.mark(`disconnect() → ${cm.disconnect()} ${cm.isConnected()}`);
        cm.onConnect(() => rec.mark("onConnect"));
        rec.mark(`disconnect() → ${cm.disconnect()} ${cm.isConnected()}`);
      });
      at(root, 50, () => (end = [root.server.isconnected(), cm.isConnected()]));
    });
    expect(rec.labels()).toEqual([
      "disconnect() → true false",
      "disconnect() → true false",
      "onDisconnect true false false",
      "connect() → true",
      "onDisconnect true false false",
      "connect() → false", // the first one's attempt is in progress
      "onConnect",
    ]);
    expect(rec.times("onConnect")).toEqual([10_000 + ATTEMPT_MS]);
    expect(end).toEqual([true, true]);
    expect(run.of("attempt")).toHaveLength(2); // boot, and one reconnect
  });

  for (const from of ["connected", "disconnected"] as const) {
    it(`connectFor(cb) from ${from}: cb runs while connected, then onDisconnect, then onConnect, strictly in that order`, async () => {
      const { rec, bind } = recorder();
      let end: [boolean, boolean] | undefined;
      await simulate({ duration: "1m" }, (root) => {
        bind(root);
        const cm = new ConnectionManager(root);
        at(root, 10, () => {
          if (from === "disconnected") cm.disconnect();
          cm.onDisconnect(() => {
            rec.mark(`onDisconnect ${root.server.isconnected()} ${cm.isConnected()}`);
            cm.onConnect(() => rec.mark(`onConnect ${root.server.isconnected()} ${cm.isConnected()}`));
            cm.connect();
          });
          cm.connectFor(() => rec.mark(`task ${root.server.isconnected()} ${cm.isConnected()}`));
        });
        at(root, 50, () => (end = [root.server.isconnected(), cm.isConnected()]));
      });
      expect(rec.labels()).toEqual(["task true true", "onDisconnect false false", "onConnect true true"]);
      const [task, down, up] = rec.entries.map(([, t]) => t);
      // From disconnected the task waits for a connection first.
      expect(task).toBe(from === "connected" ? 10_000 : 10_000 + ATTEMPT_MS);
      expect(down).toBe(task);
      expect(up).toBe(task! + ATTEMPT_MS);
      expect(end).toEqual([true, true]);
    });
  }

  it("a task queued with onNextConnect from inside onDisconnect runs exactly once after connect()", async () => {
    const { rec, bind } = recorder();
    let returned: boolean | undefined;
    await simulate({ duration: "2m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      cm.onDisconnect(() => {
        rec.mark("onDisconnect");
        cm.onNextConnect(() => rec.mark(`task ${root.server.isconnected()}`));
        cm.connect();
      });
      at(root, 10, () => (returned = cm.disconnect()));
      at(root, 60, () => cm.connect()); // connected again: the queue is empty, the task does not run twice
    });
    expect(returned).toBe(true);
    expect(rec.entries).toEqual([
      ["onDisconnect", 10_000],
      ["task true", 10_000 + ATTEMPT_MS],
    ]);
  });

  it("every startBehavior × blinkupBehavior × stayConnected × retryOnTimeout constructs without throwing; onTimeout set, cleared with null and set again does not throw", async () => {
    const starts: StartBehavior[] = [CM_START_CONNECTED, CM_START_NO_ACTION, CM_START_DISCONNECTED];
    const blinks: BlinkUpBehavior[] = [CM_BLINK_ON_DISCONNECT, CM_BLINK_ON_CONNECT, CM_BLINK_ALWAYS, CM_BLINK_NEVER];
    let built = 0;
    const run = await simulate({ duration: "30s" }, (root) => {
      for (const startBehavior of starts)
        for (const blinkupBehavior of blinks)
          for (const stayConnected of [true, false])
            for (const retryOnTimeout of [true, false]) {
              new ConnectionManager(root, { startBehavior, stayConnected, retryOnTimeout, connectTimeout: 90, ackTimeout: 3, checkTimeout: 10, blinkupBehavior });
              built++;
            }
      const cm = new ConnectionManager(root, {});
      for (const b of blinks) cm.setBlinkUpBehavior(b);
      cm.onTimeout(() => root.imp.deepsleepfor(600));
      cm.onTimeout(null);
      cm.onTimeout(() => root.imp.deepsleepfor(60));
    });
    expect(built).toBe(48);
    expect(run.of("error")).toEqual([]);
  });

  it("stayConnected: WiFi configuration cleared and a forced disconnect, the device stays offline without hanging; restored, the manager reconnects by itself and onConnect fires", async () => {
    const { rec, bind } = recorder();
    const run = await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root, { blinkupBehavior: CM_BLINK_ALWAYS, connectTimeout: 10, stayConnected: true });
      cm.onConnect(() => rec.mark("onConnect"));
      at(root, 10, () => {
        root.imp.clearconfiguration(root.CONFIG_WIFI as number);
        rec.mark(`disconnect(true, 5) → ${cm.disconnect(true, 5)}`);
      });
      // A timer that runs on time shows the program is not hanging.
      at(root, 20, () => {
        rec.mark(`offline ${cm.isConnected()} ${root.server.isconnected()}`);
        root.imp.setwificonfiguration("home", "secret");
      });
    });
    expect(rec.labels()).toEqual(["disconnect(true, 5) → true", "offline false false", "onConnect"]);
    expect(rec.times("offline false false")).toEqual([20_000]);
    const failed = run.of("attempt").filter((a) => a.t > 10_000 && a.t <= 20_000);
    expect(failed.length).toBeGreaterThanOrEqual(4); // retried all along, 2 s each
    expect(failed.every((a) => a.reasonName === "NO_WIFI")).toBe(true);
    const back = run.of("connected").at(-1)!.t;
    expect(back).toBeGreaterThan(20_000);
    expect(back).toBeLessThanOrEqual(22_000 + ATTEMPT_MS); // the attempt under way fails, the next one connects
    expect(rec.times("onConnect")).toEqual([back]);
  });
});
