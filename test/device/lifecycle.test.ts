import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { at, simulate } from "../support/simulate.js";

describe("program lifecycle", () => {
  it("an uncaught error is an error line and the program restarts 10 s later (boot cause error)", async () => {
    let starts = 0;
    const run = await simulate({ duration: "1m" }, ({ imp }) => {
      starts++;
      if (starts === 1) imp.wakeup(5, () => {
        throw new Error("sensor fell off");
      });
    });
    expect(run.of("error")).toMatchObject([{ t: 8380, text: "sensor fell off" }]);
    expect(run.of("boot").map((b) => [b.t, b.cause])).toEqual([
      [3380, "cold"],
      [18_380, "error"],
    ]);
    expect(starts).toBe(2);
  });

  it("a rejected promise from an async callback or main is an error too", async () => {
    const run = await simulate({ duration: "30s" }, async () => {
      await Promise.resolve();
      throw new Error("async failure");
    });
    expect(run.of("error").map((e) => [e.t, e.text])).toEqual([
      [3380, "async failure"],
      [13_380, "async failure"],
      [23_380, "async failure"],
    ]);
  });

  it("after an error the old program's timers and handlers are gone", async () => {
    const fired: number[] = [];
    let starts = 0;
    await simulate({ duration: "1m" }, ({ imp, hardware }) => {
      starts++;
      if (starts > 1) return;
      imp.wakeup(20, () => fired.push(hardware.millis()));
      imp.wakeup(1, () => {
        throw new Error("x");
      });
    });
    expect(fired).toEqual([]);
  });

  it("an attempt the old program started goes on after a restart, and its outcome reaches no one", async () => {
    const calls: number[] = [];
    let starts = 0;
    const run = await simulate({ duration: "1m", world: { server: { up: false, failure: "blackhole" } }, events: [{ at: "15s", set: { "world.server.up": true } }] }, (root) => {
      starts++;
      if (starts > 1) return;
      root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
      root.server.onunexpecteddisconnect((r) => calls.push(r));
      root.server.connect((r) => calls.push(r), 40);
      root.imp.wakeup(1, () => {
        throw new Error("restart while connecting");
      });
    });
    expect(calls).toEqual([]);
    expect(run.of("boot").map((b) => b.cause)).toEqual(["cold", "error"]);
    expect(run.of("callback")).toEqual([]);
    expect(run.of("attempt").at(-1)!.reasonName).toBe("NO_SERVER"); // the program's attempt ran on to its deadline
    expect(run.of("attempt").at(-1)!.t).toBe(50_000);
  });

  it("a promise chain the program leaves unhandled is an error line, and the simulation goes on", async () => {
    const run = await simulate({ duration: "30s" }, ({ imp, server }) => {
      void new Promise<void>((resolve) => imp.wakeup(1, resolve)).then(() => {
        throw new Error("nobody catches this");
      });
      imp.wakeup(5, () => void server.log("still running"));
    });
    expect(run.of("error")).toMatchObject([{ t: 4380, device: "world" }]);
    expect(run.of("error")[0]!.text).toContain("nobody catches this");
    expect(run.of("log").map((l) => l.t)).toEqual([8380]);
  });

  it("program errors never stop the simulation, whatever they throw", async () => {
    const run = await simulate({ duration: "25s" }, () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw "a string";
    });
    expect(run.of("error").map((e) => e.text)).toEqual(["a string", "a string", "a string"]);
  });

  it("imp.wakeup handles can be cancelled; imp.onidle runs once when the loop is clear", async () => {
    const order: string[] = [];
    await simulate({ duration: "30s" }, ({ imp }) => {
      const h = imp.wakeup(1, () => order.push("cancelled timer"));
      imp.wakeup(2, () => order.push("timer"));
      imp.onidle(() => order.push("idle"));
      order.push("main");
      imp.cancelwakeup(h);
    });
    expect(order).toEqual(["main", "idle", "timer"]);
  });

  it("hardware.millis() and time() run on the virtual clock", async () => {
    const seen: number[] = [];
    await simulate({ duration: "3m" }, (root) => {
      at(root, 125, () => seen.push(root.hardware.millis(), root.time()));
    });
    expect(seen).toEqual([125_000, 125]);
  });

  it("math.rand() is seeded: the same seed gives the same numbers, another seed others", async () => {
    const draw = async (seed: number) => {
      const out: number[] = [];
      await simulate({ duration: "10s", seed }, ({ math }) => void out.push(math.rand(), math.rand()));
      return out;
    };
    expect(await draw(1)).toEqual(await draw(1));
    expect(await draw(1)).not.toEqual(await draw(2));
  });
});

describe("device programs from files", () => {
  it("loads a TypeScript program through tsx, with error stacks relative to the scenario", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "impnet-ts-"));
    await writeFile(
      path.join(dir, "device.ts"),
      'interface Root { imp: { wakeup(s: number, cb: () => void): unknown } }\nexport default function main({ imp }: Root): void {\n  imp.wakeup(1, () => {\n    throw new Error("typed failure");\n  });\n}\n',
    );
    await writeFile(path.join(dir, "scenario.yaml"), "duration: 8s\ndevices:\n  - { id: ts, program: ./device.ts }\n");
    const bin = fileURLToPath(new URL("../../bin/impnet.js", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, "sim", path.join(dir, "scenario.yaml"), "--json"]);
    const error = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; text?: string; stack?: string })
      .find((e) => e.type === "error")!;
    expect(error.text).toBe("typed failure");
    expect(error.stack).toContain("device.ts");
    expect(error.stack).not.toContain(dir);
  });

  it("a program without a default-exported function is a clear load error", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "impnet-bad-"));
    await writeFile(path.join(dir, "device.mjs"), "export const main = 1;\n");
    await writeFile(path.join(dir, "scenario.yaml"), "duration: 8s\ndevices:\n  - { id: d, program: ./device.mjs }\n");
    const bin = fileURLToPath(new URL("../../bin/impnet.js", import.meta.url));
    const err = await promisify(execFile)(process.execPath, [bin, "sim", path.join(dir, "scenario.yaml")]).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain("default-exported function");
  });
});
