/**
 * Simulator throughput: N devices, each running a reconnecting RETURN_ON_ERROR
 * program that logs every minute, through a one-hour scenario with a ten-minute
 * server outage (refuse, 20m to 30m), the timeline going to a CountingSink.
 * Beside each figure: the same number of timer events through a bare
 * binary-heap loop (bench/bare-heap.ts), the limit; the ratio sim/bare is the figure.
 *
 *   npm run bench:sim                         # 1,000 ×5 and 100,000 ×3, medians
 *   npm run bench:sim -- --devices 1000,10000 --reps 5,3
 *   node --expose-gc .bench-out/bench/sim-throughput.js --child 100000   # one run, JSON (after a first run compiled it; for --cpu-prof)
 *
 * Every repetition runs in a fresh child process, so its peak RSS is its own.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import type { RootTable } from "../src/device/api/root.js";
import { parseScenario } from "../src/scenario/load.js";
import { Simulation } from "../src/scenario/simulation.js";
import { CountingSink } from "../src/timeline/sinks.js";
import { runBareHeap } from "./bare-heap.js";
import { int, median, table } from "./report.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, from bench/ or from its build in .bench-out/bench/. */
const ROOT = path.resolve(HERE, HERE.includes(`${path.sep}.bench-out${path.sep}`) ? "../.." : "..");

/** What one child reports, as one JSON line on stdout. */
interface RunResult {
  devices: number;
  /** parseScenario + Simulation.create + sim.run, ms. */
  wallMs: number;
  parseMs: number;
  createMs: number;
  runMs: number;
  /** Timer firings (sim.clock.fired). */
  events: number;
  attempts: number;
  logs: number;
  connected: number;
  disconnected: number;
  callbacks: number;
  errors: number;
  /** Timers pending at the end: the steady-state number of concurrent timers. */
  pendingTimers: number;
  /** Kernel high-water mark of the child's RSS (getrusage ru_maxrss), MB, read before the bare loop. */
  peakRssMB: number;
  /** RSS before the scenario was built (Node, tsx, modules), MB. */
  baseRssMB: number;
  /** heapUsed after a full gc with the finished simulation still alive, minus the same before it, MB. */
  retainedHeapMB: number;
  bareTimers: number;
  bareMs: number;
}

// ---------------------------------------------------------------- the device program

/**
 * setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10); connect, retrying a
 * minute after each failure; reconnect on an unexpected disconnect; log every minute.
 */
function program(root: RootTable): void {
  const { server, imp } = root;
  const SERVER_CONNECTED = root.SERVER_CONNECTED as number;
  server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
  const connect = (): void => {
    void server.connect((reason: number) => {
      if (reason !== SERVER_CONNECTED) imp.wakeup(60, connect);
    }, 30);
  };
  server.onunexpecteddisconnect(() => connect());
  let minute = 0;
  const tick = (): void => {
    minute += 1;
    if (server.isconnected()) void server.log(`minute ${minute}`);
    imp.wakeup(60, tick);
  };
  connect();
  tick();
}

function scenarioFor(devices: number): unknown {
  return {
    duration: "1h",
    seed: 1,
    world: {
      server: { host: "impnet.local", up: true, failure: "refuse" },
      wifi: [{ ssid: "home", key: "secret" }],
    },
    // programFor overrides the file; the loader only checks that it exists.
    devices: [{ id: "dev", program: "examples/demo/sensor.mjs", count: devices }],
    events: [
      { at: "20m", set: { "world.server.up": false } },
      { at: "30m", set: { "world.server.up": true } },
    ],
  };
}

// ---------------------------------------------------------------- one run (child)

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("run with node --expose-gc");
  collect();
}

const MB = 1024 * 1024;

async function runOnce(devices: number): Promise<RunResult> {
  gc();
  const baseRssMB = process.memoryUsage().rss / MB;
  const baseHeap = process.memoryUsage().heapUsed;
  const sink = new CountingSink();

  const t0 = performance.now();
  const scenario = parseScenario(scenarioFor(devices), "bench/sim-throughput.ts", ROOT);
  const t1 = performance.now();
  let sim: Simulation | undefined = await Simulation.create(scenario, { sink, programFor: () => program });
  const t2 = performance.now();
  await sim.run();
  const t3 = performance.now();

  const peakRssMB = (process.resourceUsage().maxRSS * 1024) / MB;
  const events = sim.clock.fired;
  const pendingTimers = sim.clock.pending();
  gc();
  const retainedHeapMB = (process.memoryUsage().heapUsed - baseHeap) / MB;
  sim = undefined;
  gc();

  // The limit: exactly as many events through a bare heap with as many concurrent timers.
  const bareTimers = Math.max(1, pendingTimers);
  const bare = runBareHeap(bareTimers, events);

  const c = sink.counts;
  return {
    devices,
    wallMs: t3 - t0,
    parseMs: t1 - t0,
    createMs: t2 - t1,
    runMs: t3 - t2,
    events,
    attempts: c.attempt,
    logs: c.log,
    connected: c.connected,
    disconnected: c.disconnected,
    callbacks: c.callback,
    errors: c.error,
    pendingTimers,
    peakRssMB,
    baseRssMB,
    retainedHeapMB,
    bareTimers,
    bareMs: bare.wallMs,
  };
}

// ---------------------------------------------------------------- the driver (parent)

/**
 * Children run the tsc build, not tsx: esbuild's keepNames wraps every named
 * closure, which costs about 3 KB per device and doubles setup time. What is
 * measured is what `npm install` builds.
 */
function compile(): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.bench.json"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error("tsc -p tsconfig.bench.json failed");
  return path.join(ROOT, ".bench-out/bench/sim-throughput.js");
}

let compiled: string | undefined;

function child(devices: number): RunResult {
  compiled ??= compile();
  const execArgv = process.execArgv.filter((a, i, all) => a !== "tsx" && !a.includes("tsx") && !(a === "--import" && all[i + 1]?.includes("tsx")));
  if (!execArgv.includes("--expose-gc")) execArgv.unshift("--expose-gc");
  const r = spawnSync(process.execPath, [...execArgv, compiled, "--child", String(devices)], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 16 * MB,
  });
  if (r.status !== 0) throw new Error(`child for ${devices} devices failed: status ${r.status ?? "none"}, signal ${r.signal ?? "none"}`);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as RunResult;
}


function listArg(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const list = (process.argv[i + 1] ?? "").split(",").map(Number);
  if (list.length === 0 || list.some((n) => !Number.isSafeInteger(n) || n <= 0)) throw new Error(`${name}: expected a comma-separated list of positive integers`);
  return list;
}


const fixed = (n: number, digits: number): string => n.toFixed(digits);

function main(): void {
  const sizes = listArg("--devices", [1_000, 100_000]);
  const reps = listArg("--reps", sizes.map((n) => (n >= 50_000 ? 3 : 5)));
  const rows: string[][] = [];
  const details: string[][] = [];
  sizes.forEach((devices, i) => {
    const n = reps[Math.min(i, reps.length - 1)]!;
    const runs: RunResult[] = [];
    for (let k = 0; k < n; k++) {
      const r = child(devices);
      runs.push(r);
      process.stderr.write(
        `  ${int(devices)} devices, run ${k + 1}/${n}: wall ${fixed(r.wallMs / 1000, 2)} s, bare ${fixed(r.bareMs / 1000, 2)} s, peak ${int(r.peakRssMB)} MB\n`,
      );
    }
    const m = (f: (r: RunResult) => number) => median(runs.map(f));
    const wall = m((r) => r.wallMs) / 1000;
    rows.push([
      int(devices),
      fixed(wall, 2),
      int(m((r) => r.attempts / (r.wallMs / 1000))),
      int(m((r) => r.events / (r.wallMs / 1000))),
      int(m((r) => r.peakRssMB)),
      fixed(m((r) => r.bareMs) / 1000, 3),
      fixed(m((r) => r.wallMs / r.bareMs), 1),
    ]);
    const first = runs[0]!;
    details.push([
      int(devices),
      String(n),
      fixed(m((r) => (r.parseMs + r.createMs) / 1000), 2),
      fixed(m((r) => r.runMs / 1000), 2),
      fixed(m((r) => r.runMs / r.bareMs), 1),
      int(first.events),
      int(first.bareTimers),
      fixed(first.attempts / devices, 2),
      fixed(first.logs / devices, 2),
      fixed(first.events / devices, 1),
      int(m((r) => r.baseRssMB)),
      fixed((m((r) => r.retainedHeapMB) * MB) / devices / 1024, 1),
    ]);
  });
  console.log("Simulator throughput: 1 h scenario, server down (refuse) 20m-30m, CountingSink; medians");
  console.log(table(["devices", "wall s", "attempts/s", "events/s", "peak MB", "bare-loop s", "ratio"], rows));
  console.log();
  console.log(
    table(
      ["devices", "runs", "setup s", "run s", "run/bare", "events", "bare timers", "attempts/dev", "logs/dev", "events/dev", "base MB", "retained KB/dev"],
      details,
    ),
  );
  console.log();
  console.log("wall s: parseScenario + Simulation.create + run. events: timer firings (sim.clock.fired); attempts: `attempt` lines.");
  console.log("peak MB: the child's peak RSS (getrusage maxRSS), base MB of it is Node + tsx + modules before the scenario.");
  console.log("bare-loop s: the same number of events through bench/bare-heap.ts with as many timers as the sim had pending at the end.");
  console.log("ratio: wall s / bare-loop s (run/bare: the event loop alone). retained: heap after gc with the finished simulation alive.");
}

const at = process.argv.indexOf("--child");
if (at >= 0) {
  const devices = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(devices) || devices <= 0) throw new Error("--child: expected a positive device count");
  console.log(JSON.stringify(await runOnce(devices)));
} else {
  main();
}
