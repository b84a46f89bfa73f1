import { describe, expect, it } from "vitest";
import { at, simulate } from "../support/simulate.js";
import type { RootTable } from "../../src/device/api/root.js";

const policy = (root: RootTable, error: string, wait: string, timeout = 10) =>
  root.server.setsendtimeoutpolicy(root[error] as number, root[wait] as number, timeout);

const blackholeAt30s = [{ at: "30s", set: { "world.server": { up: false, failure: "blackhole" } } }];

describe("R32 server.log, server.error and server.flush", () => {
  it("R32 log and error reach the server, error marked as such, and return 0", async () => {
    const results: unknown[] = [];
    const run = await simulate({ duration: "1m" }, (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
      results.push(root.server.log("hello"), root.server.error("oops"));
    });
    expect(results).toEqual([0, 0]);
    expect(run.of("log").map((l) => [l.text, l.error])).toEqual([
      ["hello", false],
      ["oops", true],
    ]);
  });

  it("R32 WAIT_FOR_ACK: done when the server acknowledged it", async () => {
    const done: [number, number][] = [];
    await simulate({ duration: "1m" }, async (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_FOR_ACK");
      const start = root.hardware.millis();
      const r = await root.server.log("ack me");
      done.push([root.hardware.millis() - start, r]);
    });
    expect(done).toEqual([[30, 0]]); // one round trip
  });

  it("R32 WAIT_FOR_ACK: SEND_ERROR_TIMEOUT after the policy's timeout when no ack comes", async () => {
    const done: [number, number][] = [];
    await simulate({ duration: "2m", events: blackholeAt30s }, (root) => {
      policy(root, "RETURN_ON_ERROR_NO_DISCONNECT", "WAIT_FOR_ACK", 7);
      at(root, 40, async () => {
        const r = await root.server.log("nobody hears");
        done.push([root.hardware.millis(), r]);
      });
    });
    expect(done).toEqual([[47_000, 2]]);
  });

  it("R32 flush returns true when everything pending was acknowledged within the timeout", async () => {
    const seen: unknown[] = [];
    await simulate({ duration: "1m" }, async (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
      void root.server.log("a");
      seen.push(await root.server.flush(5));
    });
    expect(seen).toEqual([true]);
  });

  it("R32 flush returns false when data stays unacknowledged, and never closes the connection", async () => {
    const seen: unknown[] = [];
    const run = await simulate({ duration: "100s", events: blackholeAt30s }, (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
      at(root, 40, async () => {
        void root.server.log("held");
        const ok = await root.server.flush(5);
        seen.push(ok, root.hardware.millis(), root.server.isconnected());
      });
    });
    expect(seen).toEqual([false, 45_000, true]);
    expect(run.of("disconnected").filter((d) => d.t <= 45_000)).toEqual([]);
  });

  it("R32 data held for a silent server arrives when it answers again", async () => {
    const run = await simulate(
      { duration: "2m", events: [...blackholeAt30s, { at: "50s", set: { "world.server.up": true } }] },
      (root) => {
        policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
        at(root, 40, () => void root.server.log("late"));
      },
    );
    expect(run.of("log").map((l) => [l.t, l.text])).toEqual([[50_000, "late"]]);
  });

  it("R32 a flush timeout that is not a positive number throws", async () => {
    const errors: unknown[] = [];
    await simulate({ duration: "1m" }, (root) => {
      try {
        void root.server.flush(-1);
      } catch (e) {
        errors.push((e as { argument?: string }).argument);
      }
    });
    expect(errors).toEqual(["timeout"]);
  });
});

describe("R33 agent and device messages", () => {
  it("R33 agent.send reaches the agent's device.on; the agent's device.send reaches agent.on", async () => {
    const deviceGot: unknown[] = [];
    const agentGot: unknown[] = [];
    const run = await simulate(
      { duration: "1m" },
      (root) => {
        policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
        root.agent.on("pong", (d) => deviceGot.push(d));
        void root.agent.send("ping", { n: 1, bytes: new Uint8Array([1, 2, 3]), list: [true, null, "x"] });
      },
      {
        dev: ({ device }) =>
          device.on("ping", (d) => {
            agentGot.push(d);
            device.send("pong", { n: (d as { n: number }).n + 1 });
          }),
      },
    );
    expect(agentGot).toEqual([{ n: 1, bytes: new Uint8Array([1, 2, 3]), list: [true, null, "x"] }]);
    expect(deviceGot).toEqual([{ n: 2 }]);
    expect(run.of("message").map((m) => [m.from, m.name])).toEqual([
      ["device", "ping"],
      ["agent", "pong"],
    ]);
  });

  it("R33 the receiver gets a copy: changing the sent object afterwards changes nothing", async () => {
    const got: unknown[] = [];
    await simulate(
      { duration: "1m" },
      (root) => {
        policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
        const data = { v: 1 };
        void root.agent.send("d", data);
        data.v = 2;
      },
      { dev: ({ device }) => device.on("d", (d) => got.push(d)) },
    );
    expect(got).toEqual([{ v: 1 }]);
  });

  it("R33 a message over 256 KB fails with a clear error and sends nothing", async () => {
    const codes: unknown[] = [];
    const run = await simulate({ duration: "1m" }, (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
      try {
        void root.agent.send("big", new Uint8Array(256 * 1024 + 1));
      } catch (e) {
        codes.push((e as { code?: string }).code);
      }
      void root.agent.send("just-fits", new Uint8Array(256 * 1024));
    }, { dev: ({ device }) => device.on("just-fits", () => {}) });
    expect(codes).toEqual(["IMPNET_MESSAGE_TOO_LARGE"]);
    expect(run.of("message").map((m) => m.name)).toEqual(["just-fits"]);
  });

  it.each([
    ["a function", () => 1],
    ["a Map", new Map()],
    ["a symbol", Symbol("s")],
    ["a class instance", new (class Thing {})()],
    ["a non-finite number", Infinity],
  ])("R33 data that JSON cannot carry (%s) throws and sends nothing", async (_name, data) => {
    const codes: unknown[] = [];
    const run = await simulate({ duration: "1m" }, (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
      try {
        void root.agent.send("x", data);
      } catch (e) {
        codes.push((e as { code?: string; argument?: string }).argument);
      }
    });
    expect(codes).toEqual(["data"]);
    expect(run.of("message")).toEqual([]);
  });

  it("R33 a message for a name with no handler is dropped with a warning", async () => {
    const run = await simulate({ duration: "1m" }, (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
      void root.agent.send("nobody", 1);
    }, { dev: () => {} });
    expect(run.of("warning")).toHaveLength(1);
  });

  it("R33 the agent sees the device connect and disconnect", async () => {
    const seen: string[] = [];
    await simulate({ duration: "1m", events: [{ at: "30s", set: { "world.wifi": [] } }] }, () => {}, {
      dev: ({ device }) => {
        device.onconnect(() => seen.push(`connect ${String(device.isconnected())}`));
        device.ondisconnect(() => seen.push(`disconnect ${String(device.isconnected())}`));
      },
    });
    expect(seen).toEqual(["connect true", "disconnect false"]);
  });

  it("R33 agents start at t=0, before their device boots", async () => {
    const started: number[] = [];
    let booted = -1;
    await simulate({ duration: "1m" }, ({ hardware }) => void (booted = hardware.millis()), { dev: () => void started.push(booted) });
    expect(started).toEqual([-1]);
    expect(booted).toBe(3380);
  });
});

describe("R36 JavaScript shape: values directly, promises where the imp blocks", () => {
  it("R36 RETURN_ON_ERROR + WAIT_TIL_SENT: server.log returns a number at once", async () => {
    const kinds: string[] = [];
    await simulate({ duration: "1m" }, (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
      kinds.push(typeof root.server.log("x"), typeof root.server.isconnected());
    });
    expect(kinds).toEqual(["number", "boolean"]);
  });

  it("R36 WAIT_FOR_ACK sends, flush, and SUSPEND_ON_ERROR connect return promises", async () => {
    const kinds: boolean[] = [];
    await simulate({ duration: "1m" }, (root) => {
      const isPromise = (v: unknown) => v instanceof Promise;
      kinds.push(isPromise(root.server.connect()));
      kinds.push(isPromise(root.server.flush(1)));
      policy(root, "RETURN_ON_ERROR", "WAIT_FOR_ACK");
      kinds.push(isPromise(root.server.log("x")), isPromise(root.agent.send("x", 1)));
    });
    expect(kinds).toEqual([true, true, true, true]);
  });

  it("R36 a blocking call freezes the device: no other callback runs until it returns", async () => {
    const order: string[] = [];
    await simulate({ duration: "2m", events: blackholeAt30s }, (root) => {
      policy(root, "RETURN_ON_ERROR_NO_DISCONNECT", "WAIT_FOR_ACK", 10);
      at(root, 40, async () => {
        order.push("send");
        await root.server.log("slow");
        order.push(`returned at ${root.hardware.millis()}`);
      });
      at(root, 45, () => order.push(`timer due at 45 s ran at ${root.hardware.millis()}`));
    });
    expect(order).toEqual(["send", "returned at 50000", "timer due at 45 s ran at 50000"]);
  });

  it("R36 module-level state is shared by every copy of a device", async () => {
    let shared = 0;
    await simulate({ duration: "1m", devices: [{ id: "dev", count: 3 }] }, () => void shared++);
    expect(shared).toBe(3);
  });
});

describe("R32 what server.log sends", () => {
  it("R32 non-strings go as JSON; data JSON cannot carry throws naming the argument", async () => {
    const codes: unknown[] = [];
    const run = await simulate({ duration: "1m" }, (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
      void root.server.log({ a: 1 });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const bad of [cyclic, 10n]) {
        try {
          void root.server.log(bad);
        } catch (e) {
          codes.push((e as { argument?: string }).argument);
        }
      }
    });
    expect(run.of("log").map((l) => l.text)).toEqual(['{"a":1}']);
    expect(codes).toEqual(["message", "message"]);
  });
});

describe("R33 the size limit applies to log lines too", () => {
  it("R33 a log line over 256 KB throws and sends nothing", async () => {
    const codes: unknown[] = [];
    const run = await simulate({ duration: "1m" }, (root) => {
      policy(root, "RETURN_ON_ERROR", "WAIT_TIL_SENT");
      try {
        void root.server.log("x".repeat(256 * 1024 + 1));
      } catch (e) {
        codes.push((e as { code?: string }).code);
      }
      void root.server.log("x".repeat(256 * 1024));
    });
    expect(codes).toEqual(["IMPNET_MESSAGE_TOO_LARGE"]);
    expect(run.of("log")).toHaveLength(1);
  });
});
