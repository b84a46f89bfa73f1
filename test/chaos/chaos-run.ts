import { MessageLedger, NULL_SINK, pause } from "../support/message-ledger.js";
import type { MessageCounts } from "../support/message-ledger.js";
import { RealClock } from "../../src/clock/real-clock.js";
import { AgentHost } from "../../src/cloud/agent-host.js";
import type { AgentHostOptions } from "../../src/cloud/agent-host.js";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import * as C from "../../src/constants.js";
import type { RootTable } from "../../src/device/api/root.js";
import { Device } from "../../src/device/device.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import { HostLink } from "../../src/network/host/host-link.js";
import { seededRandom } from "../../src/scenario/random.js";
import type { TimelineSink } from "../../src/timeline/events.js";
import { deviceModel } from "../host/harness.js";
import { startMosquitto, tempDir } from "../host/real-parts.js";
import { startCloud } from "../host/support-cloud.js";

export type Restart = "broker" | "agent-host" | "both";

export interface ChaosOptions {
  broker: "embedded" | "mosquitto";
  devices: number;
  seed: number;
  /** Each device sends one WAIT_FOR_ACK message about this often while connected. */
  sendEveryMs: number;
  /** How long devices send; restarts happen within it. */
  runMs: number;
  /** What is restarted when (ms after the devices start sending), and how long it stays down. */
  restarts: { atMs: number; what: Restart; downMs: number }[];
  /** After the run: how long devices may take to be back and messages to arrive. */
  settleMs: number;
}

export interface ChaosReport {
  broker: ChaosOptions["broker"];
  devices: number;
  restarts: { what: Restart; downMs: number }[];
  /** Connections lost (the devices' timelines), the unexpected-disconnect callbacks programs got (R23), and whether all were back by the end. */
  losses: number;
  callbacks: number;
  allBack: boolean;
  /** From the broker's last return to the last device connected again. */
  slowestBackMs: number;
  messages: MessageCounts;
  seconds: number;
}


/** The broker side: stop and start again in place (same port, same registry or persistence). */
interface Broker {
  url: string;
  port: number;
  secretOf(id: string): string;
  service: { user: string; secret: string };
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function embeddedBroker(ids: string[]): Promise<Broker> {
  const dataDir = tempDir();
  let cloud: EmbeddedCloud = await startCloud({ dataDir }, NULL_SINK);
  const secrets = new Map(ids.map((id) => [id, cloud.registry.addDevice(id)]));
  const service = { user: "agents", secret: cloud.registry.addService("agents") };
  const port = cloud.port;
  return {
    url: cloud.url,
    port,
    secretOf: (id) => secrets.get(id)!,
    service,
    stop: () => cloud.stop(),
    start: async () => {
      cloud = await startCloud({ dataDir, port }, NULL_SINK); // the registry file survives
    },
  };
}

async function mosquittoBroker(ids: string[]): Promise<Broker> {
  const users: Record<string, string> = { agents: "agent-secret" };
  for (const id of ids) users[id] = `secret-${id}`;
  const m = await startMosquitto(users, { persistence: true });
  return { url: `mqtt://127.0.0.1:${m.port}`, port: m.port, secretOf: (id) => users[id]!, service: { user: "agents", secret: "agent-secret" }, stop: () => m.stop(), start: () => m.start() };
}

/**
 * Devices on the host stack send WAIT_FOR_ACK messages to their agents while
 * the broker and the agent host are restarted under them. Each device program
 * reconnects after an unexpected disconnect (RETURN_ON_ERROR: retry every
 * second). Counts every message from send to agent and every device's return.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const wall = new RealClock();
  const started = wall.now();
  const ids = Array.from({ length: o.devices }, (_, i) => `chaos-${i}`);
  const broker = o.broker === "embedded" ? await embeddedBroker(ids) : await mosquittoBroker(ids);

  const perDevice = Math.ceil(o.runMs / (o.sendEveryMs / 2)) + 2;
  const ledger = new MessageLedger(o.devices * perDevice);
  const agent: AgentEntry = ({ device }) => device.on("chaos", (mid) => ledger.arrived(mid));
  const hostOptions: AgentHostOptions = { broker: { url: broker.url }, username: broker.service.user, secret: broker.service.secret, clock: wall, sink: NULL_SINK, agentFor: () => agent };
  let host = await AgentHost.start(hostOptions);

  let sending = false;
  let running = true; // false at the end: device programs stop rescheduling, so nothing keeps the process alive
  let losses = 0;
  let callbacks = 0;
  const connected = new Uint8Array(o.devices);
  const backAt = new Float64Array(o.devices);
  const links: HostLink[] = [];
  const ready: Promise<void>[] = [];
  ids.forEach((id, i) => {
    const clock = new ElapsedClock(wall);
    const model = deviceModel(id);
    const link = new HostLink(model, clock, { server: { host: "127.0.0.1", port: broker.port, tls: false }, secret: broker.secretOf(id), interfaces: { ethernet: "lo" } });
    const random = seededRandom(o.seed, id);
    let sent = 0;
    let started: () => void = () => {};
    ready.push(new Promise<void>((resolve) => (started = resolve)));
    const program = (r: RootTable) => {
      r.server.setsendtimeoutpolicy(r.RETURN_ON_ERROR as number, r.WAIT_FOR_ACK as number, 5);
      // impOS reconnects silently for 60 s (R23); past that, the program retries every second.
      const reconnect = () =>
        r.server.connect((reason) => {
          if (reason !== C.SERVER_CONNECTED && running) r.imp.wakeup(1, reconnect);
        }, 10);
      r.server.onunexpecteddisconnect(() => {
        callbacks++;
        r.imp.wakeup(random(), reconnect);
      });
      if (!r.server.isconnected()) reconnect();
      const tick = () => {
        if (!running) return;
        r.imp.wakeup(((0.5 + random()) * o.sendEveryMs) / 1000, tick);
        if (!sending || !r.server.isconnected() || sent >= perDevice) return;
        const mid = i * perDevice + sent++;
        ledger.send(mid, r.agent.send("chaos", mid));
      };
      tick();
      started();
    };
    // The timeline tells when the device is online, whether impOS recovered silently (R23) or the program reconnected.
    const sink: TimelineSink = {
      write: (e) => {
        if (e.type === "disconnected") {
          losses++;
          connected[i] = 0;
        } else if (e.type === "connected") {
          connected[i] = 1;
          backAt[i] = wall.now();
        }
      },
    };
    const device = new Device(model, { clock, sink, link, program });
    link.listener = device;
    links.push(link);
    device.boot();
  });
  await Promise.all(ready);
  const allConnected = () => connected.every((c) => c === 1);
  for (let t = 0; !allConnected() && t < o.settleMs; t += 100) await pause(wall, 100);

  sending = true;
  const t0 = wall.now();
  let brokerBackAt = 0;
  for (const r of [...o.restarts].sort((a, b) => a.atMs - b.atMs)) {
    await pause(wall, Math.max(0, t0 + r.atMs - wall.now()));
    if (r.what === "agent-host") {
      await host.stop();
      await pause(wall, r.downMs);
      host = await AgentHost.start(hostOptions);
      continue;
    }
    // The broker goes first (devices can no longer send), then the host; they come back in the same order.
    await broker.stop();
    if (r.what === "both") await host.stop();
    await pause(wall, r.downMs);
    await broker.start();
    brokerBackAt = wall.now();
    if (r.what === "both") host = await AgentHost.start(hostOptions);
  }
  await pause(wall, Math.max(0, t0 + o.runMs - wall.now()));
  sending = false;

  for (let t = 0; !allConnected() && t < o.settleMs; t += 100) await pause(wall, 100);
  for (let t = 0; ledger.unsettled() && t < o.settleMs; t += 100) await pause(wall, 100);
  await pause(wall, 500); // late duplicates
  const report: ChaosReport = {
    broker: o.broker,
    devices: o.devices,
    restarts: o.restarts.map((r) => ({ what: r.what, downMs: r.downMs })),
    losses,
    callbacks,
    allBack: allConnected(),
    slowestBackMs: brokerBackAt === 0 ? 0 : Math.max(0, ...Array.from(backAt, (t) => t - brokerBackAt)),
    messages: ledger.counts(),
    seconds: (wall.now() - started) / 1000,
  };
  running = false;
  await pause(wall, 2 * o.sendEveryMs); // the last ticks run out
  for (const link of links) link.dispose();
  await host.stop();
  await broker.stop();
  return report;
}
