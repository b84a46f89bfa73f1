/**
 * The simulator throughput workload, shared by bench:sim and bench:squirrel:
 * N devices running a reconnecting RETURN_ON_ERROR program that logs every
 * minute, one hour, the server refusing from 20m to 30m; each run in a child
 * process of its own (its peak RSS is its own), from the tsc build.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import type { RootTable } from "../src/device/api/root.js";
import type { ProgramEntry } from "../src/device/device.js";
import { squirrelFromText } from "../src/programs/squirrel/load-squirrel.js";
import { squirrelDeviceProgram } from "../src/programs/squirrel/squirrel-program.js";
import { parseScenario } from "../src/scenario/load.js";
import { Simulation } from "../src/scenario/simulation.js";
import { CountingSink } from "../src/timeline/sinks.js";
import { runBareHeap } from "./bare-heap.js";

/** The device program's language: the same program in JavaScript or in Squirrel (S8). */
export type Lang = "js" | "squirrel";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, from bench/ or from its build in .bench-out/bench/. */
const ROOT = path.resolve(HERE, HERE.includes(`${path.sep}.bench-out${path.sep}`) ? "../.." : "..");

/** What one child reports, as one JSON line on stdout. */
export interface RunResult {
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

/** The same program in Squirrel, line for line. */
const SQUIRREL_PROGRAM = `
server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
function connect() {
  server.connect(function(reason) {
    if (reason != SERVER_CONNECTED) imp.wakeup(60, connect);
  }, 30);
}
server.onunexpecteddisconnect(function(reason) { connect(); });
local minute = 0;
function tick() {
  minute++;
  if (server.isconnected()) server.log("minute " + minute);
  imp.wakeup(60, tick);
}
connect();
tick();
`;

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

function collect(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("run with node --expose-gc");
  collect();
}

export const MB = 1024 * 1024;

/** `gc`: collect around the run to measure retained heap (needs --expose-gc); `bare`: time the bare heap loop too. */
export async function runOnce(devices: number, lang: Lang = "js", measure = { gc: true, bare: true }): Promise<RunResult> {
  const gc = measure.gc ? collect : () => {};
  gc();
  const baseRssMB = process.memoryUsage().rss / MB;
  const baseHeap = process.memoryUsage().heapUsed;
  const sink = new CountingSink();

  const t0 = performance.now();
  const scenario = parseScenario(scenarioFor(devices), "bench/sim-throughput.ts", ROOT);
  const t1 = performance.now();
  const entry: ProgramEntry = lang === "js" ? program : squirrelDeviceProgram(squirrelFromText(SQUIRREL_PROGRAM, "bench.nut"));
  let sim: Simulation | undefined = await Simulation.create(scenario, { sink, programFor: () => entry });
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
  const bare = measure.bare ? runBareHeap(bareTimers, events) : { wallMs: 0 };

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

export function child(devices: number, lang: Lang = "js"): RunResult {
  compiled ??= compile();
  const execArgv = process.execArgv.filter((a, i, all) => a !== "tsx" && !a.includes("tsx") && !(a === "--import" && all[i + 1]?.includes("tsx")));
  if (!execArgv.includes("--expose-gc")) execArgv.unshift("--expose-gc");
  const r = spawnSync(process.execPath, [...execArgv, compiled, "--child", String(devices), "--lang", lang], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 16 * MB,
  });
  if (r.status !== 0) throw new Error(`child for ${devices} devices failed: status ${r.status ?? "none"}, signal ${r.signal ?? "none"}`);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as RunResult;
}


