/**
 * What the progress bar costs `impnet sim`: the same scenario run through the
 * sim command, its timeline written for people into a sink that drops it (as
 * `impnet sim … > file` would, minus the disk), once with stderr a terminal
 * (the bar, and the count of devices connected it shows) and once without,
 * alternating, each run in a fresh child process (runs in one process slow
 * each other down: the heap keeps growing); medians of the repetitions.
 *
 *   npm run bench:progress                              # 100,000 devices, 3 runs each
 *   npm run bench:progress -- --devices 20000 --reps 5
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { ProgressBar } from "../src/cli/progress.js";
import { simCommand } from "../src/cli/sim-command.js";
import { loadScenario } from "../src/scenario/load.js";
import { Simulation } from "../src/scenario/simulation.js";
import { CountingSink } from "../src/timeline/sinks.js";
import { tempDir } from "../test/host/real-parts.js";
import { int, median, numberArg, table } from "./report.js";

const DEVICES = numberArg("--devices", 100_000);
const REPS = numberArg("--reps", 3);

// bench/sim-workload.ts's device, as a file the CLI loads: a reconnecting RETURN_ON_ERROR program that logs every minute.
const dir = tempDir("impnet-progress-bench-");
writeFileSync(
  path.join(dir, "device.mjs"),
  `export default function main({ server, imp, SERVER_CONNECTED, RETURN_ON_ERROR, WAIT_TIL_SENT }) {
  server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
  const connect = () => void server.connect((reason) => { if (reason !== SERVER_CONNECTED) imp.wakeup(60, connect); }, 30);
  server.onunexpecteddisconnect(() => connect());
  let minute = 0;
  const tick = () => { minute += 1; if (server.isconnected()) void server.log("minute " + minute); imp.wakeup(60, tick); };
  connect();
  tick();
}
`,
);
const scenario = path.join(dir, "scenario.yaml");
writeFileSync(
  scenario,
  `duration: 1h
world: { server: { host: impnet.local, up: true, failure: refuse }, wifi: [{ ssid: home, key: secret }] }
devices: [{ id: dev, program: ./device.mjs, count: ${DEVICES} }]
events:
  - { at: 20m, set: { world.server.up: false } }
  - { at: 30m, set: { world.server.up: true } }
`,
);

/** One run in this process (a child's job): prints {ms, updates}. */
async function child(bar: boolean): Promise<void> {
  let updates = 0;
  const t0 = performance.now();
  const code = await simCommand(scenario, {}, { stdout: { write: () => true, isTTY: false }, stderr: { write: () => void updates++, isTTY: bar } });
  if (code !== 0) throw new Error(`impnet sim exited ${code}`);
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0, updates })}\n`);
  process.exit(0);
}

const childMode = process.argv.indexOf("--child");
if (childMode >= 0) await child(process.argv[childMode + 1] === "bar");

function once(bar: boolean): { ms: number; updates: number } {
  const r = spawnSync(process.execPath, ["--max-old-space-size=4096", "--import", "tsx", fileURLToPath(import.meta.url), "--devices", String(DEVICES), "--child", bar ? "bar" : "plain"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`child exited ${r.status ?? r.signal ?? "?"}`);
  return JSON.parse(r.stdout.trim()) as { ms: number; updates: number };
}

const runs: { with: number; without: number; updates: number }[] = [];
for (let r = 0; r < REPS; r++) {
  // Alternating, the order flipped each repetition: neither side always runs on a warmer process.
  const first = r % 2 === 0;
  const a = once(first);
  const b = once(!first);
  const withBar = first ? a : b;
  const without = first ? b : a;
  runs.push({ with: withBar.ms, without: without.ms, updates: withBar.updates });
  process.stderr.write(`  rep ${r + 1}/${REPS}: with the bar ${(withBar.ms / 1000).toFixed(2)} s (${withBar.updates} updates), without ${(without.ms / 1000).toFixed(2)} s\n`);
}
const m = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));

/**
 * The bar's own work, timed directly (two fresh processes differ by more than
 * the 2 % goal): one drawing is the count of devices connected and the line
 * written; after a run, with every device in place, the drawing is timed many
 * times over. Its share of a run is the drawings the child made times that.
 */
function drawingMs(): number {
  const sim = finished;
  const bar = new ProgressBar({ write: () => true }, "scenario.yaml", 3_600_000, "virtual");
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) bar.update(i * 250, i * 1000, sim.connectedDevices());
    times.push((performance.now() - t0) / 200);
  }
  return median(times);
}
const finished = await Simulation.create(await loadScenario(scenario), { sink: new CountingSink() });
await finished.run();
const perDrawing = drawingMs();
const share = (m((r) => r.updates) * perDrawing) / m((r) => r.with);

console.log(`impnet sim, ${int(DEVICES)} devices through the hour, the timeline for people into a sink that drops it; medians of ${REPS}`);
console.log(
  table(
    ["measure", "with the progress bar", "without", "ratio"],
    [["wall s", (m((r) => r.with) / 1000).toFixed(2), (m((r) => r.without) / 1000).toFixed(2), m((r) => r.with / r.without).toFixed(3)]],
  ),
);
console.log(`\nthe bar's own work: ${int(m((r) => r.updates))} drawings a run × ${perDrawing.toFixed(3)} ms = ${(share * 100).toFixed(2)} % of the run with it`);
console.log(`\nnode ${process.version}, ${process.platform} ${process.arch}`);
process.exit(0);
