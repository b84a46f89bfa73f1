/**
 * T3: published libraries' own impUnit suites under `impnet test`, each run as
 * a user runs it (a fresh `impnet test` process in the suite's folder). The
 * peer is the time the same sessions take on devices at the least: their
 * virtual time, every wait and timeout the tests make, before impt adds a
 * deploy, a restart and a log round trip per session.
 *
 *   npm run bench:suites -- --suite Promise=/path/to/Promise \
 *     --suite MessageManager=/path/to/MessageManager --libs /path/to/libs --reps 3
 *
 * The suites are fetched copies of the libraries' repositories; none is part
 * of impnet or its CI. `--libs` is passed to every suite (MessageManager's
 * github: include of ConnectionManager resolves from it); the environment is
 * passed through (ConnectionManager's suite reads CM_TEST_SSID/CM_TEST_PWD).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, table } from "./report.js";

const CLI = fileURLToPath(new URL("../bin/impnet.js", import.meta.url));

function args(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === name && process.argv[i + 1] !== undefined) out.push(process.argv[i + 1]!);
  });
  return out;
}
const suites = args("--suite").map((s) => {
  const eq = s.indexOf("=");
  if (eq < 1) throw new Error(`--suite: expected NAME=DIR, got "${s}"`);
  return { name: s.slice(0, eq), dir: path.resolve(s.slice(eq + 1)) };
});
if (suites.length === 0) throw new Error("give at least one --suite NAME=DIR (a library's folder holding its .impt.test)");
const libs = args("--libs").flatMap((d) => ["--libs", path.resolve(d)]);
const reps = Number(args("--reps")[0] ?? 3);

/** The human summary's last line: "N tests, N assertions, N failures (N sessions, X s; Y s of device time)". */
const SUMMARY = /^(\d+) tests, \d+ assertions, (\d+) failures \((\d+) sessions, [\d.]+ s; (\d+) s of device time\)$/;

function runOnce(dir: string): { ms: number; tests: number; failures: number; sessions: number; deviceS: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, "test", ...libs], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  const last = r.stdout.trimEnd().split("\n").at(-1) ?? "";
  const m = SUMMARY.exec(last);
  if (m === null) throw new Error(`impnet test in ${dir} ended without a summary (exit ${r.status}): ${r.stderr.trim() || last}`);
  return { ms, tests: Number(m[1]), failures: Number(m[2]), sessions: Number(m[3]), deviceS: Number(m[4]) };
}

const rows: string[][] = [];
let wallTotal = 0;
let deviceTotal = 0;
let testsTotal = 0;
for (const s of suites) {
  const runs = Array.from({ length: reps }, () => runOnce(s.dir));
  const first = runs[0]!;
  const wall = median(runs.map((r) => r.ms)) / 1000;
  wallTotal += wall;
  deviceTotal += first.deviceS;
  testsTotal += first.tests;
  rows.push([s.name, String(first.sessions), `${first.tests - first.failures}/${first.tests}`, wall.toFixed(2), String(first.deviceS), (wall / first.deviceS).toFixed(4)]);
}
rows.push(["all", "", String(testsTotal), wallTotal.toFixed(2), String(deviceTotal), (wallTotal / deviceTotal).toFixed(4)]);
console.log(`impnet test on published suites: median of ${reps} runs (wall s, a fresh process each), beside the sessions' device time (s)`);
console.log(table(["suite", "sessions", "passed", "impnet wall s", "device s", "ratio"], rows));
