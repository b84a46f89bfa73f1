/**
 * Chaos on the cloud (issue "Hardening", RELIABILITY.md): devices on the host
 * stack send WAIT_FOR_ACK messages while the broker and the agent host are
 * restarted under them. Prints the counts as JSON per broker; exits 1 if a
 * device did not come back or an acknowledged message was lost.
 *
 *   npm run chaos -- --devices 1000 --broker embedded,mosquitto
 *   # = node --import tsx bench/chaos.ts
 */
import { runChaos } from "../test/chaos/chaos-run.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1]!;
}

const devices = Number(arg("--devices", "1000"));
const brokers = arg("--broker", "embedded,mosquitto").split(",") as ("embedded" | "mosquitto")[];
let failed = false;
for (const broker of brokers) {
  const r = await runChaos({
    broker,
    devices,
    seed: Number(arg("--seed", "1")),
    sendEveryMs: Number(arg("--send-every-ms", "2000")),
    runMs: 40_000,
    settleMs: 90_000,
    restarts: [
      { atMs: 5_000, what: "agent-host", downMs: 3_000 },
      { atMs: 15_000, what: "broker", downMs: 3_000 },
      { atMs: 28_000, what: "both", downMs: 2_000 },
    ],
  });
  console.log(JSON.stringify(r));
  if (!r.allBack || r.messages.ackedButLost > 0 || r.messages.pending > 0) failed = true;
}
if (failed) {
  console.error("chaos FAILED: a device did not come back, or an acknowledged message was lost");
  process.exitCode = 1;
}
