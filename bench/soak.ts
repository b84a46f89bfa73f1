/**
 * The long soak (issue "Hardening", RELIABILITY.md): connect / send / disconnect
 * cycles of device programs on the host stack against the embedded cloud,
 * through the in-repo fault proxy. Prints the counts as JSON and exits 1 if
 * anything leaked, was lost silently, or memory grew more than 10 % after
 * warm-up.
 *
 *   npm run soak -- --devices 20 --rounds 500 --seed 1
 *   # = node --expose-gc --import tsx bench/soak.ts
 */
import { runSoak } from "../test/soak/soak-run.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const devices = arg("--devices", 20);
const rounds = arg("--rounds", 500);
const report = await runSoak({
  devices,
  rounds,
  seed: arg("--seed", 1),
  messages: arg("--messages", 3),
  rates: { reset: 0.08, stall: 0.06, slow: 0.08, "half-open": 0.04 },
  retryFloorMs: arg("--retry-floor-ms", 1000),
  connectTimeoutS: 2,
  sendTimeoutS: 2,
  onCycle: (done, total) => {
    if (done % Math.max(1, Math.floor(total / 20)) === 0) process.stderr.write(`${done}/${total} cycles\n`);
  },
});
console.log(JSON.stringify(report, null, 2));
const m = report.messages;
const failures = [
  report.missingCallbacks > 0 && `${report.missingCallbacks} connects without a callback`,
  report.extraCallbacks > 0 && `${report.extraCallbacks} extra callbacks`,
  m.ackedButLost > 0 && `${m.ackedButLost} acknowledged messages lost`,
  m.pending > 0 && `${m.pending} messages never acknowledged nor failed`,
  Object.keys(report.resources.leaked).length > 0 && `leaked ${JSON.stringify(report.resources.leaked)}`,
  report.listeners.after !== report.listeners.before && `process listeners ${report.listeners.before} → ${report.listeners.after}`,
  report.children.after !== report.children.before && `child processes ${report.children.before} → ${report.children.after}`,
  report.heap !== null && report.heap.ratio > 1.1 && `heap grew ${((report.heap.ratio - 1) * 100).toFixed(1)} % after warm-up`,
].filter((f): f is string => typeof f === "string");
if (failures.length > 0) {
  console.error(`soak FAILED: ${failures.join("; ")}`);
  process.exitCode = 1;
} else console.error(`soak passed: ${report.cycles} cycles, ${m.sent} messages in ${report.seconds.toFixed(0)} s`);
