import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { MqttClient } from "mqtt";
import type { Clock, TimerId } from "../../clock/clock.js";
import type { DeviceModel } from "../../scenario/types.js";
import type { LayerRecord } from "../../timeline/events.js";
import type { LayerName } from "../layers.js";
import type { AttemptOutcome, AttemptSpec } from "../port.js";
import type { ProxyEndpoint } from "./endpoints.js";
import type { ModemState } from "./modem-state.js";
import type { HostLinkOptions } from "./host-link.js";
import type { InterfaceWatcher } from "./interface-watcher.js";

/** One layer's verdict, with the raw cause (R34); `reason` when the layer's code is not its table's (a proxy's 4xx). */
export type Step = { ok: true } | { ok: false; reason?: number; detail: string };

/** What an attempt's layers find and open, handed from each layer to the next. */
export interface AttemptContext {
  ifName: string;
  proxy: ProxyEndpoint | undefined;
  localAddress?: string;
  /** The address the first hop dials: the proxy's when there is one, the server's otherwise. */
  address?: string;
  tcp?: Socket;
  stream?: Duplex;
  client?: MqttClient;
  /** A proxy's non-2xx answer to CONNECT that is the server's fault (5xx). */
  proxyServerFailure?: string;
  /** What ModemManager said at the modem layer (cell0). */
  modem?: ModemState;
}

/** One attempt in progress on the host stack. */
export interface HostAttempt {
  spec: AttemptSpec;
  layers: LayerName[];
  steps: LayerRecord[];
  current: { layer: LayerName; start: number } | null;
  ctx: AttemptContext;
  abort: AbortController;
  deadline: TimerId;
  done: boolean;
  /** The raw cause a layer saw before it settled down to wait for the deadline. */
  pendingDetail?: string;
  /** While the attempt waits out the retry pause: the failure it is retrying, and when the pause began. */
  retrying?: { outcome: AttemptOutcome; since: number };
}

/** What every layer may read: the link's configuration, its device, its clock. */
export interface LayerEnv {
  device: DeviceModel;
  options: HostLinkOptions;
  clock: Clock;
  /** How often a layer that waits for the host's state looks again. */
  pollMs: number;
  /** The keepalive the CONNECT announces (R27). */
  keepaliveS: number;
  /** Where the link and address layers read the host's interfaces. */
  watcher: InterfaceWatcher;
}

/** Waits this long, or until the attempt ends. */
export function wait(clock: Clock, a: HostAttempt, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const cancel = () => {
      clock.clearTimer(timer);
      resolve();
    };
    const timer = clock.setTimer(ms, () => {
      a.abort.signal.removeEventListener("abort", cancel);
      resolve();
    });
    a.abort.signal.addEventListener("abort", cancel, { once: true });
  });
}

/** A layer that got no answer waits for the deadline; the deadline's timer then reports it (R10). */
export function untilDeadline(a: HostAttempt, detail: string): Promise<Step> {
  a.pendingDetail = detail;
  return new Promise((resolve) => a.abort.signal.addEventListener("abort", () => resolve({ ok: false, detail }), { once: true }));
}
