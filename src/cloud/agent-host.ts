import type { Duplex } from "node:stream";
import { connect, MqttClient } from "mqtt";
import type { IClientOptions } from "mqtt";
import type { Clock } from "../clock/clock.js";
import { DEFAULT_TURN_LIMIT_MS } from "../clock/turn-guard.js";
import type { TimelineSink } from "../timeline/events.js";
import { AgentRuntime } from "./agent-runtime.js";
import type { AgentEntry } from "./agent-runtime.js";
import { CloudStartError } from "./cloud-errors.js";
import { decodeLog, decodeMessage, encodeMessage } from "../wire/payload-codec.js";
import { allPartitions, fnv1a32, parseTopic, partitionFilter, serviceClientId, topicFor } from "../wire/topics.js";

/** The default session name: what the host serves, hashed (the same scope resumes the same session). */
function sessionNameFor(options: AgentHostOptions): string {
  const scope = JSON.stringify([[...(options.partitions ?? allPartitions())].sort(), [...(options.devices ?? [])].sort()]);
  return `host-${fnv1a32(scope).toString(16).padStart(8, "0")}`;
}

export interface AgentHostOptions {
  /** The broker: any MQTT broker by URL (`mqtt://…`, `mqtts://…`), or a stream to an in-process one. */
  broker: { url: string } | { stream: () => Duplex };
  /** The service user and its secret. */
  username: string;
  secret: string;
  /** The partitions this host owns (default: all 64). */
  partitions?: string[];
  /** Serve only these devices of its partitions (`impnet run --agent`: the one device). */
  devices?: string[];
  /** CA certificates (PEM) for an mqtts broker. */
  ca?: string | Buffer;
  clock: Clock;
  sink: TimelineSink;
  /** The agent program for a device, or undefined when it has none. */
  agentFor: (deviceId: string) => AgentEntry | undefined;
  formatStack?: (stack: string) => string;
  /** How long one agent turn may run before it is stopped as a runaway (default 10 s). */
  turnLimitMs?: number;
  /**
   * The host's MQTT session name (its client id is `<username>:<name>`). The
   * session is persistent: a host that restarts under the same name gets what
   * devices sent while it was away. Default: derived from what it serves, so
   * a host restarted with the same partitions and devices resumes its session,
   * and hosts that serve different ones never take each other's.
   */
  sessionName?: string;
}

/**
 * Runs agent programs for the devices of the partitions it owns, over MQTT: a
 * device's `msg` reaches its agent's `device.on`, the agent's `device.send` is
 * published to the device's `cmd` (QoS 1), its `status` drives
 * onconnect/ondisconnect, and its `log` lines are written to the sink.
 */
export class AgentHost {
  private readonly agents = new Map<string, AgentRuntime | null>();
  private readonly online = new Set<string>();
  private readonly owned: Set<string>;

  private constructor(
    private readonly client: MqttClient,
    private readonly options: AgentHostOptions,
  ) {
    this.owned = new Set(options.partitions ?? allPartitions());
  }

  static async start(options: AgentHostOptions): Promise<AgentHost> {
    const mqttOptions: IClientOptions = {
      username: options.username,
      password: options.secret,
      clientId: serviceClientId(options.username, options.sessionName ?? sessionNameFor(options)),
      // A persistent session: QoS 1 messages for it wait at the broker while the host restarts.
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    };
    if (options.ca !== undefined) mqttOptions.ca = options.ca;
    const broker = options.broker;
    const client = "url" in broker ? connect(broker.url, mqttOptions) : new MqttClient(broker.stream, mqttOptions);
    const host = new AgentHost(client, options);
    // Before the CONNACK: a resumed session's queued messages may arrive in the same read as it.
    client.on("message", (topic, payload) => host.received(topic, payload));
    try {
      await firstConnect(client);
    } catch (e) {
      const where = "url" in broker ? broker.url : "the embedded broker";
      throw new CloudStartError(`agent host: cannot connect to ${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
    client.on("error", () => {}); // mqtt.js reconnects on its own here: the cloud side may
    const filters = [...host.owned].map(partitionFilter);
    await client.subscribeAsync(filters, { qos: 1 });
    return host;
  }

  async stop(): Promise<void> {
    await this.client.endAsync();
  }

  private received(topic: string, payload: Buffer): void {
    const t = parseTopic(topic);
    if (t === null || !this.owned.has(t.partition)) return;
    if (this.options.devices !== undefined && !this.options.devices.includes(t.deviceId)) return;
    const { clock, sink } = this.options;
    // A device that sends is online, whatever order the broker delivers its retained "online" in.
    if ((t.channel === "log" || t.channel === "msg") && !this.online.has(t.deviceId)) this.setOnline(t.deviceId, true);
    switch (t.channel) {
      case "log": {
        const line = decodeLog(payload);
        if (line !== null) sink.write({ t: clock.now(), device: t.deviceId, type: "log", text: line.text, error: line.error });
        return;
      }
      case "msg": {
        const m = decodeMessage(payload);
        if ("refused" in m) {
          sink.write({ t: clock.now(), device: t.deviceId, type: "warning", text: `a message from the device that impnet cannot read (${m.refused}): dropped` });
          return;
        }
        const agent = this.agentOf(t.deviceId);
        if (agent === null) {
          sink.write({ t: clock.now(), device: t.deviceId, type: "warning", text: `message "${m.name}" for an agent, but the device has none: dropped` });
          return;
        }
        agent.deliver(m.name, m.data);
        return;
      }
      case "status":
        this.setOnline(t.deviceId, payload.toString("utf8") === "online");
        return;
      case "cmd":
        return; // our own messages to devices
      case "diag":
        return; // the cloud's, not an agent's (report-watch.ts)
    }
  }

  private setOnline(deviceId: string, online: boolean): void {
    if (online) this.online.add(deviceId);
    else this.online.delete(deviceId);
    this.agentOf(deviceId)?.setOnline(online);
  }

  /** A device's agent, started the first time the device shows up. */
  private agentOf(deviceId: string): AgentRuntime | null {
    let agent = this.agents.get(deviceId);
    if (agent !== undefined) return agent;
    const entry = this.options.agentFor(deviceId);
    agent = null;
    if (entry !== undefined) {
      const transport = {
        toDevice: (name: string, data: unknown) => {
          if (!this.online.has(deviceId)) return false;
          this.client.publish(topicFor(deviceId, "cmd"), encodeMessage(name, data), { qos: 1 });
          return true;
        },
      };
      agent = new AgentRuntime(deviceId, this.options.clock, this.options.sink, transport, {
        ...(this.options.formatStack === undefined ? {} : { formatStack: this.options.formatStack }),
        turnLimitMs: this.options.turnLimitMs ?? DEFAULT_TURN_LIMIT_MS,
      });
      agent.start(entry);
    }
    this.agents.set(deviceId, agent);
    return agent;
  }
}

/** The first connection: any error or close before the CONNACK fails the start (later ones mqtt.js retries itself). */
function firstConnect(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (e: Error) => {
      client.off("connect", ok);
      client.off("close", closed);
      client.end(true);
      reject(e);
    };
    const closed = () => fail(new Error("the connection closed before the broker accepted it"));
    const ok = () => {
      client.off("error", fail);
      client.off("close", closed);
      resolve();
    };
    client.once("connect", ok);
    client.once("error", fail);
    client.once("close", closed);
  });
}
