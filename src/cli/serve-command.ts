import path from "node:path";
import { RealClock } from "../clock/real-clock.js";
import { EmbeddedCloud } from "../cloud/embedded-cloud.js";
import { isLoopbackHost } from "../network/host/default-interface.js";
import { ElapsedClock } from "../network/host/elapsed-clock.js";
import { formatWallTime } from "../timeline/human.js";
import { DashboardServer } from "../cloud/dashboard/dashboard-server.js";
import { DeviceBoard } from "../cloud/dashboard/device-board.js";
import { StreamSink, TeeSink } from "../timeline/sinks.js";
import { CliInputError } from "./cli-errors.js";
import { loadAgentProgram } from "../scenario/load-program.js";
import type { RealIo } from "./real-io.js";
import { untilStopped } from "./real-io.js";

export interface ServeOptions {
  port: number;
  host: string;
  json?: boolean;
  data: string;
  agent?: string;
  libs?: string[];
  tlsCert?: string;
  tlsKey?: string;
  /** false with --no-dashboard. */
  dashboard?: boolean;
  dashboardPort?: number;
  dashboardHost?: string;
}

/** `impnet serve`: the embedded cloud (broker, registry, agent host) until SIGINT/SIGTERM. */
export async function serveCommand(options: ServeOptions, io: RealIo): Promise<number> {
  const agent = options.agent === undefined ? undefined : await loadAgentProgram(path.resolve(options.agent), { libs: (options.libs ?? []).map((d) => path.resolve(d)) });
  const wall = new RealClock();
  const clock = new ElapsedClock(wall);
  // A server runs for days: its lines carry the wall clock, as its log is read against other logs.
  const stream = new StreamSink(io.stdout, options.json === true ? "json" : "human", { color: false, deviceWidth: 12, time: (t) => formatWallTime(clock.origin + t) });
  const board = options.dashboard === false ? undefined : new DeviceBoard();
  const sink = board === undefined ? stream : new TeeSink(stream, board);
  const cloudOptions: Parameters<typeof EmbeddedCloud.start>[0] = {
    dataDir: path.resolve(options.data),
    host: options.host,
    port: options.port,
    clock,
    wall,
    sink,
    agentFor: () => agent,
    logins: true,
  };
  if (board !== undefined) cloudOptions.reports = (id, lines, dropped) => board.report(id, lines, dropped);
  if (options.tlsCert !== undefined || options.tlsKey !== undefined) {
    if (options.tlsCert === undefined || options.tlsKey === undefined) throw new CliInputError("--tls-cert and --tls-key go together");
    cloudOptions.tls = { certFile: path.resolve(options.tlsCert), keyFile: path.resolve(options.tlsKey) };
  }
  const dashboardHost = options.dashboardHost ?? "127.0.0.1";
  const dashboardPort = options.dashboardPort ?? 0;
  if (options.dashboard !== false && !isLoopbackHost(dashboardHost))
    io.stderr.write(`impnet serve: warning: the dashboard listens on ${dashboardHost}: anyone who reaches it sees every device's state, address, logs and reported attempts (its network's names and addresses; it has no login)\n`);
  if (cloudOptions.tls === undefined && !isLoopbackHost(options.host))
    io.stderr.write(`impnet serve: warning: listening on ${options.host} without TLS: device secrets cross the network in clear (use --tls-cert and --tls-key)\n`);
  const cloud = await EmbeddedCloud.start(cloudOptions);
  let dashboard: DashboardServer | undefined;
  if (board !== undefined) {
    board.know(cloud.registry.list().flatMap((e) => (e.kind === "device" ? [e.id] : [])));
    try {
      dashboard = await DashboardServer.start({ board, clock, origin: clock.origin, host: dashboardHost, port: dashboardPort });
    } catch (e) {
      await cloud.stop();
      clock.dispose();
      throw new CliInputError(`--dashboard-host/--dashboard-port: the dashboard cannot listen on ${dashboardHost}:${dashboardPort} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify({ mqtt: cloud.url, registry: cloud.registryPath, log: cloud.logFile, ...(dashboard === undefined ? {} : { dashboard: dashboard.url }) })}\n`);
  } else {
    io.stdout.write(`impnet cloud listening on ${cloud.url}\n${dashboard === undefined ? "" : `  dashboard:       ${dashboard.url}\n`}  device registry: ${cloud.registryPath}\n  server log:      ${cloud.logFile}\n  add a device:    impnet device add ID --data ${cloudOptions.dataDir}\n`);
  }
  await untilStopped(io);
  try {
    await dashboard?.stop();
    await cloud.stop(); // closes every connection too: nothing to wait for
  } finally {
    clock.dispose(); // agent programs' timers would keep the process alive
  }
  const at = wall.now();
  io.stdout.write(options.json === true ? `${JSON.stringify({ stopped: new Date(at).toISOString() })}\n` : `${formatWallTime(at)}  impnet cloud stopped\n`);
  return 0;
}
