/**
 * S8: the simulator throughput workload (bench/sim-workload.ts) with the
 * device program in Squirrel beside the same program in JavaScript, in the
 * same run, alternating, each repetition a fresh child. Goal: the Squirrel
 * fleet within 1.3× of the JavaScript fleet's wall time and 1.5× its memory.
 *
 *   npm run bench:squirrel                          # 100,000 devices, 3 runs each
 *   npm run bench:squirrel -- --devices 10000 --reps 5
 */
import { int, median, numberArg, table } from "./report.js";
import { child } from "./sim-workload.js";
import type { Lang, RunResult } from "./sim-workload.js";


const devices = numberArg("--devices", 100_000);
const reps = numberArg("--reps", 3);
const runs: Record<Lang, RunResult[]> = { js: [], squirrel: [] };
for (let k = 0; k < reps; k++) {
  for (const lang of ["js", "squirrel"] as const) {
    const r = child(devices, lang);
    runs[lang].push(r);
    process.stderr.write(`  ${lang.padEnd(8)} run ${k + 1}/${reps}: wall ${(r.wallMs / 1000).toFixed(2)} s, peak ${int(r.peakRssMB)} MB, attempts ${int(r.attempts)}, logs ${int(r.logs)}, errors ${r.errors}\n`);
  }
}
const m = (lang: Lang, f: (r: RunResult) => number) => median(runs[lang].map(f));
const row = (lang: Lang) => [
  lang === "js" ? "JavaScript" : "Squirrel",
  (m(lang, (r) => r.wallMs) / 1000).toFixed(2),
  int(m(lang, (r) => r.peakRssMB)),
  ((m(lang, (r) => r.retainedHeapMB) * 1024) / devices).toFixed(2),
  int(runs[lang][0]!.attempts),
  int(runs[lang][0]!.logs),
];
console.log(`Squirrel vs JavaScript device program: ${int(devices)} devices, 1 h, server down 20m-30m; medians of ${reps}`);
console.log(table(["program", "wall s", "peak MB", "retained KB/dev", "attempts", "logs"], [row("js"), row("squirrel")]));
console.log();
const wall = m("squirrel", (r) => r.wallMs) / m("js", (r) => r.wallMs);
const peak = m("squirrel", (r) => r.peakRssMB) / m("js", (r) => r.peakRssMB);
console.log(`ratio Squirrel/JavaScript: wall ${wall.toFixed(2)}× (goal ≤ 1.3), peak RSS ${peak.toFixed(2)}× (goal ≤ 1.5)`);
if (runs.squirrel[0]!.attempts !== runs.js[0]!.attempts || runs.squirrel[0]!.logs !== runs.js[0]!.logs)
  console.log("WARNING: the two programs did not produce the same counts: the comparison is not like for like");
