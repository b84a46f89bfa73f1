import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { RealClock } from "../clock/real-clock.js";
import { DashboardServer } from "../cloud/dashboard/dashboard-server.js";
import { DeviceBoard } from "../cloud/dashboard/device-board.js";
import type { TimelineSink } from "../timeline/events.js";
import { EmbeddedCloud } from "../cloud/embedded-cloud.js";
import { Device, RUN_ENDED } from "../device/device.js";
import { ElapsedClock } from "../network/host/elapsed-clock.js";
import { HostLink } from "../network/host/host-link.js";
import type { DeviceModel } from "../scenario/types.js";
import { NEWEST_RELEASE } from "../releases.js";
import { StreamSink } from "../timeline/sinks.js";
import { loadAgentProgram, loadDeviceProgram } from "../scenario/load-program.js";
import type { RealIo } from "./real-io.js";
import { untilStopped } from "./real-io.js";
import { accepts, stopChild } from "../fleet/child-process.js";
import { FlakyPath } from "./flaky-path.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/demo/", import.meta.url));

/** sensor-flaky's path: long enough online to send readings, long enough refused that its retry fails. */
const FLAKY = { upMs: 30_000, downMs: 8_000 };

/**
 * `impnet demo` (`npm start`): the embedded cloud and three devices on the
 * real stack over loopback: one direct, one through a tinyproxy with
 * BasicAuth (when tinyproxy is installed), one whose path keeps failing, one
 * with a wrong secret that fails with its reason. Logs reach the cloud; Ctrl-C stops everything.
 */
export async function demoCommand(options: { json?: boolean; forMs?: number }, io: RealIo): Promise<number> {
  const program = await loadDeviceProgram(path.join(EXAMPLES, "sensor.nut"));
  const agent = await loadAgentProgram(path.join(EXAMPLES, "agent.nut"));
  const say = (text: string) => {
    if (options.json !== true) io.stdout.write(`${text}\n`);
  };
  // What has started, undone in reverse order however the demo ends (a
  // failure part-way included): nothing keeps listening, no temp dir stays.
  const undo: (() => void | Promise<void>)[] = [];
  try {
    const data = mkdtempSync(path.join(tmpdir(), "impnet-demo-"));
    undo.push(() => rmSync(data, { recursive: true, force: true }));
    const wall = new RealClock();
    const clock = new ElapsedClock(wall);
    undo.push(() => clock.dispose());
    const sink = new StreamSink(io.stdout, options.json === true ? "json" : "human", { color: false, deviceWidth: 15 });
    // The dashboard watches the cloud's logins; the devices' own lines already say as much on the terminal.
    const board = new DeviceBoard();
    const cloudSink: TimelineSink = { write: (e) => (board.write(e), e.type === "online" || e.type === "offline" || e.type === "refused" ? undefined : sink.write(e)) };
    const cloud = await EmbeddedCloud.start({ dataDir: data, port: 0, clock, wall, sink: cloudSink, agentFor: () => agent, logins: true, reports: (id, lines, dropped) => board.report(id, lines, dropped) });
    undo.push(() => cloud.stop());
    const dashboard = await DashboardServer.start({ board, clock, origin: clock.origin, host: "127.0.0.1", port: 0 });
    undo.push(() => dashboard.stop());
    say(`dashboard: ${dashboard.url}`);
    say(`impnet demo: embedded cloud on ${cloud.url} (data in ${data}); Ctrl-C stops it all`);

    const proxy = await startDemoProxy(data);
    if (proxy !== null) undo.push(() => proxy.stop());
    const flaky = await FlakyPath.start(cloud.port, clock, FLAKY);
    undo.push(() => flaky.stop());
    const boot = (id: string, secret: string, path: { proxied?: boolean; port?: number } = {}) => {
      board.know([id]);
      const model: DeviceModel = { id, baseId: id, release: NEWEST_RELEASE, interfaces: ["ethernet"], cell: { modem: false, sim: "missing" }, quirks: [], program: "sensor.mjs" };
      if (path.proxied === true && proxy !== null) model.proxy = { host: "127.0.0.1", port: proxy.port, user: "demo", password: proxy.password };
      const server = { host: "127.0.0.1", port: path.port ?? cloud.port, tls: false };
      const link = new HostLink(model, clock, { server, secret, interfaces: { ethernet: "lo" } });
      const device = new Device(model, { clock, sink, link, program });
      link.listener = device;
      // The device first (it says goodbye), then its link.
      undo.push(() => {
        device.disconnect(RUN_ENDED);
        link.dispose();
      });
      device.boot();
    };
    boot("sensor-direct", cloud.registry.addDevice("sensor-direct"));
    if (proxy !== null) {
      say(`  sensor-proxied connects through tinyproxy on 127.0.0.1:${proxy.port} (BasicAuth)`);
      boot("sensor-proxied", cloud.registry.addDevice("sensor-proxied"), { proxied: true });
    } else say("  (no tinyproxy: not installed (apt-get install tinyproxy) or it did not start; no proxied device)");
    say(`  sensor-flaky's path cuts it off after ${FLAKY.upMs / 1000} s and refuses it for ${FLAKY.downMs / 1000} s, again and again: its strip on the dashboard shows why it was offline`);
    boot("sensor-flaky", cloud.registry.addDevice("sensor-flaky"), { port: flaky.port });
    cloud.registry.addDevice("sensor-wrongkey");
    say("  sensor-wrongkey has the wrong secret: the cloud refuses it (NO_SERVER, CONNACK 4)");
    boot("sensor-wrongkey", randomBytes(32).toString("base64url"));

    const timer = options.forMs === undefined ? undefined : new Promise<void>((resolve) => clock.setTimer(options.forMs!, resolve));
    await untilStopped(io, timer);
  } finally {
    await undoAll(undo);
  }
  say("impnet demo: stopped");
  return 0;
}

/** Runs every step, newest first, even when one throws; then rethrows the first failure. */
async function undoAll(undo: (() => void | Promise<void>)[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const step of undo.reverse()) {
    try {
      await step();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}


async function startDemoProxy(dir: string): Promise<{ port: number; password: string; stop(): Promise<void> } | null> {
  const bin = ["/usr/bin/tinyproxy", "/usr/sbin/tinyproxy"].find((f) => existsSync(f));
  if (bin === undefined) return null;
  const port = await freePort();
  const password = randomBytes(12).toString("base64url");
  const conf = path.join(dir, "tinyproxy.conf");
  // Timeout: how long tinyproxy lets a connection idle. A device is quiet for up to a minute (R27's keepalive), so 30 s would cut it off.
  writeFileSync(conf, `Port ${port}\nListen 127.0.0.1\nTimeout 600\nMaxClients 20\nBasicAuth demo ${password}\nLogLevel Critical\n`, { mode: 0o600 });
  const child: ChildProcess = spawn(bin, ["-d", "-c", conf], { stdio: "ignore" });
  let failed = false;
  child.on("error", () => (failed = true)); // the demo runs without the proxied device
  const timers = new RealClock();
  const stop = () => stopChild(child, timers);
  for (let i = 0; !(await accepts(port)); i++) {
    if (failed || child.exitCode !== null || i >= 100) {
      await stop();
      return null;
    }
    await new Promise<void>((resolve) => timers.setTimer(20, resolve));
  }
  return { port, password, stop };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
