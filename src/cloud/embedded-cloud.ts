import { readFileSync } from "node:fs";
import net from "node:net";
import type { AddressInfo, Server } from "node:net";
import path from "node:path";
import tls from "node:tls";
import { Aedes } from "aedes";
import type { Clock, TimerId } from "../clock/clock.js";
import type { TimelineSink } from "../timeline/events.js";
import { AgentHost } from "./agent-host.js";
import type { AgentHostOptions } from "./agent-host.js";
import type { AgentEntry } from "./agent-runtime.js";
import { brokerAuth, MAX_PAYLOAD_BYTES } from "./broker-auth.js";
import { CloudStartError } from "./cloud-errors.js";
import { DeviceRegistry } from "./device-registry.js";
import { duplexPair } from "./duplex-pair.js";
import { isServiceClientId } from "../wire/topics.js";
import { LogStoreSink } from "./log-store-sink.js";
import { LoginLines } from "./login-lines.js";
import { watchReports } from "./report-watch.js";
import type { ReportListener } from "./report-watch.js";
import { ServiceSessions, SESSIONS_FILE } from "./service-sessions.js";
import { DEFAULT_QUEUE_LIMITS, SessionPersistence } from "./session-persistence.js";
import type { LogLimits } from "./log-store-sink.js";
import { limitPackets } from "./packet-limit.js";
import type { PacketLimits } from "./packet-limit.js";

export interface EmbeddedCloudOptions {
  /** Holds registry.json and server-log.jsonl. */
  dataDir: string;
  /** Loopback by default: the embedded cloud is for one machine. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Serve MQTT over TLS (mqtts://) with this certificate and key (PEM files). */
  tls?: { certFile: string; keyFile: string };
  /** Elapsed time for the timeline. */
  clock: Clock;
  /** Wall time for the stored log. */
  wall: Clock;
  sink: TimelineSink;
  agentFor?: (deviceId: string) => AgentEntry | undefined;
  formatStack?: (stack: string) => string;
  /**
   * A connection that sends nothing for this long is closed, so that its last
   * will fires (default 150 s). Devices run MQTT keepalive 0 and probe after
   * 60 s of silence themselves (R27); agent messages reach them at QoS 1, so a
   * live device always answers within 60 s + 45 s.
   */
  idleTimeoutMs?: number;
  /** Each device's log rate and the stored log's rotation (default DEFAULT_LOG_LIMITS). */
  logLimits?: LogLimits;
  /** How long a connection may take to send CONNECT (and, with TLS, to finish its handshake); default 10 s. */
  preSessionTimeoutMs?: number;
  /** Logins as lines on the sink: online, offline, refused (impnet serve; a demo has its devices' own lines). */
  logins?: boolean;
  /** Told of each device's report of its own attempts (the dashboard draws them). */
  reports?: ReportListener;
}

const PRE_SESSION_TIMEOUT_MS = 10_000;

/**
 * What one connection may make the broker hold: a CONNECT of ours is well
 * under 1 KB (ids of 64 characters, a 43-character secret, a short will), and
 * a later packet is a payload of at most MAX_PAYLOAD_BYTES with its topic.
 */
export const PACKET_LIMITS: PacketLimits = { first: 16 * 1024, later: MAX_PAYLOAD_BYTES + 1024 };

export const REGISTRY_FILE = "registry.json";
/** The embedded agent host's service user, for this process only. */
export const EMBEDDED_AGENT_HOST = "@agent-host";
export const SERVER_LOG_FILE = "server-log.jsonl";

/**
 * The default cloud: an aedes broker in-process with device authentication
 * and ACLs, and an agent host connected to it as a service user.
 */
export class EmbeddedCloud {
  private constructor(
    readonly url: string,
    readonly registry: DeviceRegistry,
    readonly logFile: string,
    private readonly broker: Aedes,
    private readonly server: Server,
    private readonly agents: AgentHost,
    private readonly sessions: ServiceSessions,
    private readonly logs: LogStoreSink,
    private readonly idle: IdleSweep,
    private readonly sockets: Set<net.Socket>,
    private readonly clock: Clock,
  ) {}

  get registryPath(): string {
    return this.registry.file;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Starts everything or nothing: a failure part-way closes what had started. */
  static async start(options: EmbeddedCloudOptions): Promise<EmbeddedCloud> {
    const secure = options.tls === undefined ? undefined : readTls(options.tls);
    const registry = DeviceRegistry.open(path.join(options.dataDir, REGISTRY_FILE));
    // A connection that never sends CONNECT (or never finishes its TLS
    // handshake) is dropped after this long, not aedes' 30 s / TLS' 120 s.
    const preSession = options.preSessionTimeoutMs ?? PRE_SESSION_TIMEOUT_MS;
    const warn = (text: string) => options.sink.write({ t: options.clock.now(), device: "world", type: "warning", text });
    const persistence = new SessionPersistence(DEFAULT_QUEUE_LIMITS, (id) =>
      warn(`the session ${id} has ${DEFAULT_QUEUE_LIMITS.messages} messages or ${DEFAULT_QUEUE_LIMITS.bytes / 1024 / 1024} MiB waiting: further ones are not kept for it until it catches up`),
    );
    const logins = options.logins === true ? new LoginLines(options.sink, options.clock, EMBEDDED_AGENT_HOST) : undefined;
    const broker = new Aedes({ ...brokerAuth(registry, logins === undefined ? undefined : (client, username, why) => logins.refused(client, username, why)), connectTimeout: preSession, persistence });
    logins?.watch(broker);
    if (options.reports !== undefined) watchReports(broker, options.clock, options.sink, options.reports);
    await broker.listen();
    let sessions: ServiceSessions;
    try {
      sessions = await ServiceSessions.restore(path.join(options.dataDir, SESSIONS_FILE), broker, persistence, options, warn);
    } catch (e) {
      await closeBroker(broker);
      throw e;
    }
    const idle = new IdleSweep(options.clock, options.idleTimeoutMs ?? 150_000);
    const handle = (socket: net.Socket) => {
      idle.watch(socket);
      limitPackets(socket, PACKET_LIMITS);
      broker.handle(socket);
    };
    const server = secure === undefined ? net.createServer(handle) : tls.createServer({ ...secure, handshakeTimeout: preSession }, handle);
    // Node reports a handshake that fails or times out here and leaves the socket open: close it, or idle sockets pile up.
    server.on("tlsClientError", (_e: Error, socket: tls.TLSSocket) => socket.destroy());
    // Every raw TCP socket (for TLS too, before its handshake), so that stop()
    // never waits for a connection that is idle or never said CONNECT.
    const sockets = new Set<net.Socket>();
    server.on("connection", (socket: net.Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    const host = options.host ?? "127.0.0.1";
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 1883, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (e) {
      idle.stop();
      sessions.close();
      await closeBroker(broker);
      throw new CloudStartError(`cannot listen on ${host}:${options.port ?? 1883} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const port = (server.address() as AddressInfo).port;
    const authority = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    const url = `${secure === undefined ? "mqtt" : "mqtts"}://${authority}`;
    const logFile = path.join(options.dataDir, SERVER_LOG_FILE);
    const logs = new LogStoreSink(logFile, options.sink, options.wall, options.logLimits);
    let agents: AgentHost;
    try {
      // Outside DEVICE_ID_PATTERN: no device or service anyone registers can take this name (`device add agent-host` once
      // made serve refuse to start).
      const service = EMBEDDED_AGENT_HOST;
      const hostOptions: AgentHostOptions = {
        broker: {
          stream: () => {
            const [ours, theirs] = duplexPair();
            broker.handle(theirs);
            return ours;
          },
        },
        username: service,
        secret: registry.addEphemeralService(service),
        clock: options.clock,
        sink: logs,
        agentFor: options.agentFor ?? (() => undefined),
      };
      if (options.formatStack !== undefined) hostOptions.formatStack = options.formatStack;
      agents = await AgentHost.start(hostOptions);
    } catch (e) {
      idle.stop();
      sessions.close();
      await closeBroker(broker);
      await closeServer(server, sockets);
      await logs.close();
      throw e;
    }
    return new EmbeddedCloud(url, registry, logFile, broker, server, agents, sessions, logs, idle, sockets, options.clock);
  }

  /**
   * Devices first, so nothing new arrives; then what the broker already
   * acknowledged to them is let through to the agent hosts, in-process or
   * connected (aedes forwards a message before its PUBACK, but the forward
   * may still sit in a socket buffer); then the hosts and the broker.
   */
  async stop(): Promise<void> {
    this.idle.stop();
    const listening = new Promise<void>((resolve) => this.server.close(() => resolve())); // no new connections
    const clients = brokerClients(this.broker);
    for (const c of clients) if (!isServiceClientId(c.id)) c.conn?.destroy();
    await drainClients(this.broker, clients, this.clock);
    await this.agents.stop();
    await this.sessions.stop(); // what is still queued for agent hosts, for the next start
    await closeBroker(this.broker);
    for (const socket of this.sockets) socket.destroy(); // what is left: service users, connections that never logged in
    this.sockets.clear();
    await listening;
    await this.logs.close();
  }
}

/** One timer for all connections: each remembers when it last sent something. */
class IdleSweep {
  private readonly last = new Map<net.Socket, number>();
  private timer: TimerId | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
  ) {}

  watch(socket: net.Socket): void {
    this.last.set(socket, this.clock.now());
    socket.on("data", () => this.last.set(socket, this.clock.now()));
    socket.once("close", () => this.last.delete(socket));
    this.timer ??= this.clock.setTimer(this.idleMs / 4, () => this.sweep());
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private sweep(): void {
    this.timer = null;
    const now = this.clock.now();
    for (const [socket, at] of this.last) if (now - at > this.idleMs) socket.destroy();
    if (this.last.size > 0) this.timer = this.clock.setTimer(this.idleMs / 4, () => this.sweep());
  }
}

function readTls(files: { certFile: string; keyFile: string }): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new CloudStartError(`${what} ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "cannot read it"}`);
    }
  };
  return { cert: read(files.certFile, "certificate"), key: read(files.keyFile, "key") };
}

/** Stops listening and destroys every connection still open: nothing to wait for. */
function closeServer(server: Server, sockets: Set<net.Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  return closed;
}

/** aedes' connected clients; its typings do not list them. */
type BrokerClient = { id: string; conn?: { destroy(): void } };
function brokerClients(broker: Aedes): BrokerClient[] {
  return Object.values((broker as unknown as { clients: Record<string, BrokerClient> }).clients);
}

/**
 * Waits (at most two seconds) until every service user has acknowledged what
 * the broker forwarded to it: aedes keeps a client's unacknowledged QoS 1
 * deliveries in its persistence, and writes them only after the PUBACK it
 * sent the device, so an empty socket buffer alone proves nothing.
 */
async function drainClients(broker: Aedes, clients: BrokerClient[], clock: Clock): Promise<void> {
  const outgoing = (broker as unknown as { persistence: { outgoingStream(client: { id: string }): AsyncIterable<unknown> } }).persistence;
  const unacknowledged = async () => {
    for (const c of clients) {
      if (!isServiceClientId(c.id)) continue;
      for await (const _packet of outgoing.outgoingStream({ id: c.id })) return true;
    }
    return false;
  };
  for (let waited = 0; (await unacknowledged()) && waited < 2000; waited += 10) await new Promise<void>((resolve) => clock.setTimer(10, resolve));
}

function closeBroker(broker: Aedes): Promise<void> {
  return new Promise((resolve) => broker.close(() => resolve()));
}
