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
import { int, listArg, median, table } from "./report.js";
import { child, MB, runOnce } from "./sim-workload.js";
import type { Lang, RunResult } from "./sim-workload.js";

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
  const lang = (process.argv[process.argv.indexOf("--lang") + 1] ?? "js") as Lang;
  console.log(JSON.stringify(await runOnce(devices, lang)));
} else {
  main();
}
