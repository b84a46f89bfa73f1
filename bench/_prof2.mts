import { Resolver } from "node:dns";
import { RealClock } from "../src/clock/real-clock.js";
import { ElapsedClock } from "../src/network/host/elapsed-clock.js";
import { HostLink } from "../src/network/host/host-link.js";
import { deviceModel } from "../test/host/harness.js";
import { startDns } from "../test/host/real-parts.js";
const clock = new ElapsedClock(new RealClock());
const dns = await startDns({});
const settings = { servers: [`127.0.0.1:${dns.port}`], hostsFile: "/dev/null" };
const link = new HostLink(deviceModel("p"), clock, { server: { host: "nowhere.invalid", port: 1883, tls: false }, dns: settings, secret: "x", interfaces: { ethernet: "lo" }, retryFloorMs: 0 });
let done: (() => void) | null = null;
link.listener = { attemptEnded: () => done?.(), lost: () => {}, message: () => {}, unreadable: () => {} };
let ids = 1;
const one = () => new Promise<void>((resolve) => { done = resolve; const now = clock.now(); link.startAttempt({ id: ids++, iface: "ethernet", startedAt: now, deadline: now + 10_000, wps: false }); });
import { resolveName } from "../src/network/host/resolve-name.js";
const ac = new AbortController();
const raw = process.env.RN ? () => resolveName("nowhere.invalid", settings, 10000, ac.signal).then(() => {}) : () => new Promise<void>((resolve) => { const r = new Resolver({ timeout: 5000, tries: 1 }); r.setServers(settings.servers); r.resolve4("nowhere.invalid", () => resolve()); });
const ratios: number[] = []; const as: number[] = []; const bs: number[] = [];
for (let r = 0; r < 10; r++) {
  let t = performance.now(); for (let i = 0; i < 300; i++) await one(); const a = (performance.now() - t) / 300;
  t = performance.now(); if (!process.env.NORAW) for (let i = 0; i < 300; i++) await raw(); const b = (performance.now() - t) / 300;
  if (r >= 2) { ratios.push(a / b); as.push(a); bs.push(b); }
}
const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1]!;
console.log("ours", med(as).toFixed(3), "raw", med(bs).toFixed(3), "ratio", med(ratios).toFixed(2));
await dns.stop();
clock.dispose();
process.exit(0);
