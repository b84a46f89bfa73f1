import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RealClock, wallMs } from "../clock/real-clock.js";
import type { TimerId } from "../clock/clock.js";
import { DeviceRegistry } from "../cloud/device-registry.js";
import { REGISTRY_FILE } from "../cloud/embedded-cloud.js";
import { ImpnetError } from "../errors.js";
import type { ServerEndpoint } from "../network/host/endpoints.js";
import { defaultInterface } from "../network/host/default-interface.js";
import { ElapsedClock } from "../network/host/elapsed-clock.js";
import { PROGRESS_MS } from "../scenario/simulation.js";
import { startRealDevice } from "../programs/real-device.js";
import type { Scenario } from "../scenario/types.js";
import { ExternalBroker, FleetBrokerError, ServeProcess } from "./brokers.js";
import type { FleetBroker } from "./brokers.js";
import { FleetSink } from "./fleet-sink.js";
import { fleetWindow } from "./run-fleet.js";
import type { Strategy, StrategyRun } from "./run-fleet.js";

/** A scenario event the real mode cannot make happen. */
export class RealFleetEventError extends ImpnetError {
  constructor(detail: string) {
    super("IMPNET_REAL_FLEET_EVENT", `--real: ${detail}`);
  }
}

/**
 * The scenario's events as broker stops (up: false) and starts (up: true);
 * anything else is refused before anything runs, and so is any event when the
 * broker is not impnet's to restart (`--broker` without `--broker-command`).
 */
export function brokerEvents(scenario: Scenario, restartable = true): { atMs: number; up: boolean }[] {
  return scenario.events.map(({ atMs, set }) => {
    const entries = Object.entries(set);
    const [key, value] = entries[0] ?? [];
    if (entries.length !== 1 || key !== "world.server.up" || typeof value !== "boolean")
      throw new RealFleetEventError(`the event at ${atMs} ms sets ${Object.keys(set).join(", ")}; on real sockets impnet plays world.server.up only (the broker stopped and started again)`);
    if (!restartable) throw new RealFleetEventError(`the event at ${atMs} ms stops or starts the server, and the --broker is not impnet's to restart: give --broker-command, the command that runs it`);
    return { atMs, up: value };
  });
}

/** The n-th device's source address: 255 a /24 across 127.0.0.0/8, never a network or broadcast-looking .0. */
export function sourceAddress(n: number): string {
  return `127.${1 + Math.floor(n / (255 * 256))}.${Math.floor(n / 255) % 256}.${(n % 255) + 1}`;
}

/** An external broker for a real fleet: where it is, the command that runs it (if impnet is to restart it), the devices' secrets (none: no credentials). */
export interface RealBrokerOptions {
  server: ServerEndpoint;
  command?: string;
  secrets?: readonly string[];
}

export interface RealFleetOptions {
  turnLimitMs?: number;
  onProgress?: (elapsedMs: number, lines: number) => void;
  /** An external broker instead of `impnet serve`. */
  broker?: RealBrokerOptions;
}

/**
 * The scenario's fleet on the host stack: every device a real runtime with its
 * own sockets in this process (on loopback bound across 127.0.0.0/8), against
 * `impnet serve` in a process of its own or an external broker; the
 * scenario's server events stop and start the broker again. Real time: the run
 * lasts the scenario's duration.
 */
export async function runRealStrategy(scenario: Scenario, strategy: Strategy, options: RealFleetOptions = {}): Promise<StrategyRun> {
  const external = options.broker;
  const events = brokerEvents(scenario, external === undefined || external.command !== undefined);
  const { sinceMs, fromMs } = fleetWindow(scenario);
  const dataDir = external === undefined ? mkdtempSync(path.join(tmpdir(), "impnet-fleet-")) : undefined;
  const broker: FleetBroker = dataDir === undefined ? new ExternalBroker(external!.server, external!.command) : new ServeProcess(dataDir);
  const wall = new RealClock();
  const clock = new ElapsedClock(wall);
  const timers: TimerId[] = [];
  let progressTimer: TimerId | undefined;
  const devices: Awaited<ReturnType<typeof startRealDevice>>[] = [];
  let failure: Error | undefined;
  try {
    const ids = scenario.devices.map((d) => d.id);
    const secrets = dataDir === undefined ? external!.secrets : DeviceRegistry.open(path.join(dataDir, REGISTRY_FILE), { create: true }).addDevices(ids);
    await broker.start();
    const server = broker.server;
    const iface = defaultInterface(server.host);
    const spread = iface === "lo" && !server.host.includes(":"); // 127.0.0.0/8 is IPv4's
    const sink = new FleetSink(ids, scenario.durationMs, fromMs);
    const started = wallMs();
    for (const [i, model] of scenario.devices.entries()) {
      const target = {
        serverUrl: `${server.tls ? "mqtts" : "mqtt"}://${server.host}:${server.port}`,
        model: { ...model, interfaces: ["ethernet" as const] },
        linkOptions: { server, secret: secrets?.[i] ?? "", interfaces: { ethernet: iface }, ...(spread ? { sourceAddress: sourceAddress(i) } : {}) },
        ...(options.turnLimitMs === undefined ? {} : { turnLimitMs: options.turnLimitMs }),
      };
      devices.push(await startRealDevice(target, strategy.program, undefined, clock, sink));
    }
    // One change at a time, in order; a failure is kept and ends the run at its end, never an unhandled rejection.
    let changes = Promise.resolve();
    for (const e of events)
      timers.push(
        wall.setTimer(e.atMs - clock.now(), () => {
          changes = changes.then(async () => void (e.up ? await broker.start() : await broker.stop())).then(
            () => {},
            (err: unknown) => void (failure ??= err instanceof Error ? err : new Error("stopping or starting the broker failed", { cause: err })),
          );
        }),
      );
    const progress = (): void => {
      options.onProgress?.(clock.now(), sink.lines);
      progressTimer = wall.setTimer(PROGRESS_MS, progress);
    };
    if (options.onProgress !== undefined) progress();
    await new Promise<void>((resolve) => timers.push(wall.setTimer(scenario.durationMs - clock.now(), resolve)));
    await changes;
    if (failure !== undefined) throw failure;
    if (broker.crashed !== undefined) throw new FleetBrokerError(broker.crashed);
    const figures = sink.figures(); // before the run's own end disconnects everyone
    return { strategy, figures, sinceMs, fromMs, wallMs: wallMs() - started, events: sink.lines };
  } finally {
    if (progressTimer !== undefined) wall.clearTimer(progressTimer);
    for (const t of timers) wall.clearTimer(t);
    for (const d of devices) await d.stop();
    clock.dispose();
    await broker.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}
