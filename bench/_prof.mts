import { RealClock } from "../src/clock/real-clock.js";
import { ElapsedClock } from "../src/network/host/elapsed-clock.js";
import { HostLink } from "../src/network/host/host-link.js";
import { deviceModel } from "../test/host/harness.js";
import { freePort } from "../test/host/real-parts.js";
const clock = new ElapsedClock(new RealClock());
const closed = await freePort();
const link = new HostLink(deviceModel("p"), clock, { server: { host: "127.0.0.1", port: closed, tls: false }, secret: "x", interfaces: { ethernet: "lo" }, retryFloorMs: 0 });
let done: (() => void) | null = null;
link.listener = { attemptEnded: () => done?.(), lost: () => {}, message: () => {}, unreadable: () => {} };
let ids = 1;
const one = () => new Promise<void>((resolve) => { done = resolve; const now = clock.now(); link.startAttempt({ id: ids++, iface: "ethernet", startedAt: now, deadline: now + 10_000, wps: false }); });
const raw = () => new Promise<void>((resolve) => { const s = (globalThis as any).net.connect({ port: closed, host: "127.0.0.1", localAddress: process.env.BIND }); s.once("error", () => resolve()); });
(globalThis as any).net = await import("node:net");
const ratios: number[] = []; const as: number[] = []; const bs: number[] = [];
for (let r = 0; r < 12; r++) {
  let t = performance.now(); for (let i = 0; i < 1000; i++) await one(); const a = (performance.now() - t) / 1000;
  t = performance.now(); for (let i = 0; i < 1000; i++) await raw(); const b = (performance.now() - t) / 1000;
  if (r >= 2) { ratios.push(a / b); as.push(a); bs.push(b); }
}
const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1]!;
console.log("ours", med(as).toFixed(3), "raw", med(bs).toFixed(3), "ratio", med(ratios).toFixed(2));
clock.dispose();
process.exit(0);
