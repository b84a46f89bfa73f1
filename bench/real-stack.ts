// The real stack on loopback, each figure beside its peer from the same run:
//   1. server.connect() to SERVER_CONNECTED vs a bare mqtt.js connectAsync (same broker);
//   2. cause to callback for a refused port, a 407, an NXDOMAIN vs the raw socket/resolver error;
//   (connects against impnet serve in its own process, as deployed; the failures against the embedded cloud in this one)
// (The cloud's capacity beside mosquitto, each in its own process: bench/cloud-capacity.ts.)
// Run: npm run bench:real [-- --n 200]
import { Resolver } from "node:dns";
import net from "node:net";
import path from "node:path";
import { connectAsync } from "mqtt";
import type { MqttClient } from "mqtt";
import { RealClock } from "../src/clock/real-clock.js";
import * as C from "../src/constants.js";
import { DeviceRegistry } from "../src/cloud/device-registry.js";
import { EmbeddedCloud, REGISTRY_FILE } from "../src/cloud/embedded-cloud.js";
import { ServeProcess } from "../src/fleet/brokers.js";
import { Device } from "../src/device/device.js";
import { ElapsedClock } from "../src/network/host/elapsed-clock.js";
import { HostLink } from "../src/network/host/host-link.js";
import type { HostLinkOptions } from "../src/network/host/host-link.js";
import type { AttemptOutcome } from "../src/network/port.js";
import { CountingSink } from "../src/timeline/sinks.js";
import { deviceModel } from "../test/host/harness.js";
import { freePort, startDns, startTinyproxy, tempDir } from "../test/host/real-parts.js";
import { median } from "./report.js";

const argN = process.argv.indexOf("--n");
const N = argN > 0 ? Number(process.argv[argN + 1]) : 200;


/** Lets the previous round's teardown (in the same process as the broker) finish outside the timing. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3));

/** The median time of `fn` over n rounds after 20 warm-ups; `after` (a teardown) runs untimed after each. */
async function timeIt(n: number, fn: () => Promise<void>, after: () => Promise<void> | void = () => {}): Promise<number> {
  for (let i = 0; i < Math.min(20, n); i++) {
    await fn(); // warm-up
    await after();
  }
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    await settle();
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
    await after();
  }
  return median(xs);
}

const rows: string[][] = [];
function row(what: string, ours: number, peerName: string, peer: number, unit = "ms"): void {
  const f = (x: number) => (unit === "ms" ? x.toFixed(3) : x.toFixed(0));
  rows.push([what, `${f(ours)} ${unit}`, peerName, `${f(peer)} ${unit}`, (ours / peer).toFixed(2)]);
}

const clock = new ElapsedClock(new RealClock());
const wall = new RealClock();

// ---- 1. connect: against impnet serve in its own process, as deployed ----
{
  const dataDir = tempDir("impnet-real-bench-");
  const registry = DeviceRegistry.open(path.join(dataDir, REGISTRY_FILE), { create: true });
  const [secret, apiSecret] = registry.addDevices(["bench-conn", "bench-api"]);
  const serve = new ServeProcess(dataDir);
  await serve.start();
  const server = serve.server;
  const url = `mqtt://127.0.0.1:${server.port}`;
  const model = deviceModel("bench-conn");
  const link = new HostLink(model, clock, { server, secret: secret!, interfaces: { ethernet: "lo" }, retryFloorMs: 0 });
  let done: (() => void) | null = null;
  let ids = 1;
  link.listener = { attemptEnded: () => done?.(), lost: () => {}, message: () => {}, unreadable: () => {} };
  const linkConnect = () =>
    new Promise<void>((resolve) => {
      done = resolve;
      const now = clock.now();
      link.startAttempt({ id: ids++, iface: "ethernet", startedAt: now, deadline: now + 10_000, wps: false });
    });
  let client: MqttClient | undefined;
  const bare = async () => {
    client = await connectAsync(url, { username: "bench-conn", password: secret!, clientId: "bench-conn", reconnectPeriod: 0, protocolVersion: 4, keepalive: 0 });
  };
  const bareMs = await timeIt(N, bare, () => client!.endAsync(true));
  const linkMs = await timeIt(N, linkConnect, () => link.leave());

  // Through the device API: server.connect(cb) under RETURN_ON_ERROR; the callback runs on a later turn (R05).
  const apiModel = deviceModel("bench-api");
  const apiLink = new HostLink(apiModel, clock, { server, secret: apiSecret!, interfaces: { ethernet: "lo" }, retryFloorMs: 0 });
  let api: { connect: () => Promise<void>; disconnect: () => void } | undefined;
  const ready = new Promise<void>((resolve) => {
    const device = new Device(apiModel, {
      clock,
      sink: new CountingSink(),
      link: apiLink,
      program: (root) => {
        root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
        api = {
          connect: () => new Promise<void>((connected) => root.server.connect(() => connected(), 10)),
          disconnect: () => root.server.disconnect(),
        };
        resolve();
      },
    });
    apiLink.listener = device;
    device.boot();
  });
  await ready;
  api!.disconnect(); // booted connected: connect() would start nothing and never call back (R09)
  const apiMs = await timeIt(N, () => api!.connect(), () => api!.disconnect());
  row("HostLink attempt → SERVER_CONNECTED (CONNACK)", linkMs, "mqtt.js connectAsync", bareMs);
  row("server.connect(cb) → callback SERVER_CONNECTED", apiMs, "mqtt.js connectAsync", bareMs);
  apiLink.dispose();
  link.dispose();
  await serve.stop();
}

// The failures, against the embedded cloud in this process (its port, for the proxy's CONNECT).
const cloud = await EmbeddedCloud.start({ dataDir: tempDir(), port: 0, clock, wall, sink: new CountingSink() });
const server = { host: "127.0.0.1", port: cloud.port, tls: false };

// ---- 2. cause to callback ----
async function outcomeMs(options: Partial<HostLinkOptions>, proxy?: { host: string; port: number; user?: string }): Promise<[number, AttemptOutcome]> {
  const model = deviceModel("bench-fail");
  if (proxy !== undefined) model.proxy = proxy;
  const link = new HostLink(model, clock, { server, secret: "x", interfaces: { ethernet: "lo" }, retryFloorMs: 0, ...options });
  let last: AttemptOutcome | undefined;
  let done: (() => void) | null = null;
  link.listener = {
    attemptEnded: (_id, o) => {
      last = o;
      done?.();
    },
    lost: () => {},
    message: () => {},
    unreadable: () => {},
  };
  let ids = 1;
  const ms = await timeIt(N, () => new Promise<void>((resolve) => {
    done = resolve;
    const now = clock.now();
    link.startAttempt({ id: ids++, iface: "ethernet", startedAt: now, deadline: now + 10_000, wps: false });
  }));
  return [ms, last!];
}

{
  const closed = await freePort();
  const [ours, o] = await outcomeMs({ server: { host: "127.0.0.1", port: closed, tls: false } });
  if (o.reason !== C.NO_SERVER) throw new Error(`expected NO_SERVER, got ${o.reason}`);
  const raw = await timeIt(N, () => new Promise<void>((resolve) => net.connect(closed, "127.0.0.1").once("error", () => resolve())));
  row("refused port → NO_SERVER", ours, "net.connect ECONNREFUSED", raw);
}
{
  const proxy = await startTinyproxy("bench", "bench-pw");
  const [ours, o] = await outcomeMs({}, { host: "127.0.0.1", port: proxy.port });
  if (o.reason !== C.NOT_AUTHORISED) throw new Error(`expected NOT_AUTHORISED, got ${o.reason}`);
  const raw = await timeIt(
    N,
    () =>
      new Promise<void>((resolve) => {
        const s = net.connect(proxy.port, "127.0.0.1", () => s.write(`CONNECT 127.0.0.1:${cloud.port} HTTP/1.1\r\n\r\n`));
        s.once("data", () => {
          s.destroy();
          resolve();
        });
      }),
  );
  row("proxy 407 → NOT_AUTHORISED", ours, "raw socket: CONNECT, status read", raw);
  await proxy.stop();
}
{
  const dns = await startDns({});
  const settings = { servers: [`127.0.0.1:${dns.port}`], hostsFile: "/dev/null" };
  const [ours, o] = await outcomeMs({ server: { host: "nowhere.invalid", port: 1883, tls: false }, dns: settings });
  if (o.reason !== C.NOT_RESOLVED) throw new Error(`expected NOT_RESOLVED, got ${o.reason}`);
  const raw = await timeIt(
    N,
    () =>
      new Promise<void>((resolve) => {
        const r = new Resolver({ timeout: 5000, tries: 1 });
        r.setServers(settings.servers);
        r.resolve4("nowhere.invalid", () => resolve());
      }),
  );
  row("NXDOMAIN → NOT_RESOLVED", ours, "dns Resolver ENOTFOUND", raw);
  await dns.stop();
}

await cloud.stop();
clock.dispose();

const header = ["measure (median of " + N + ")", "impnet", "peer", "peer figure", "ratio"];
const table = [header, ...rows];
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const r of table.slice(1)) console.log(`| ${r.join(" | ")} |`);
console.log(`\nnode ${process.version}, ${process.platform} ${process.arch}`);
process.exit(0);
