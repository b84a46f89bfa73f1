import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import type { TimerId } from "../src/clock/clock.js";
import { RealClock } from "../src/clock/real-clock.js";
import { checkFleetFits, FleetTooLargeError } from "../src/scenario/fleet-memory.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const demo = path.join(root, "examples/demo/scenario.yaml");

async function cli(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(["node", "impnet", ...args], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

async function scenarioFile(text: string, program = "export default function main() {}\n"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "impnet-cli-"));
  await writeFile(path.join(dir, "device.mjs"), program);
  const file = path.join(dir, "scenario.yaml");
  await writeFile(file, text);
  return file;
}

describe("impnet sim", () => {
  it("prints the timeline as JSON lines, the same bytes for the same scenario and seed", async () => {
    const a = await cli("sim", demo, "--json");
    const b = await cli("sim", demo, "--json");
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const lines = a.out.trimEnd().split("\n").map((l) => JSON.parse(l) as { t: number; device: string; type: string });
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.every((l, i) => i === 0 || l.t >= lines[i - 1]!.t)).toBe(true);
    expect(new Set(lines.map((l) => l.type))).toEqual(new Set(["attempt", "connected", "boot", "message", "log", "callback", "world", "disconnected"]));
  });

  it("prints for people without --json: mm:ss.mmm times and reason names, no colour when not a terminal", async () => {
    const { code, out } = await cli("sim", demo);
    expect(code).toBe(0);
    expect(out).toMatch(/^00:03\.380 +sensor +attempt +wl0 wifi +SERVER_CONNECTED/m);
    expect(out).not.toContain("\u001b[");
  });

  it("--html FILE: the timeline printed as without it, and the report written with the same lines' data; a missing folder refused before anything runs", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "impnet-cli-"));
    const out = path.join(dir, "demo.html");
    const plain = await cli("sim", demo, "--json");
    const r = await cli("sim", demo, "--json", "--html", out);
    expect(r.code).toBe(0);
    expect(r.out).toBe(plain.out);
    const html = await readFile(out, "utf8");
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!) as { devices: number; strips: { id: string; lines: unknown[] }[] };
    const lines = plain.out.trimEnd().split("\n").map((l) => JSON.parse(l) as { device: string });
    expect(data.devices).toBe(3);
    for (const strip of data.strips) expect(strip.lines.length).toBe(lines.filter((l) => l.device === strip.id).length);
    const missing = path.join(dir, "no", "demo.html");
    const refused = await cli("sim", demo, "--html", missing);
    expect(refused).toEqual({ code: 2, out: "", err: `impnet: --html ${missing}: the folder ${path.join(dir, "no")} does not exist\n` });
  });

  it("a progress bar on stderr (share done, wall time, events/s, devices connected) when the timeline goes to a file or pipe and stderr is a terminal; none beside a timeline on the terminal, nor with --json or --quiet", { timeout: 60_000 }, async () => {
    const file = await scenarioFile("duration: 20m\ndevices:\n  - { id: d, program: ./device.mjs, count: 3000 }\nevents:\n  - { at: 2m, set: { world.server.up: false } }\n  - { at: 12m, set: { world.server.up: true } }\n");
    const run = async (args: string[], tty: { stdout: boolean; stderr: boolean }) => {
      let out = "";
      let err = "";
      const code = await main(["node", "impnet", "sim", file, ...args], { stdout: { write: (t: string) => (out += t), isTTY: tty.stdout }, stderr: { write: (t: string) => (err += t), isTTY: tty.stderr } });
      return { code, out, err };
    };
    const piped = await run([], { stdout: false, stderr: true });
    expect(piped.code).toBe(0);
    const updates = piped.err.split("\r\x1b[K").filter((t) => t !== "");
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates) expect(u).toMatch(/^scenario\.yaml \[#*\.*\] \d+% \d\d:\d\d\.\d{3} of 20:00\.000 virtual, \d+\.\d s wall, [\d,]+ events\/s, [\d,]+ connected$/);
    expect(piped.err.endsWith("\r\x1b[K")).toBe(true);
    expect((await run([], { stdout: true, stderr: true })).err).toBe("");
    expect((await run(["--json"], { stdout: false, stderr: true })).err).toBe("");
    const quiet = await run(["--quiet"], { stdout: false, stderr: true });
    expect(quiet).toEqual({ code: 0, out: "", err: "" });
  });

  it("--seed overrides the scenario's seed", async () => {
    // The seed reaches a program through math.rand: log a few draws, so the timeline shows which seed ran.
    const program = 'export default function main(root) {\n  for (let i = 0; i < 4; i++) root.server.log("rand " + root.math.rand());\n}\n';
    const scenario = (seed: number) => scenarioFile(`duration: 1m\nseed: ${seed}\ndevices:\n  - { id: a, program: ./device.mjs }\n`, program);
    const [seven, eight] = [await scenario(7), await scenario(8)];
    const sim = async (...args: string[]) => {
      const r = await cli("sim", ...args, "--json");
      expect(r.code, r.err).toBe(0);
      return r.out;
    };
    const draws = (out: string) => out.match(/"text":"rand \d+"/g);

    const byFile7 = await sim(seven);
    expect(draws(byFile7)).toHaveLength(4);
    expect(await sim(seven), "the same seed, the same bytes").toBe(byFile7);
    const byFile8 = await sim(eight);
    expect(draws(byFile8), "another seed, other draws").not.toEqual(draws(byFile7));
    expect(byFile8).not.toBe(byFile7);
    // The command line wins over the file, either way round.
    expect(await sim(seven, "--seed", "8")).toBe(byFile8);
    expect(await sim(eight, "--seed", "7")).toBe(byFile7);
    expect(await sim(seven, "--seed", "7")).toBe(byFile7);

    const bad = await cli("sim", seven, "--seed", "-3");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--seed");
  });

  it("rejects an invalid scenario before anything runs: every bad field by path, exit code 2", async () => {
    const file = await scenarioFile(
      "duration: 1m\nworld:\n  server: { up: maybe }\ndevices:\n  - { id: a, program: ./device.mjs, release: 41 }\n  - { id: b, program: ./missing.mjs }\n",
    );
    const { code, out, err } = await cli("sim", file);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain("world.server.up");
    expect(err).toContain("devices[0].release");
    expect(err).toContain("devices[1].program");
  });

  it("names a missing scenario file", async () => {
    const { code, err } = await cli("sim", "/nonexistent/scenario.yaml");
    expect(code).toBe(2);
    expect(err).toContain("/nonexistent/scenario.yaml");
  });

  it("runs as `impnet` from the built bin (what npx impnet runs)", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, "bin/impnet.js"), "sim", demo, "--json"], { cwd: root });
    expect(stdout).toBe((await cli("sim", demo, "--json")).out);
  });
});

/** The built bin as a user runs it; its stdout is read until `lines` lines came, then closed, as `| head -N` does. */
function headOfBin(args: string[], lines: number, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; head: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "bin/impnet.js"), ...args], { cwd: root, env: { ...process.env, ...env } });
    let head = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      head += d.toString();
      if (head.split("\n").length > lines) child.stdout.destroy();
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("close", (code) => resolve({ code, head, stderr }));
  });
}

describe("Unix manners", () => {
  it("--version prints the package's version", async () => {
    const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { version: string };
    const r = await cli("--version");
    expect(r).toMatchObject({ code: 0, out: `${pkg.version}\n` });
  });

  it("sim --json | head -1: stops quietly when its reader goes, exit 0, nothing on stderr", async () => {
    const r = await headOfBin(["sim", demo, "--json"], 1);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("run --json | head -1: a reader that goes ends the run at once, exit 0, nothing on stderr", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "impnet-cli-pipe-"));
    const program = path.join(dir, "device.nut");
    await writeFile(program, 'server.log("hi");\n');
    // Nothing listens on port 1: an attempt line each second, so the closed pipe is met on the second.
    // No --for: only the reader going can end this run (the test's own limit would catch a hang).
    const r = await headOfBin(["run", program, "--server", "mqtt://127.0.0.1:1", "--id", "d", "--json"], 1, { IMPNET_DEVICE_SECRET: "s" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.head.split("\n")[0]).toMatch(/^\{"t":\d+,"device":"d","type":"attempt"/);
  });

  it("colour: FORCE_COLOR turns it on into a pipe, NO_COLOR turns it off, --json never has it", async () => {
    const sim = async (env: NodeJS.ProcessEnv, ...extra: string[]) => {
      let out = "";
      await main(["node", "impnet", "sim", demo, ...extra], { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, env });
      return out.includes("\u001b[");
    };
    expect(await sim({})).toBe(false);
    expect(await sim({ FORCE_COLOR: "1" })).toBe(true);
    expect(await sim({ FORCE_COLOR: "0" })).toBe(false);
    expect(await sim({ FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(false);
    expect(await sim({ FORCE_COLOR: "1" }, "--json")).toBe(false);
  });
});

describe("never stuck", () => {
  it("a fleet this process cannot hold is refused before it starts, saying how much memory it needs", async () => {
    const file = await scenarioFile("duration: 1h\ndevices:\n  - { id: d, program: ./device.mjs, count: 1000000 }\n");
    const r = await headOfBin(["sim", file], 1000, { NODE_OPTIONS: "--max-old-space-size=2048" });
    expect(r.code).toBe(2);
    expect(r.head).toBe("");
    expect(r.stderr).toMatch(/^impnet: 1,000,000 devices need about \d+\.\d GB of heap and this process may use 2\.0 GB: run with NODE_OPTIONS=--max-old-space-size=\d+ .*\n$/);
  });

  const looping = 'export default function main({ server, imp }) {\n  imp.wakeup(5, () => { server.log("looping"); for (;;); });\n}\n';

  it("a program in an endless loop: sim prints an error line once the turn limit passes, restarts the program, and finishes, exit 0", async () => {
    const file = await scenarioFile("duration: 30s\ndevices:\n  - { id: d, program: ./device.mjs }\n", looping);
    const r = await headOfBin(["sim", file, "--json", "--turn-limit", "200ms"], 1000);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    const lines = r.head.trimEnd().split("\n").map((l) => JSON.parse(l) as { t: number; type: string; text?: string; cause?: string });
    const errors = lines.filter((l) => l.type === "error");
    expect(errors.map((e) => e.t)).toEqual([5000 + lines.find((l) => l.type === "boot")!.t, expect.any(Number) as unknown]);
    expect(errors[0]!.text).toBe("the program ran for 0.2 s in one turn without returning (an endless loop?); the turn was stopped");
    expect(lines.filter((l) => l.type === "boot").map((l) => l.cause)).toEqual(["cold", "error"]);
  });

  it("Ctrl-C ends sim at once, even inside an endless loop with a long turn limit (sim leaves SIGINT to the system)", async () => {
    const file = await scenarioFile("duration: 1m\ndevices:\n  - { id: d, program: ./device.mjs }\n", looping);
    const child = spawn(process.execPath, [path.join(root, "bin/impnet.js"), "sim", file, "--turn-limit", "1h"], { cwd: root });
    const exited = new Promise<string | number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
    let out = "";
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes('"looping"')) resolve();
      }),
    );
    child.kill("SIGINT");
    // A guard, not a timing: the loop would hold the process for the hour of its turn limit.
    const clock = new RealClock();
    let guard: TimerId | undefined;
    const ended = await Promise.race([exited, new Promise((resolve) => (guard = clock.setTimer(10_000, () => resolve("still running 10 s after SIGINT"))))]);
    clock.clearTimer(guard!);
    child.kill("SIGKILL");
    expect(ended).toBe("SIGINT");
  });

  it("the estimate refuses only what cannot fit", () => {
    expect(() => checkFleetFits(1000, 0, 100 * 2 ** 20)).not.toThrow();
    expect(() => checkFleetFits(100_000, 0, 100 * 2 ** 20)).toThrow(FleetTooLargeError);
    expect(() => checkFleetFits(10_000, 0, 100 * 2 ** 20)).not.toThrow(); // 10,000 JavaScript devices fit in 100 MB…
    expect(() => checkFleetFits(10_000, 10_000, 100 * 2 ** 20)).toThrow(FleetTooLargeError); // …10,000 Squirrel ones do not
  });
});

describe("impnet sim with Squirrel programs", () => {
  async function nutScenario(files: Record<string, string>, scenario: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "impnet-cli-nut-"));
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    const file = path.join(dir, "scenario.yaml");
    await writeFile(file, scenario);
    return file;
  }

  it("S7 a program that does not compile: one FILE:LINE:COLUMN line on stderr, exit 2, no timeline", async () => {
    const file = await nutScenario({ "device.nut": 'server.log("a");\nlocal = 3;\n' }, "duration: 1m\ndevices: [{ id: dev, program: device.nut }]\n");
    const r = await cli("sim", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/device\.nut:2:7: expected 'IDENTIFIER'\n$/);
    expect(r.err.split("\n")).toHaveLength(2);
    expect(r.out).toBe("");
  });

  it("S6 a missing library: one line naming it, its version and the folders searched; --libs, the scenario's libs, IMPNET_LIBS", async () => {
    const file = await nutScenario({ "device.nut": '#require "Nowhere.lib.nut:2.0.0"\n' }, "duration: 1m\nlibs: [./mylibs]\ndevices: [{ id: dev, program: device.nut }]\n");
    const r = await cli("sim", file, "--libs", "/opt/first");
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/Nowhere\.lib\.nut/);
    expect(r.err).toMatch(/2\.0\.0/);
    expect(r.err.indexOf("/opt/first")).toBeGreaterThan(-1);
    expect(r.err.indexOf("/opt/first")).toBeLessThan(r.err.indexOf("mylibs"));
  });

  it("S6 #require finds the library in the scenario's libs folder", async () => {
    const file = await nutScenario(
      { "device.nut": '#require "Hello.lib.nut:1.0.0"\nserver.log(hello());\n', "Hello.lib.nut@1.0.0": 'function hello() { return "from a library"; }\n' },
      "duration: 1m\nlibs: [.]\ndevices: [{ id: dev, program: device.nut }]\n",
    );
    const r = await cli("sim", file, "--json");
    expect(r.code).toBe(0);
    expect(r.out).toContain('"text":"from a library"');
  });
});

describe("impnet sim --var", () => {
  it("S6 --var NAME=VALUE sets a Builder variable for Squirrel programs; a malformed one is refused", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "impnet-cli-var-"));
    await writeFile(path.join(dir, "device.nut"), 'server.log("@{GREETING} from " + "@{TARGET}");\n');
    await writeFile(path.join(dir, "scenario.yaml"), "duration: 1m\ndevices: [{ id: dev, program: device.nut }]\n");
    const r = await cli("sim", path.join(dir, "scenario.yaml"), "--json", "--var", "GREETING=hello", "--var", "TARGET=impnet");
    expect(r.code).toBe(0);
    expect(r.out).toContain('"text":"hello from impnet"');
    const bad = await cli("sim", path.join(dir, "scenario.yaml"), "--var", "no-equals");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/expected NAME=VALUE/);
  });
});
