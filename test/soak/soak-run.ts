import { MessageLedger, NULL_SINK, pause } from "../support/message-ledger.js";
import type { MessageCounts } from "../support/message-ledger.js";
import { readdirSync, readFileSync } from "node:fs";
import { RealClock } from "../../src/clock/real-clock.js";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import * as C from "../../src/constants.js";
import type { RootTable } from "../../src/device/api/root.js";
import { Device } from "../../src/device/device.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import { HostLink } from "../../src/network/host/host-link.js";
import { seededRandom } from "../../src/scenario/random.js";
import { deviceModel } from "../host/harness.js";
import { startCloud } from "../host/support-cloud.js";
import { faultChooser, startFaultProxy } from "../support/fault-proxy.js";
import type { FaultKind, FaultProxyStats } from "../support/fault-proxy.js";

export interface SoakOptions {
  /** Devices running side by side; each does `rounds` cycles, back to back. */
  devices: number;
  rounds: number;
  seed: number;
  /** Messages each connected cycle sends with WAIT_FOR_ACK. */
  messages: number;
  /** Fault rates per connection; the rest pass untouched. */
  rates: Partial<Record<Exclude<FaultKind, "none">, number>>;
  /** The host stack's pause after a failed attempt (1000 ms on devices; less keeps a soak short). */
  retryFloorMs: number;
  /** server.connect's timeout and the send timeout policy, in seconds. */
  connectTimeoutS: number;
  sendTimeoutS: number;
  /** Called after each cycle (progress). */
  onCycle?: (done: number, total: number) => void;
}

export interface SoakReport {
  cycles: number;
  connects: number;
  callbacks: number;
  /** Connects whose callback never ran (within the cycle's time limit), and callbacks beyond the first. */
  missingCallbacks: number;
  extraCallbacks: number;
  /** What each device was doing when a cycle ran out of time. */
  stuck: string[];
  outcomes: Record<string, number>;
  messages: MessageCounts;
  faults: FaultProxyStats;
  /** Resources of this process before the first cycle and after the last (sockets, timers, …), and what differs. */
  resources: { before: Record<string, number>; after: Record<string, number>; leaked: Record<string, number> };
  listeners: { before: number; after: number };
  children: { before: number; after: number };
  heap: { warmMb: number; endMb: number; ratio: number } | null;
  seconds: number;
}

/** The process's live handles by kind (TCPSocketWrap, Timeout, …). */
function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

function processListeners(): number {
  return process.eventNames().reduce((n, e) => n + process.listenerCount(e), 0);
}

/** Child processes of this one, from /proc (0 where /proc is absent). */
function children(): number {
  try {
    return readdirSync("/proc").filter((p) => /^\d+$/.test(p) && readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]?.split(" ")[1] === String(process.pid)).length;
  } catch {
    return 0;
  }
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}


/**
 * Connect / send / disconnect cycles of real device programs (the device API
 * and its connection machine on the host stack) against the embedded cloud,
 * through a proxy that breaks connections on a seeded schedule. Counts every
 * connect's callbacks, every WAIT_FOR_ACK message from send to the agent, and
 * what the process holds before and after.
 */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const wall = new RealClock();
  const started = wall.now();
  // One slot per message: (device, cycle, k).
  const slot = (device: number, n: number, k: number) => (device * o.rounds + n) * o.messages + k;
  const ledger = new MessageLedger(o.devices * o.rounds * o.messages);
  const agent: AgentEntry = ({ device }) => device.on("soak", (mid) => ledger.arrived(mid));
  const cloud = await startCloud({ agentFor: () => agent, preSessionTimeoutMs: 2000 }, NULL_SINK);
  const proxy = await startFaultProxy(cloud.port, wall, faultChooser(seededRandom(o.seed, "faults"), o.rates));
  const report = { connects: 0, callbacks: 0, missingCallbacks: 0, extraCallbacks: 0, outcomes: {} as Record<string, number>, stuck: [] as string[] };

  const devices: { index: number; id: string; root: RootTable; link: HostLink; device: Device }[] = [];
  for (let i = 0; i < o.devices; i++) {
    const id = `soak-${i}`;
    const secret = cloud.registry.addDevice(id);
    const clock = new ElapsedClock(wall);
    const model = deviceModel(id);
    const link = new HostLink(model, clock, { server: { host: "127.0.0.1", port: proxy.port, tls: false }, secret, interfaces: { ethernet: "lo" }, retryFloorMs: o.retryFloorMs });
    let root: RootTable | undefined;
    // The program's first turn sets its policy: later turns are the cycles, posted into its event loop.
    const program = (r: RootTable) => {
      r.server.setsendtimeoutpolicy(r.RETURN_ON_ERROR as number, r.WAIT_FOR_ACK as number, o.sendTimeoutS);
      r.server.disconnect();
      root = r;
    };
    const device = new Device(model, { clock, sink: NULL_SINK, link, program });
    link.listener = device;
    device.boot(); // connects at boot (through the proxy's faults too), then the program runs (R25)
    for (let t = 0; root === undefined && t < 15_000; t += 10) await pause(wall, 10);
    if (root === undefined) throw new Error(`${id}: its program never started`);
    devices.push({ index: i, id, root, link, device });
  }

  /** One cycle on one device, in its own event loop: resolves when it is over or its time is up. */
  const cycle = (d: (typeof devices)[number], n: number) =>
    new Promise<void>((done) => {
      const limit = (o.connectTimeoutS + o.messages * o.sendTimeoutS + 5) * 1000;
      let over = false;
      const finish = () => {
        if (over) return;
        over = true;
        wall.clearTimer(watchdog);
        done();
      };
      const watchdog = wall.setTimer(limit, () => {
        report.missingCallbacks++;
        const dev = d.device;
        report.stuck.push(`${d.id} cycle ${n}: phase ${dev.conn.phase}, event loop ${dev.loop.frozen ? "held" : "free"}, connected ${String(dev.connected)}`);
        finish();
      });
      d.root.imp.wakeup(0, () => {
        report.connects++;
        let calls = 0;
        d.root.server.connect((reason) => {
          report.callbacks++;
          if (++calls > 1) return void report.extraCallbacks++;
          const name = C.reasonName(reason);
          report.outcomes[name] = (report.outcomes[name] ?? 0) + 1;
          if (reason !== C.SERVER_CONNECTED) return finish();
          const sends = Array.from({ length: o.messages }, (_, k) => {
            const mid = slot(d.index, n, k);
            const result = d.root.agent.send("soak", mid);
            ledger.send(mid, result);
            return Promise.resolve(result).catch(() => {});
          });
          void Promise.all(sends).then(() => {
            d.root.server.disconnect();
            finish();
          });
        }, o.connectTimeoutS);
      });
    });

  await pause(wall, 1500); // the boot sessions' goodbyes
  const before = resources();
  const listenersBefore = processListeners();
  const childrenBefore = children();
  // Each device runs its cycles back to back, independently: a slow fault delays only its own device.
  let warm: number | null = null;
  let finished = 0;
  const total = o.devices * o.rounds;
  await Promise.all(
    devices.map(async (d) => {
      for (let n = 0; n < o.rounds; n++) {
        await cycle(d, n);
        finished++;
        if (finished === Math.floor(total / 10)) warm = heapMb();
        o.onCycle?.(finished, total);
      }
    }),
  );
  // Acknowledged messages are the broker's: give the agent host a moment to hand over the last of them.
  for (let t = 0; t < 5000 && ledger.unsettled(); t += 50) await pause(wall, 50);
  await pause(wall, 1500); // sessions closed politely finish their goodbye (1 s at most)
  const after = resources();
  const end = heapMb();
  const leaked: Record<string, number> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) if ((after[k] ?? 0) !== (before[k] ?? 0)) leaked[k] = (after[k] ?? 0) - (before[k] ?? 0);
  const result: SoakReport = {
    cycles: o.devices * o.rounds,
    ...report,
    messages: ledger.counts(),
    faults: { ...proxy.stats, byKind: { ...proxy.stats.byKind } },
    resources: { before, after, leaked },
    listeners: { before: listenersBefore, after: processListeners() },
    children: { before: childrenBefore, after: children() },
    heap: warm === null ? null : { warmMb: warm, endMb: end, ratio: end / warm },
    seconds: (wall.now() - started) / 1000,
  };
  for (const d of devices) d.link.dispose();
  await proxy.stop();
  await cloud.stop();
  return result;
}
