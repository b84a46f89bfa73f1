/**
 * Agent message latency as the fleet grows: N devices online, each sending
 * its agent a message every `--interval` seconds (staggered), the agent
 * answering each at once with `device.send`; the time from the device's
 * PUBLISH to the answer reaching it, p50 and p99, per fleet size, three ways:
 *
 *   - impnet serve, the agents in its process (`serve --agent`), as deployed;
 *   - mosquitto, with impnet's AgentHost in a process of its own;
 *   - mosquitto, with a bare mqtt.js echo in a process of its own: the limit
 *     (what the broker and one MQTT client cost, with no agent at all).
 *
 * The devices are mqtt.js clients speaking impnet's wire layout (status,
 * msg, cmd) in this process, the same for all three.
 *
 *   npm run bench:agents                                 # 100, 1,000, 10,000 devices; 3 runs
 *   npm run bench:agents -- --devices 100,1000 --runs 1 --window 10 --interval 10
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { connectAsync } from "mqtt";
import type { MqttClient } from "mqtt";
import { AgentHost } from "../src/cloud/agent-host.js";
import { DeviceRegistry } from "../src/cloud/device-registry.js";
import { REGISTRY_FILE } from "../src/cloud/embedded-cloud.js";
import { RealClock } from "../src/clock/real-clock.js";
import { ServeProcess } from "../src/fleet/brokers.js";
import { stopChild } from "../src/fleet/child-process.js";
import { ElapsedClock } from "../src/network/host/elapsed-clock.js";
import { loadAgentProgram } from "../src/scenario/load-program.js";
import { decodeMessage, encodeMessage } from "../src/wire/payload-codec.js";
import { topicFor } from "../src/wire/topics.js";
import { startMosquitto, tempDir } from "../test/host/real-parts.js";
import { compiledBench, int, listArg, median, numberArg, table } from "./report.js";

const SERVICE = "agents";

/** The agent every device gets: it answers each ping with a pong carrying the same data. */
const ECHO_AGENT = 'export default function agent({ device }) { device.on("ping", (data) => device.send("pong", data)); }\n';

// ---------------------------------------------------------------- the agent side, in a child process

if (process.argv[2] === "--child-agents" || process.argv[2] === "--child-echo") {
  const [mode, url, secret, agentFile] = process.argv.slice(2);
  if (mode === "--child-agents") {
    const entry = await loadAgentProgram(agentFile!);
    const clock = new ElapsedClock(new RealClock());
    await AgentHost.start({ broker: { url: url! }, username: SERVICE, secret: secret!, clock, sink: { write() {} }, agentFor: () => entry });
  } else {
    const c = await connectAsync(url!, { username: SERVICE, password: secret!, clientId: `${SERVICE}:echo`, reconnectPeriod: 0 });
    c.on("message", (topic, payload) => {
      const [, partition, id, channel] = topic.split("/");
      if (channel !== "msg") return;
      const m = decodeMessage(payload);
      if ("name" in m && m.name === "ping") c.publish(`impnet/${partition}/${id}/cmd`, encodeMessage("pong", m.data), { qos: 1 });
    });
    await c.subscribeAsync("impnet/+/+/msg", { qos: 1 });
  }
  process.stdout.write("ready\n");
  await new Promise(() => {}); // until the parent stops it
}

/** Runs this file's compiled form as the agent side; resolves once it is subscribed. */
async function agentProcess(mode: "--child-agents" | "--child-echo", url: string, secret: string, agentFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [compiledBench("agent-latency"), mode, url, secret, agentFile], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`${mode} exited (${code ?? "signal"})`)));
  });
  await new Promise((r) => setTimeout(r, 300)); // its subscriptions settle
  return child;
}

// ---------------------------------------------------------------- the devices, in this process

interface Device {
  id: string;
  secret: string;
}

/**
 * Brings the devices online (status online, cmd subscribed), then each pings
 * every interval (staggered over it) for `windowS`; returns the round trips in ms.
 */
async function measure(url: string, devices: Device[], intervalS: number, windowS: number): Promise<number[]> {
  const clients: MqttClient[] = [];
  const sent = new Map<string, number>();
  const rtts: number[] = [];
  let measuring = false;
  try {
    for (let i = 0; i < devices.length; i += 100) {
      const batch = await Promise.all(
        devices.slice(i, i + 100).map(async ({ id, secret }) => {
          const c = await connectAsync(url, { username: id, password: secret, clientId: id, reconnectPeriod: 0, keepalive: 0, will: { topic: topicFor(id, "status"), payload: Buffer.from("offline"), qos: 1, retain: true } });
          c.on("message", (_topic, payload) => {
            const m = decodeMessage(payload);
            if (!("name" in m) || m.name !== "pong") return;
            const key = m.data as string;
            const at = sent.get(key);
            if (at === undefined) return;
            sent.delete(key);
            if (measuring) rtts.push(performance.now() - at);
          });
          await c.subscribeAsync(topicFor(id, "cmd"), { qos: 1 });
          await c.publishAsync(topicFor(id, "status"), "online", { qos: 1, retain: true });
          return c;
        }),
      );
      clients.push(...batch);
    }
    await new Promise((r) => setTimeout(r, 1000)); // the agents see every device online
    const timers: NodeJS.Timeout[] = [];
    let seq = 0;
    const ping = (c: MqttClient, id: string) => {
      const key = `${id}#${seq++}`;
      sent.set(key, performance.now());
      c.publish(topicFor(id, "msg"), encodeMessage("ping", key), { qos: 0 });
    };
    // A warm-up interval first (JITs, the agents' first turns), then the measured window.
    clients.forEach((c, i) => timers.push(setTimeout(() => timers.push(setInterval(() => ping(c, devices[i]!.id), intervalS * 1000)), (i / clients.length) * intervalS * 1000)));
    await new Promise((r) => setTimeout(r, intervalS * 1000));
    measuring = true;
    await new Promise((r) => setTimeout(r, windowS * 1000));
    measuring = false;
    for (const t of timers) clearTimeout(t);
    return rtts;
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true)));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Figures {
  p50: number;
  p99: number;
  answered: number;
}

function figures(rtts: number[]): Figures {
  const s = rtts.sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), answered: s.length };
}

type Way = "serve" | "agentHost" | "echo";
const WAYS: Way[] = ["serve", "agentHost", "echo"];

async function once(n: number, intervalS: number, windowS: number): Promise<Record<Way, Figures>> {
  const dataDir = tempDir("impnet-agent-bench-");
  const agentFile = path.join(dataDir, "echo-agent.mjs");
  writeFileSync(agentFile, ECHO_AGENT);
  const registry = DeviceRegistry.open(path.join(dataDir, REGISTRY_FILE), { create: true });
  const ids = Array.from({ length: n }, (_, i) => `lat-${i}`);
  const devices = registry.addDevices(ids).map((secret, i) => ({ id: ids[i]!, secret }));
  const serviceSecret = registry.addService(SERVICE);
  const out = {} as Record<Way, Figures>;
  const serve = new ServeProcess(dataDir, ["--agent", agentFile]);
  try {
    await serve.start();
    out.serve = figures(await measure(`mqtt://127.0.0.1:${serve.server.port}`, devices, intervalS, windowS));
  } finally {
    await serve.stop();
  }
  const wall = new RealClock();
  for (const mode of ["agentHost", "echo"] as const) {
    // TCP_NODELAY: by default mosquitto leaves the agents' one busy connection to Nagle and the peer's delayed ACKs (40 ms a publish at 100 a second).
    const mosquitto = await startMosquitto({ ...Object.fromEntries(devices.map((d) => [d.id, d.secret])), [SERVICE]: serviceSecret }, { noDelay: true });
    const url = `mqtt://127.0.0.1:${mosquitto.port}`;
    let agents: ChildProcess | undefined;
    try {
      agents = await agentProcess(mode === "agentHost" ? "--child-agents" : "--child-echo", url, serviceSecret, agentFile);
      out[mode] = figures(await measure(url, devices, intervalS, windowS));
    } finally {
      if (agents !== undefined) await stopChild(agents, wall);
      await mosquitto.stop();
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  return out;
}

const sizes = listArg("--devices", [100, 1000, 10_000]);
const RUNS = numberArg("--runs", 3);
const INTERVAL = numberArg("--interval", 10);
const WINDOW = numberArg("--window", 20);

const rows: string[][] = [];
for (const n of sizes) {
  const runs: Record<Way, Figures>[] = [];
  for (let r = 0; r < RUNS; r++) {
    const run = await once(n, INTERVAL, WINDOW);
    runs.push(run);
    process.stderr.write(`  ${int(n)} devices, run ${r + 1}/${RUNS}: ${WAYS.map((w) => `${w} p50 ${run[w].p50.toFixed(2)} p99 ${run[w].p99.toFixed(2)} ms (${int(run[w].answered)})`).join("; ")}\n`);
  }
  const m = (w: Way, k: "p50" | "p99") => median(runs.map((r) => r[w][k]));
  const ratio = (w: Way, k: "p50" | "p99") => median(runs.map((r) => r[w][k] / r.echo[k])).toFixed(2);
  const expected = Math.round((n / INTERVAL) * WINDOW);
  rows.push([
    `${int(n)} (${int(n / INTERVAL)} msg/s)`,
    `${m("serve", "p50").toFixed(2)} / ${m("serve", "p99").toFixed(2)}`,
    `${m("agentHost", "p50").toFixed(2)} / ${m("agentHost", "p99").toFixed(2)}`,
    `${m("echo", "p50").toFixed(2)} / ${m("echo", "p99").toFixed(2)}`,
    `${ratio("serve", "p50")} / ${ratio("serve", "p99")}`,
    `${ratio("agentHost", "p50")} / ${ratio("agentHost", "p99")}`,
    `${int(median(runs.map((r) => Math.min(...WAYS.map((w) => r[w].answered)))))} of ~${int(expected)}`,
  ]);
}
console.log(`Agent message round trip (device PUBLISH → agent → device.send → device), ms, p50 / p99; medians of ${RUNS} runs, ${WINDOW} s windows`);
console.log(table(["devices (load)", "impnet serve", "mosquitto + AgentHost", "mosquitto + bare echo (limit)", "serve / limit", "AgentHost / limit", "answered (fewest)"], rows));
console.log(`\nnode ${process.version}, ${process.platform} ${process.arch}`);
process.exit(0);
