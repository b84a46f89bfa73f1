/**
 * ConnectionManager through a reconnect storm: N devices, each running only
 * `new ConnectionManager(root, { stayConnected: true, … })`, through a
 * ten-minute server outage (refuse, 2m to 12m) in a 20-minute scenario.
 * One strategy is the original's immediate retry; the others add the `retry`
 * backoff. The timeline goes to a sink that counts `attempt` lines per virtual
 * second and tracks how many devices are connected, keeping no lines.
 *
 *   npm run bench:cm                           # 10,000 devices, every strategy once
 *   npm run bench:cm -- --devices 2000 --reps 3
 *   node .bench-out/bench/cm-fleet.js --child "immediate (original)" 10000   # one run, JSON (after a first run compiled it)
 *
 * Every run is a fresh child process running the tsc build, as bench/sim-throughput.ts does.
 */
import { spawnSync } from "node:child_process";
import { ConnectionManager } from "../src/connection-manager/connection-manager.js";
import type { ConnectionManagerSettings } from "../src/connection-manager/settings.js";
import type { RootTable } from "../src/device/api/root.js";
import { parseScenario } from "../src/scenario/load.js";
import { Simulation } from "../src/scenario/simulation.js";
import type { TimelineEvent, TimelineSink } from "../src/timeline/events.js";
import { compiledBench, int, median, numberArg, ROOT, table } from "./report.js";


const DURATION_S = 20 * 60;
const DOWN_S = 2 * 60;
const UP_S = 12 * 60;

/** The strategies compared, by name: each one's settings. */
const BASELINE = "immediate (original)";
const STRATEGIES: Record<string, ConnectionManagerSettings> = {
  [BASELINE]: { stayConnected: true },
  "backoff 1-60 s, no jitter": { stayConnected: true, retry: { minDelay: 1, maxDelay: 60, jitter: "none" } },
  "backoff 1-60 s, full jitter": { stayConnected: true, retry: { minDelay: 1, maxDelay: 60, jitter: "full" } },
  "backoff 1-15 s, full jitter": { stayConnected: true, retry: { minDelay: 1, maxDelay: 15, jitter: "full" } },
};

interface RunResult {
  strategy: string;
  devices: number;
  wallMs: number;
  /** attempt lines from the loss on. */
  attempts: number;
  /** Peak attempt lines in one virtual second: in the first minute of the outage (the fleet lost the server together), in the rest of it, after it. */
  peakLoss: number;
  peakOutage: number;
  peakReturn: number;
  /** Virtual seconds from the server's return until 99 % of the devices are connected; null if never. */
  p99BackS: number | null;
  /** Devices connected at the end. */
  connectedAtEnd: number;
  errors: number;
  peakRssMB: number;
}

/**
 * Counts without keeping lines: attempts per virtual second in a typed array,
 * each device's connected state in a byte array (ids are dev-1 … dev-N), and
 * the first moment after the outage that 99 % are connected.
 */
class StormSink implements TimelineSink {
  readonly perSecond = new Uint32Array(DURATION_S + 1);
  readonly connected: Uint8Array;
  connectedCount = 0;
  errors = 0;
  p99At: number | null = null;
  readonly #target: number;

  constructor(devices: number) {
    this.connected = new Uint8Array(devices + 1);
    this.#target = Math.ceil(devices * 0.99);
  }

  write(e: TimelineEvent): void {
    switch (e.type) {
      case "attempt":
        this.perSecond[Math.min(DURATION_S, Math.floor(e.t / 1000))]!++;
        break;
      case "connected": {
        const i = index(e.device);
        if (this.connected[i] === 0) {
          this.connected[i] = 1;
          this.connectedCount++;
          if (this.p99At === null && e.t >= UP_S * 1000 && this.connectedCount >= this.#target) this.p99At = e.t;
        }
        break;
      }
      case "disconnected": {
        const i = index(e.device);
        if (this.connected[i] === 1) {
          this.connected[i] = 0;
          this.connectedCount--;
        }
        break;
      }
      case "error":
        this.errors++;
        break;
      default:
        break;
    }
  }
}

function index(device: string): number {
  return Number(device.slice(device.lastIndexOf("-") + 1));
}

function scenarioFor(devices: number): unknown {
  return {
    duration: `${DURATION_S}s`,
    seed: 1,
    world: { server: { host: "impnet.local", up: true, failure: "refuse" }, wifi: [{ ssid: "home", key: "secret" }] },
    // programFor overrides the file; the loader only checks that it exists.
    devices: [{ id: "dev", program: "examples/demo/sensor.mjs", count: devices }],
    events: [
      { at: `${DOWN_S}s`, set: { "world.server.up": false } },
      { at: `${UP_S}s`, set: { "world.server.up": true } },
    ],
  };
}

function peak(counts: Uint32Array, from: number, to: number): number {
  let max = 0;
  for (let s = from; s < to && s < counts.length; s++) max = Math.max(max, counts[s]!);
  return max;
}

async function runOnce(strategy: string, devices: number): Promise<RunResult> {
  const settings = STRATEGIES[strategy];
  if (settings === undefined) throw new Error(`unknown strategy "${strategy}"`);
  const program = (root: RootTable): void => {
    new ConnectionManager(root, settings);
  };
  const sink = new StormSink(devices);
  const t0 = performance.now();
  const sim = await Simulation.create(parseScenario(scenarioFor(devices), "bench/cm-fleet.ts", ROOT), { sink, programFor: () => program });
  await sim.run();
  const wallMs = performance.now() - t0;
  let attempts = 0;
  for (let s = DOWN_S; s <= DURATION_S; s++) attempts += sink.perSecond[s]!;
  return {
    strategy,
    devices,
    wallMs,
    attempts,
    peakLoss: peak(sink.perSecond, DOWN_S, DOWN_S + 60),
    peakOutage: peak(sink.perSecond, DOWN_S + 60, UP_S),
    peakReturn: peak(sink.perSecond, UP_S, DURATION_S + 1),
    p99BackS: sink.p99At === null ? null : sink.p99At / 1000 - UP_S,
    connectedAtEnd: sink.connectedCount,
    errors: sink.errors,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / (1024 * 1024),
  };
}

// ---------------------------------------------------------------- the driver (parent)

function child(strategy: string, devices: number): RunResult {
  const r = spawnSync(process.execPath, ["--max-old-space-size=4096", compiledBench("cm-fleet"), "--child", strategy, String(devices)], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`child ${strategy} × ${devices} failed: status ${r.status ?? "none"}, signal ${r.signal ?? "none"}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as RunResult;
}




const ratio = (n: number, base: number): string => (base === 0 ? "-" : `${(n / base).toFixed(2)}×`);

function main(): void {
  const devices = numberArg("--devices", 10_000);
  const reps = numberArg("--reps", 1);
  const results = new Map<string, RunResult>();
  for (const strategy of Object.keys(STRATEGIES)) {
    const runs: RunResult[] = [];
    for (let k = 0; k < reps; k++) {
      const r = child(strategy, devices);
      runs.push(r);
      process.stderr.write(`  ${strategy}, ${int(devices)} devices, run ${k + 1}/${reps}: wall ${(r.wallMs / 1000).toFixed(1)} s\n`);
    }
    const m = (f: (r: RunResult) => number) => median(runs.map(f));
    // The simulation is deterministic: only wall time and memory vary between runs.
    results.set(strategy, { ...runs[0]!, wallMs: m((r) => r.wallMs), peakRssMB: m((r) => r.peakRssMB) });
  }
  const base = results.get(BASELINE)!;
  const rows = [...results.values()].map((r) => [
    r.strategy,
    int(r.peakLoss),
    int(r.peakOutage),
    `${int(r.peakReturn)} (${ratio(r.peakReturn, base.peakReturn)})`,
    r.p99BackS === null ? "never" : r.p99BackS.toFixed(1),
    `${(r.attempts / r.devices).toFixed(1)} (${ratio(r.attempts, base.attempts)})`,
    `${int(r.connectedAtEnd)}`,
    String(r.errors),
    (r.wallMs / 1000).toFixed(1),
    int(r.peakRssMB),
  ]);
  console.log(`ConnectionManager fleet: ${int(devices)} devices, stayConnected, server down (refuse) ${DOWN_S / 60}m-${UP_S / 60}m of ${DURATION_S / 60}m`);
  console.log(
    table(
      ["strategy", "peak att/s, 1st min of outage", "peak att/s, rest of outage", "peak att/s, after (vs immediate)", "99% back after s", "attempts/device (vs immediate)", "connected at end", "errors", "wall s", "peak MB"],
      rows,
    ),
  );
  console.log();
  console.log("att/s: `attempt` lines per virtual second (a line is written when an attempt ends). attempts/device: attempt lines from the outage's start to the end, / devices.");
  console.log("99% back: virtual seconds from the server's return until 99% of the devices are connected.");
}

const at = process.argv.indexOf("--child");
if (at >= 0) {
  const strategy = process.argv[at + 1] ?? "";
  const devices = Number(process.argv[at + 2]);
  if (!Number.isSafeInteger(devices) || devices <= 0) throw new Error("--child STRATEGY N: expected a positive device count");
  console.log(JSON.stringify(await runOnce(strategy, devices)));
} else {
  main();
}
