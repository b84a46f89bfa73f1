// The methods and flows of connection-manager.md beyond the original suite.
import { describe, expect, it } from "vitest";
import { ConnectionManager, CM_BLINK_ALWAYS, CM_BLINK_NEVER, CM_BLINK_ON_CONNECT, CM_START_CONNECTED, CM_START_DISCONNECTED, SUSPEND_ON_ERROR } from "impnet";
import { at, simulate } from "../support/simulate.js";
import { ATTEMPT_MS, recorder } from "./support.js";

describe("log() and error() offline", () => {
  it("lines logged offline are replayed in order, as '<ts> - <msg>', after reconnecting and before any onConnect handler", async () => {
    const run = await simulate({ duration: "1m" }, (root) => {
      const cm = new ConnectionManager(root);
      cm.onConnect(() => root.server.log("onConnect"));
      cm.log("online at once");
      at(root, 10, () => {
        cm.disconnect();
        cm.log("right after disconnect()"); // kept: isConnected() is false as soon as disconnect() returns
      });
      at(root, 12, () => cm.error("lost the sensor"));
      at(root, 15.5, () => cm.log({ temp: 21.5 }));
      at(root, 30, () => cm.connect());
    });
    expect(run.of("log").map((l) => [l.t, l.text, l.error])).toEqual([
      [ATTEMPT_MS, "online at once", false],
      [30_000 + ATTEMPT_MS, "10 - right after disconnect()", false],
      [30_000 + ATTEMPT_MS, "12 - lost the sensor", true],
      [30_000 + ATTEMPT_MS, '15 - {"temp":21.5}', false],
      [30_000 + ATTEMPT_MS, "onConnect", false],
    ]);
  });

  it("a line the device refuses because the manager had not yet seen the loss is kept, and replayed at the first check once back", async () => {
    const run = await simulate({ duration: "2m", events: [{ at: "10s", set: { "world.server.up": false } }, { at: "20s", set: { "world.server.up": true } }] }, (root) => {
      const cm = new ConnectionManager(root, { checkTimeout: 30 });
      at(root, 11, () => cm.log(`isConnected ${cm.isConnected()}`)); // stale view: true, but the device is offline
    });
    // impOS's silent recovery (R23) reconnects before the manager's first check at 33.38 s:
    // the manager never sees the loss, and the check sends what the device refused.
    expect(run.of("connected").at(-1)!.t).toBeLessThan(30_000);
    expect(run.of("log").map((l) => [l.t, l.text])).toEqual([[33_380, "11 - isConnected true"]]);
  });
});

describe("connect() and disconnect() during an attempt", () => {
  it("connect() returns false and disconnect() without force returns false while an attempt is in progress; nothing changes", async () => {
    const { rec, bind } = recorder();
    const run = await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      cm.onConnect(() => rec.mark("onConnect"));
      cm.onDisconnect(() => rec.mark("onDisconnect"));
      at(root, 10, () => {
        cm.disconnect(false, -1);
        cm.connect();
      });
      at(root, 11, () => rec.mark(`connect() → ${cm.connect()}, disconnect() → ${cm.disconnect()}`));
    });
    expect(rec.entries).toEqual([
      ["onDisconnect", 10_000],
      ["connect() → false, disconnect() → false", 11_000],
      ["onConnect", 10_000 + ATTEMPT_MS],
    ]);
    expect(run.of("attempt").filter((a) => a.t > 10_000)).toHaveLength(1);
  });

  it("disconnect(true) cancels the attempt: its callback never runs, no onConnect or onTimeout, onDisconnect(expected=true) once", async () => {
    const { rec, bind } = recorder();
    const run = await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      cm.onConnect(() => rec.mark("onConnect"));
      cm.onTimeout(() => rec.mark("onTimeout"));
      at(root, 10, () => {
        cm.disconnect(false, -1);
        cm.onDisconnect((expected) => rec.mark(`onDisconnect ${expected}`));
        cm.connect();
      });
      at(root, 11, () => rec.mark(`disconnect(true) → ${cm.disconnect(true)} ${cm.isConnected()}`));
    });
    expect(rec.entries).toEqual([
      ["disconnect(true) → true false", 11_000],
      ["onDisconnect true", 11_000],
    ]);
    const cancelled = run.of("attempt").filter((a) => a.t > 10_000);
    expect(cancelled.map((a) => [a.t, a.detail])).toEqual([[11_000, expect.stringContaining("cancelled by server.disconnect()")]]);
    expect(run.of("callback")).toEqual([]);
  });
});

describe("queue", () => {
  it("onNextConnect while connected runs on a later turn; tasks run one per turn in order, after the onConnect handlers", async () => {
    const { rec, bind } = recorder();
    await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      at(root, 5, () => {
        cm.onNextConnect(() => rec.mark("now"));
        rec.mark("queued");
      });
      at(root, 10, () => {
        cm.disconnect(false, -1);
        cm.onConnect(() => rec.mark("onConnect"));
        for (const n of [1, 2, 3]) cm.onNextConnect(() => rec.mark(`task ${n}`));
        cm.connect();
      });
    });
    expect(rec.labels()).toEqual(["queued", "now", "onConnect", "task 1", "task 2", "task 3"]);
    expect(rec.times("task 3")).toEqual([10_000 + ATTEMPT_MS]);
  });

  it("a task is not run once the connection is gone: it waits for the next one", async () => {
    const { rec, bind } = recorder();
    await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      at(root, 10, () => {
        cm.onNextConnect(() => {
          rec.mark("first");
          cm.disconnect(false, -1);
        });
        cm.onNextConnect(() => rec.mark(`second ${root.server.isconnected()}`));
      });
      at(root, 20, () => cm.connect());
    });
    expect(rec.entries).toEqual([
      ["first", 10_000],
      ["second true", 20_000 + ATTEMPT_MS],
    ]);
  });

  it("connectFor with an async task disconnects once the task has settled", async () => {
    const { rec, bind } = recorder();
    const run = await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root);
      at(root, 10, () =>
        cm.connectFor(
          () =>
            new Promise<void>((resolve) =>
              // async: the simulator lets promise continuations run only after a turn that
              // returned a promise (see simulator-bugs.test.ts).
              root.imp.wakeup(2, async () => {
                rec.mark(`task done ${root.server.isconnected()}`);
                resolve();
                await Promise.resolve();
              }),
            ),
        ),
      );
    });
    expect(rec.entries).toEqual([["task done true", 12_000]]);
    expect(run.of("disconnected").map((d) => [d.t, d.expected])).toEqual([[12_000, true]]);
  });
});

describe("watchdog", () => {
  it("an unexpected loss runs onDisconnect(false) at the next check; stayConnected reconnects once the server is back, and onConnect fires", async () => {
    const { rec, bind } = recorder();
    await simulate({ duration: "3m", events: [{ at: "30s", set: { "world.server.up": false } }, { at: "1m", set: { "world.server.up": true } }] }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root, { stayConnected: true });
      cm.onDisconnect((expected) => rec.mark(`onDisconnect ${expected} ${cm.isConnected()}`));
      cm.onConnect(() => rec.mark(`onConnect ${cm.isConnected()}`));
    });
    expect(rec.labels()).toEqual(["onDisconnect false false", "onConnect true"]);
    // checks at 3.38 s + 5 s·k: the first after the loss at 30 s
    expect(rec.times("onDisconnect false false")).toEqual([33_380]);
    expect(rec.times("onConnect true")[0]).toBeGreaterThan(60_000);
    expect(rec.times("onConnect true")[0]).toBeLessThan(60_000 + 2 * ATTEMPT_MS);
  });

  it("without stayConnected, an unexpected loss stops impOS's own recovery (server.disconnect()) and nothing reconnects", async () => {
    const run = await simulate({ duration: "3m", events: [{ at: "30s", set: { "world.server.up": false } }, { at: "40s", set: { "world.server.up": true } }] }, (root) => {
      new ConnectionManager(root);
    });
    expect(run.of("attempt").filter((a) => a.t > 33_380)).toEqual([]);
    expect(run.of("connected")).toHaveLength(1);
  });
});

describe("startBehavior and BlinkUp", () => {
  it("CM_START_CONNECTED connects on the next turn; CM_START_DISCONNECTED disconnects on the next turn", async () => {
    const { rec, bind } = recorder();
    const run = await simulate({ duration: "30s", devices: [{ id: "up" }, { id: "down" }] }, {
      up: (root) => {
        bind(root);
        root.server.disconnect();
        const cm = new ConnectionManager(root, { startBehavior: CM_START_CONNECTED });
        rec.mark(`constructed ${cm.isConnected()}`);
      },
      down: (root) => at(root, 20, () => new ConnectionManager(root, { startBehavior: CM_START_DISCONNECTED })),
    });
    expect(rec.entries).toEqual([["constructed false", ATTEMPT_MS]]);
    expect(run.of("attempt", "up").map((a) => [a.t - a.ms, a.reasonName])).toEqual([
      [0, "SERVER_CONNECTED"],
      [ATTEMPT_MS, "SERVER_CONNECTED"],
    ]);
    expect(run.of("disconnected", "down").map((d) => [d.t, d.expected])).toEqual([[20_000, true]]);
  });

  it("blinkupBehavior drives imp.enableblinkup with the manager's view", async () => {
    const calls: string[] = [];
    await simulate({ duration: "1m" }, (root) => {
      const enable = root.imp.enableblinkup;
      root.imp.enableblinkup = (on) => {
        calls.push(`${on}`);
        enable(on);
      };
      const mark = (what: string) => calls.push(what);
      const cm = new ConnectionManager(root); // CM_BLINK_ON_DISCONNECT, connected
      at(root, 10, () => {
        mark("disconnect");
        cm.disconnect(false, -1);
        mark("on-connect");
        cm.setBlinkUpBehavior(CM_BLINK_ON_CONNECT);
        mark("always");
        cm.setBlinkUpBehavior(CM_BLINK_ALWAYS);
        mark("never");
        cm.setBlinkUpBehavior(CM_BLINK_NEVER);
        mark("on-connect, connect");
        cm.setBlinkUpBehavior(CM_BLINK_ON_CONNECT).connect();
      });
    });
    expect(calls).toEqual(["false", "disconnect", "true", "on-connect", "false", "always", "true", "never", "false", "on-connect, connect", "false", "true"]);
  });
});

describe("errorPolicy SUSPEND_ON_ERROR", () => {
  it("connect() under SUSPEND_ON_ERROR uses the blocking form (R04) and still ends in one connected flow", async () => {
    const { rec, bind } = recorder();
    const run = await simulate({ duration: "1m" }, (root) => {
      bind(root);
      const cm = new ConnectionManager(root, { errorPolicy: SUSPEND_ON_ERROR });
      cm.onConnect(() => rec.mark("onConnect"));
      at(root, 10, () => {
        cm.disconnect(false, -1);
        cm.connect();
      });
    });
    expect(rec.entries).toEqual([["onConnect", 10_000 + ATTEMPT_MS]]);
    expect(run.of("warning")).toEqual([]); // no callback was passed where it would be ignored
  });
});
