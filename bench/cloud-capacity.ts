/**
 * The cloud's capacity as deployed, beside mosquitto in the same run: `impnet
 * serve` and mosquitto each in their own process (each gets a core of its
 * own on a 2-core machine), the same load generator (mqtt.js, this process)
 * against both, the same users.
 *
 *   1. authenticated connects per second (CONNECT, CONNACK, DISCONNECT; C at a time);
 *   2. memory per idle authenticated connection: the broker's RSS with K idle
 *      sessions open, less its RSS before, / K.
 *
 *   npm run bench:cloud                          # 3 runs, medians
 *   npm run bench:cloud -- --runs 5 --connects 2000 --idle 2000
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { connectAsync } from "mqtt";
import type { MqttClient } from "mqtt";
import { DeviceRegistry } from "../src/cloud/device-registry.js";
import { REGISTRY_FILE } from "../src/cloud/embedded-cloud.js";
import { ServeProcess } from "../src/fleet/brokers.js";
import { startMosquitto, tempDir } from "../test/host/real-parts.js";
import type { RunningMosquitto } from "../test/host/real-parts.js";
import { int, median, numberArg, table } from "./report.js";


const RUNS = numberArg("--runs", 3);
const CONNECTS = numberArg("--connects", 2000);
const CONCURRENCY = numberArg("--concurrency", 10);
const IDLE = numberArg("--idle", 2000);
const USERS = 50;

interface User {
  user: string;
  secret: string;
}

/** RSS of a process, from /proc (Linux). */
function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (m === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

async function connectsPerSecond(url: string, users: User[], total: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) {
      const { user, secret } = users[next++ % users.length]!;
      const c: MqttClient = await connectAsync(url, { username: user, password: secret, clientId: user, reconnectPeriod: 0, protocolVersion: 4, keepalive: 0 });
      await c.endAsync();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return total / ((performance.now() - t0) / 1000);
}

/** Opens `n` idle sessions (each its own user) and returns the broker's RSS growth per session. */
async function bytesPerIdleSession(url: string, pid: number, users: User[]): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 500)); // the broker settles after the connect storm
  const before = rssBytes(pid);
  const clients: MqttClient[] = [];
  for (let i = 0; i < users.length; i += 50) {
    clients.push(...(await Promise.all(users.slice(i, i + 50).map(({ user, secret }) => connectAsync(url, { username: user, password: secret, clientId: user, reconnectPeriod: 0, keepalive: 0 })))));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = rssBytes(pid);
  await Promise.all(clients.map((c) => c.endAsync()));
  return (after - before) / users.length;
}

interface Run {
  ours: number;
  theirs: number;
  oursBytes: number;
  theirsBytes: number;
}

async function once(): Promise<Run> {
  const dataDir = tempDir("impnet-cloud-bench-");
  const registry = DeviceRegistry.open(path.join(dataDir, REGISTRY_FILE), { create: true });
  const make = (prefix: string, n: number): User[] => Array.from({ length: n }, (_, i) => ({ user: `${prefix}-${i}`, secret: registry.addDevice(`${prefix}-${i}`) }));
  const rate = make("rate", USERS);
  const idle = make("idle", IDLE);
  const serve = new ServeProcess(dataDir);
  let mosquitto: RunningMosquitto | undefined;
  try {
    await serve.start();
    const url = `mqtt://127.0.0.1:${serve.server.port}`;
    mosquitto = await startMosquitto(Object.fromEntries([...rate, ...idle].map((u) => [u.user, u.secret])));
    const mqttUrl = `mqtt://127.0.0.1:${mosquitto.port}`;
    await connectsPerSecond(url, rate, 200); // warm-up: both JITs and caches
    await connectsPerSecond(mqttUrl, rate, 200);
    const ours = await connectsPerSecond(url, rate, CONNECTS);
    const theirs = await connectsPerSecond(mqttUrl, rate, CONNECTS);
    const oursBytes = await bytesPerIdleSession(url, serve.pid!, idle);
    const theirsBytes = await bytesPerIdleSession(mqttUrl, mosquitto.pid!, idle);
    return { ours, theirs, oursBytes, theirsBytes };
  } finally {
    await serve.stop();
    await mosquitto?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const runs: Run[] = [];
for (let r = 0; r < RUNS; r++) {
  const run = await once();
  runs.push(run);
  process.stderr.write(`  run ${r + 1}/${RUNS}: ${int(run.ours)} vs ${int(run.theirs)} connects/s, ${int(run.oursBytes)} vs ${int(run.theirsBytes)} bytes per idle session\n`);
}
const m = (f: (r: Run) => number) => median(runs.map(f));
const range = (f: (r: Run) => number) => `${Math.min(...runs.map(f)).toFixed(2)}–${Math.max(...runs.map(f)).toFixed(2)}`;
console.log(`The cloud as deployed beside mosquitto, each in its own process; medians of ${RUNS} runs`);
console.log(
  table(
    ["measure", "impnet serve", "mosquitto", "ratio (range)"],
    [
      [`authenticated connects/s (${int(CONNECTS)}, ${CONCURRENCY} at a time)`, int(m((r) => r.ours)), int(m((r) => r.theirs)), `${m((r) => r.ours / r.theirs).toFixed(2)} (${range((r) => r.ours / r.theirs)})`],
      [`memory per idle authenticated session (${int(IDLE)} open), bytes`, int(m((r) => r.oursBytes)), int(m((r) => r.theirsBytes)), `${m((r) => r.oursBytes / r.theirsBytes).toFixed(2)} (${range((r) => r.oursBytes / r.theirsBytes)})`],
    ],
  ),
);
console.log(`\nnode ${process.version}, ${process.platform} ${process.arch}`);
process.exit(0);
