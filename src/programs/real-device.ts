import type { AgentEntry } from "../cloud/agent-runtime.js";
import { AgentHost } from "../cloud/agent-host.js";
import { DEFAULT_TURN_LIMIT_MS } from "../clock/turn-guard.js";
import { partitionOf } from "../wire/topics.js";
import { Device, RUN_ENDED } from "../device/device.js";
import type { ProgramEntry } from "../device/device.js";
import type { ElapsedClock } from "../network/host/elapsed-clock.js";
import { HostLink } from "../network/host/host-link.js";
import type { HostLinkOptions } from "../network/host/host-link.js";
import type { DeviceModel } from "../scenario/types.js";
import type { TimelineSink } from "../timeline/events.js";

/** A device on the host stack: the server it connects to, its model, how its link reaches the server. */
export interface RealTarget {
  serverUrl: string;
  model: DeviceModel;
  linkOptions: HostLinkOptions;
  /** How long one program turn (device or agent) may run before it is stopped as a runaway (default 10 s). */
  turnLimitMs?: number;
}

/**
 * Boots a device program on the host stack, and its agent on an agent host
 * over the same broker as the given service user (what `impnet run` and
 * `impnet test --server` share). `stop()` disconnects and closes both.
 */
export async function startRealDevice(
  target: RealTarget,
  program: ProgramEntry,
  agent: { entry: AgentEntry; credentials: { user: string; secret: string } } | undefined,
  clock: ElapsedClock,
  sink: TimelineSink,
): Promise<{ device: Device; stop(): Promise<void> }> {
  const { model, linkOptions, turnLimitMs = DEFAULT_TURN_LIMIT_MS } = target;
  let agents: AgentHost | undefined;
  if (agent !== undefined) {
    const hostOptions: Parameters<typeof AgentHost.start>[0] = {
      broker: { url: target.serverUrl },
      username: agent.credentials.user,
      secret: agent.credentials.secret,
      clock,
      sink,
      agentFor: (id) => (id === model.id ? agent.entry : undefined),
      partitions: [partitionOf(model.id)],
      devices: [model.id],
      turnLimitMs,
    };
    if (linkOptions.ca !== undefined) hostOptions.ca = linkOptions.ca;
    agents = await AgentHost.start(hostOptions);
  }
  // The agent host prints the device's logs as the cloud gets them; without one, the device says what the broker took.
  const echo = agent === undefined ? { onLogDelivered: (text: string, error: boolean) => sink.write({ t: clock.now(), device: model.id, type: "log", text, error }) } : {};
  const link = new HostLink(model, clock, { ...linkOptions, ...echo });
  const device = new Device(model, { clock, sink, link, program, turnLimitMs });
  link.listener = device;
  device.boot();
  return {
    device,
    async stop() {
      device.disconnect(RUN_ENDED);
      link.dispose();
      await agents?.stop();
    },
  };
}
