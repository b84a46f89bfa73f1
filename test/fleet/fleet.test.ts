import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { accepts } from "../../src/fleet/child-process.js";
import { BUILT_IN_STRATEGIES } from "../../src/fleet/strategies.js";
import { sourceAddress } from "../../src/fleet/real-fleet.js";
import { resolveStrategy, runStrategy } from "../../src/fleet/run-fleet.js";
import type { StrategyRun } from "../../src/fleet/run-fleet.js";
import { parseScenario } from "../../src/scenario/load.js";
import { freePort, mosquittoConfig, requireBinary, startMosquitto, tempDir } from "../host/real-parts.js";
import { outage } from "./outage-scenario.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

async function run(strategy: string, devices = 200): Promise<StrategyRun> {
  const dir = tempDir();
  const { raw } = outage(devices, dir);
  return runStrategy(parseScenario(raw, "fleet", dir), await resolveStrategy(strategy));
}

/** `impnet fleet ARGS` in this process; its stderr a terminal when asked. */
async function fleetInProcess(args: string[], options: { terminal?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["node", "impnet", "fleet", ...args], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: options.terminal === true },
  });
  return { code, out, err };
}

const peakAfter = (r: StrategyRun, fromS: number) => Math.max(...r.figures.arrivals.slice(fromS));

describe("impnet fleet's strategies through an outage", () => {
  it("ConnectionManager's immediate retry comes back at once with every device at the same second; jittered backoff spreads the return over time with far fewer attempts", async () => {
    const immediate = await run("cm-immediate");
    const backoff = await run("cm-backoff");
    for (const r of [immediate, backoff]) {
      expect(r.figures.connectedAtEnd).toBe(200);
      expect(r.figures.errors).toBe(0);
    }
    expect(immediate.fromMs).toBe(12 * 60_000);
    expect(peakAfter(immediate, 12 * 60)).toBe(200); // the whole fleet in one second
    expect(peakAfter(backoff, 12 * 60)).toBeLessThan(100);
    expect(immediate.figures.attempts).toBeGreaterThan(3 * backoff.figures.attempts);
    expect(immediate.figures.back.p100!).toBeLessThan(backoff.figures.back.p100!);
    expect(backoff.figures.back.p50!).toBeLessThanOrEqual(backoff.figures.back.p99!);
    expect(backoff.figures.back.p99!).toBeLessThanOrEqual(backoff.figures.back.p100!);
  });

  it("R20 the imp's own SUSPEND_ON_ERROR cycle: devices sleep through most of the outage (few attempts), and all come back", async () => {
    const suspend = await run("suspend", 50);
    const retry = await run("return-retry", 50);
    expect(suspend.figures.connectedAtEnd).toBe(50);
    expect(retry.figures.connectedAtEnd).toBe(50);
    // 10 minutes down: return-retry tries every 10 s; the suspended imp retries for 60 s and sleeps 9 minutes.
    expect(suspend.figures.attempts).toBeLessThan(retry.figures.attempts);
    // Asleep, a device is not connected: the curve drops to zero during the outage.
    expect(Math.min(...suspend.figures.connected.slice(3 * 60, 12 * 60))).toBe(0);
  });

  it("a program file of the user's is a strategy, named by its file", async () => {
    const dir = tempDir();
    const program = path.join(dir, "never.mjs");
    writeFileSync(program, "export default function main({ server, RETURN_ON_ERROR, WAIT_TIL_SENT }) { server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10); }\n");
    const strategy = await resolveStrategy(program);
    expect(strategy.name).toBe("never.mjs");
    const { raw } = outage(20, dir);
    const r = await runStrategy(parseScenario(raw, "fleet", dir), strategy);
    // RETURN_ON_ERROR without a retry: impOS's 60 s of silent recovery, then nobody reconnects (R23).
    expect(r.figures.connectedAtEnd).toBe(0);
    expect(r.figures.back.p50).toBeNull();
  });
});

describe("impnet fleet, as a user runs it", () => {
  const bin = path.join(root, "bin/impnet.js");
  const impnet = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: root });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it("--json: one object per strategy, in the order asked, with its figures and curves; nothing on stderr (no progress into a pipe)", async () => {
    const { file } = outage(30);
    const r = await impnet("fleet", file, "--json", "--strategy", "cm-backoff", "--strategy", "suspend", "--devices", "40");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.strategy)).toEqual(["cm-backoff", "suspend"]);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(["strategy", "what", "devices", "attempts", "attemptsPerDevice", "peakArrivals", "fromMs", "backMs", "connectedAtEnd", "errors", "failedAfter", "wallMs", "events", "series"]);
      expect(l.devices).toBe(40);
      const series = l.series as { stepMs: number; connected: number[]; arrivals: number[] };
      expect(series.stepMs).toBe(1000);
      expect(series.connected).toHaveLength(20 * 60 + 1);
      expect(series.arrivals.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(l.attempts as number);
      expect(series.connected.at(-1)).toBe(l.connectedAtEnd);
    }
  });

  it("the example fleet (examples/fleet/restart.yaml) runs as its comment says, scaled down: all back after the restart", async () => {
    const r = await impnet("fleet", "examples/fleet/restart.yaml", "--strategy", "cm-backoff", "--devices", "100", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ devices: 100, fromMs: 80_000, connectedAtEnd: 100, errors: 0 });
  });

  it("without --json: a table with every built-in strategy and what each one is", async () => {
    const { file } = outage(10);
    const r = await impnet("fleet", file);
    expect(r.code).toBe(0);
    for (const [name, s] of Object.entries(BUILT_IN_STRATEGIES)) {
      expect(r.stdout).toMatch(new RegExp(`^${name} +\\d`, "m"));
      expect(r.stdout).toContain(`${name}: ${s.what}`);
    }
  });

  it("a progress bar on a terminal (share done, virtual time, wall time, events/s), rewritten in place and cleared after each strategy; none with --quiet", { timeout: 30_000 }, async () => {
    const { file } = outage(3000); // long enough (seconds) for a progress line every 250 ms
    const { code, out, err } = await fleetInProcess([file, "--strategy", "cm-immediate"], { terminal: true });
    expect(code).toBe(0);
    const updates = err.split("\r\x1b[K").filter((s) => s !== "");
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates) {
      const m = /^cm-immediate: \[(#*)(\.*)\] (\d+)% (\d\d):(\d\d\.\d{3}) of 20:00\.000 virtual, \d+\.\d s wall, [\d,]+ events\/s$/.exec(u);
      expect(m, u).not.toBeNull();
      const share = (Number(m![4]) * 60 + Number(m![5])) / (20 * 60);
      expect(m![1]!.length + m![2]!.length).toBe(20);
      expect(Number(m![3])).toBe(Math.floor(share * 100 + 1e-9)); // the share of the virtual time done…
      expect(m![1]!.length).toBe(Math.round(share * 20 + 1e-9)); // …and the bar filled from the left by as much
    }
    expect(err.endsWith("\r\x1b[K")).toBe(true);
    expect(out).toContain("cm-immediate");
    const quiet = await fleetInProcess([outage(20).file, "--strategy", "cm-immediate", "--quiet"], { terminal: true });
    expect(quiet.err).toBe("");
  });

  it("--html FILE: the report written beside the table, its data the JSON's; a folder that does not exist is refused before anything runs", async () => {
    const { file } = outage(10);
    const dir = tempDir();
    const out = path.join(dir, "fleet.html");
    const r = await fleetInProcess([file, "--strategy", "suspend", "--html", out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, "utf8");
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!) as { devices: number; strategies: { strategy: string; connectedAtEnd: number }[] };
    expect(data.devices).toBe(10);
    expect(data.strategies.map((s) => [s.strategy, s.connectedAtEnd])).toEqual([["suspend", 10]]);
    const missing = path.join(dir, "nope", "fleet.html");
    const refused = await fleetInProcess([file, "--html", missing]);
    expect({ code: refused.code, out: refused.out }).toEqual({ code: 2, out: "" });
    expect(refused.err).toBe(`impnet: --html ${missing}: the folder ${path.join(dir, "nope")} does not exist\n`);
    const folder = await fleetInProcess([file, "--html", dir]);
    expect(folder.err).toBe(`impnet: --html ${dir}: is a folder, not a file\n`);
  });

  it("bad input: one line, exit 2, nothing run", async () => {
    const { file } = outage(10);
    const unknown = await impnet("fleet", file, "--strategy", "cm-fastest");
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toBe('impnet: --strategy: "cm-fastest" is neither a strategy impnet knows (suspend, return-retry, cm-immediate, cm-backoff) nor a program file\n');
    const zero = await impnet("fleet", file, "--devices", "0");
    expect(zero).toMatchObject({ code: 2, stdout: "" });
    expect(zero.stderr).toMatch(/--devices.*positive integer/);
    const dir = tempDir();
    writeFileSync(path.join(dir, "d.mjs"), "export default function main() {}\n");
    const two = path.join(dir, "two.yaml");
    writeFileSync(two, "duration: 1m\ndevices:\n  - { id: a, program: ./d.mjs }\n  - { id: b, program: ./d.mjs }\n");
    const r = await impnet("fleet", two, "--devices", "5");
    expect(r).toMatchObject({ code: 2, stdout: "" });
    expect(r.stderr).toContain("devices: a device count applies to a scenario with one device entry; this one has 2");
  });
});

describe("impnet fleet --real: real sockets against impnet serve in its own process", () => {
  it("a small fleet through a broker stopped and started again: every device back, the figures measured as on the simulator", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "device.mjs"), "export default function main() {}\n");
    const file = path.join(dir, "real.yaml");
    writeFileSync(file, "duration: 8s\ndevices:\n  - { id: rd, program: ./device.mjs, count: 20 }\nevents:\n  - { at: 2s, set: { world.server.up: false } }\n  - { at: 4s, set: { world.server.up: true } }\n");
    const { code, out, err } = await fleetInProcess([file, "--real", "--json", "--strategy", "cm-immediate"]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    const r = JSON.parse(out) as { devices: number; connectedAtEnd: number; backMs: { p100: number | null }; fromMs: number; peakArrivals: { during: { perSecond: number } }; series: { connected: number[] } };
    expect(r.devices).toBe(20);
    expect(r.fromMs).toBe(4000);
    expect(r.connectedAtEnd).toBe(20);
    expect(r.backMs.p100).not.toBeNull(); // all 20 back after the restart
    expect(r.peakArrivals.during.perSecond).toBeGreaterThan(0); // the loss made them try again while the broker was down
    expect(Math.min(...r.series.connected.slice(2, 4))).toBe(0); // nobody connected while it was down
  });

  it("a scenario event that cannot be made real is refused before anything runs, naming it", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "device.mjs"), "export default function main() {}\n");
    const file = path.join(dir, "dns.yaml");
    writeFileSync(file, "duration: 1m\ndevices:\n  - { id: d, program: ./device.mjs }\nevents:\n  - { at: 10s, set: { world.dns.ok: false } }\n");
    const { code, out, err } = await fleetInProcess([file, "--real"]);
    expect({ code, out }).toEqual({ code: 2, out: "" });
    expect(err).toBe("impnet: --real: the event at 10000 ms sets world.dns.ok; on real sockets impnet plays world.server.up only (the broker stopped and started again)\n");
  });

  it("spreads a fleet's source addresses over 127.0.0.0/8: all distinct, all loopback, never a .0", () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    for (let n = 0; n < 200_000; n++) {
      const a = sourceAddress(n);
      const octets = a.split(".").map(Number);
      if (octets.length !== 4 || octets[0] !== 127 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || octets[3] === 0) bad.push(a);
      seen.add(a);
    }
    expect(bad).toEqual([]);
    expect(seen.size).toBe(200_000);
  });
});

describe("impnet fleet --broker: an external broker (mosquitto) instead of impnet serve", () => {
  /** A 20-device fleet whose broker goes at 2 s and comes back at 4 s (or no events), and its devices' ids. */
  function restartFleet(events = true): { dir: string; file: string; ids: string[] } {
    const dir = tempDir();
    writeFileSync(path.join(dir, "device.mjs"), "export default function main() {}\n");
    const raw = {
      duration: events ? "8s" : "3s",
      devices: [{ id: "mq", program: "./device.mjs", count: 20 }],
      events: events
        ? [
            { at: "2s", set: { "world.server.up": false } },
            { at: "4s", set: { "world.server.up": true } },
          ]
        : [],
    };
    const file = path.join(dir, "fleet.json");
    writeFileSync(file, JSON.stringify(raw));
    return { dir, file, ids: parseScenario(raw, "fleet", dir).devices.map((d) => d.id) };
  }

  /** The fleet's secrets as an id:secret file (what mosquitto_passwd -U takes), and as mosquitto's users. */
  function secretsFile(dir: string, ids: string[]): { file: string; users: Record<string, string> } {
    const users = Object.fromEntries(ids.map((id, i) => [id, `s3cret-${i}`]));
    const file = path.join(dir, "secrets.txt");
    writeFileSync(file, `# the fleet\n\n${Object.entries(users).map(([id, secret]) => `${id}:${secret}`).join("\r\n")}\n`);
    return { file, users };
  }

  it("--broker-command: impnet runs mosquitto, stops and starts it for the scenario's server events, and every device logs in with its --secrets and comes back", { timeout: 60_000 }, async () => {
    const { dir, file, ids } = restartFleet();
    const secrets = secretsFile(dir, ids);
    const port = await freePort();
    const command = `${requireBinary("mosquitto", "mosquitto")} -c ${mosquittoConfig(secrets.users, port)}`;
    const { code, out, err } = await fleetInProcess([file, "--broker", `mqtt://127.0.0.1:${port}`, "--broker-command", command, "--secrets", secrets.file, "--json", "--strategy", "cm-immediate"]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    const r = JSON.parse(out) as { devices: number; connectedAtEnd: number; backMs: { p100: number | null }; fromMs: number; series: { connected: number[] } };
    expect(r).toMatchObject({ devices: 20, connectedAtEnd: 20, fromMs: 4000 });
    expect(r.backMs.p100).not.toBeNull();
    expect(r.series.connected[1]).toBe(20); // all logged in with their secrets before the stop
    expect(Math.min(...r.series.connected.slice(2, 4))).toBe(0); // mosquitto was really gone
    expect(await accepts(port)).toBe(false); // and impnet stopped the one it started
  });

  it("a broker the user runs: the fleet connects to it; without --secrets the devices send no credentials, and a broker that wants them keeps them out", { timeout: 60_000 }, async () => {
    const { dir, file, ids } = restartFleet(false);
    const secrets = secretsFile(dir, ids);
    const mosquitto = await startMosquitto(secrets.users);
    try {
      const withSecrets = await fleetInProcess([file, "--broker", `mqtt://127.0.0.1:${mosquitto.port}`, "--secrets", secrets.file, "--json", "--strategy", "cm-backoff"]);
      expect(withSecrets.code).toBe(0);
      expect(JSON.parse(withSecrets.out)).toMatchObject({ connectedAtEnd: 20, errors: 0 });
      const anonymous = await fleetInProcess([file, "--broker", `mqtt://127.0.0.1:${mosquitto.port}`, "--json", "--strategy", "cm-backoff"]);
      expect(anonymous.code).toBe(0);
      expect(JSON.parse(anonymous.out)).toMatchObject({ connectedAtEnd: 0 });
      expect(await accepts(mosquitto.port)).toBe(true); // not impnet's to stop
    } finally {
      await mosquitto.stop();
    }
  });

  it("bad input: one line naming what was wrong, exit 2, nothing run", async () => {
    const { dir, file, ids } = restartFleet();
    const quiet = restartFleet(false);
    const secrets = secretsFile(dir, ids);
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const refused = async (args: string[], message: string | RegExp) => {
      const r = await fleetInProcess(args);
      expect({ code: r.code, out: r.out }).toEqual({ code: 2, out: "" });
      expect(r.err).toMatch(message);
    };
    await refused([file, "--broker", url], /^impnet: --real: the event at 2000 ms stops or starts the server, and the --broker is not impnet's to restart: give --broker-command/);
    await refused([quiet.file, "--broker", url], `impnet: --broker: nothing accepts connections on 127.0.0.1:${port}\n`);
    await refused([file, "--broker-command", "mosquitto"], /--broker-command: give --broker too/);
    await refused([file, "--secrets", secrets.file], /--secrets: only for an external --broker/);
    await refused([file, "--broker", "http://127.0.0.1:1883"], /--broker.*expected mqtt:\/\/host:port/);
    await refused([file, "--broker", url, "--broker-command", "exit 3", "--secrets", secrets.file], /--broker-command exited before 127\.0\.0\.1:\d+ accepted connections/);
    const missing = path.join(dir, "short.txt");
    writeFileSync(missing, `${ids[0]}:only-one\n`);
    await refused([quiet.file, "--broker", url, "--secrets", missing], `impnet: --secrets ${missing}: no secret for ${ids.slice(1, 4).join(", ")} and 16 more of the fleet's devices\n`);
    const bad = path.join(dir, "bad.txt");
    writeFileSync(bad, `${ids[0]}:a\njust-an-id\n`);
    await refused([quiet.file, "--broker", url, "--secrets", bad], `impnet: --secrets ${bad}: line 2 is not id:secret\n`);
    writeFileSync(bad, `# ok\n${ids[0]}:a:b\n`);
    await refused([quiet.file, "--broker", url, "--secrets", bad], `impnet: --secrets ${bad}: line 2: the secret holds a colon, where mosquitto_passwd would cut it\n`);
    await refused([quiet.file, "--broker", url, "--secrets", path.join(dir, "nope.txt")], /--secrets .*nope\.txt: no such file/);
  });
});

describe("impnet fleet's strategies when the boot finds no server", () => {
  it("return-retry connects from its program's start: a device booted offline (R25) does not wait for a loss that never comes", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "device.mjs"), "export default function main() {}\n");
    const raw = {
      duration: "3m",
      world: { server: { host: "impnet.local", up: false, failure: "refuse" }, wifi: [{ ssid: "home", key: "secret" }] },
      devices: [{ id: "late", program: "./device.mjs", count: 10 }],
      events: [{ at: "1m", set: { "world.server.up": true } }],
    };
    const r = await runStrategy(parseScenario(raw, "fleet", dir), await resolveStrategy("return-retry"));
    expect(r.figures.connectedAtEnd).toBe(10);
  });
});
