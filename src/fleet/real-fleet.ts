import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RealClock, wallMs } from "../clock/real-clock.js";
import type { TimerId } from "../clock/clock.js";
import { DeviceRegistry } from "../cloud/device-registry.js";
import { REGISTRY_FILE } from "../cloud/embedded-cloud.js";
import { ImpnetError } from "../errors.js";
import { stopChild } from "../cli/child-process.js";
import { ElapsedClock } from "../network/host/elapsed-clock.js";
import { PROGRESS_MS } from "../scenario/simulation.js";
import { startRealDevice } from "../programs/real-device.js";
import type { Scenario } from "../scenario/types.js";
import { FleetSink } from "./fleet-sink.js";
import { fleetWindow } from "./run-fleet.js";
import type { Strategy, StrategyRun } from "./run-fleet.js";

/** A scenario event the real mode cannot make happen. */
export class RealFleetEventError extends ImpnetError {
  constructor(detail: string) {
    super("IMPNET_REAL_FLEET_EVENT", `--real: ${detail}; on real sockets impnet plays world.server.up only (the broker stopped and started again)`);
  }
}

/** The scenario's events as broker stops (up: false) and starts (up: true); anything else is refused before anything runs. */
export function brokerEvents(scenario: Scenario): { atMs: number; up: boolean }[] {
  return scenario.events.map(({ atMs, set }) => {
    const entries = Object.entries(set);
    const [key, value] = entries[0] ?? [];
    if (entries.length !== 1 || key !== "world.server.up" || typeof value !== "boolean") throw new RealFleetEventError(`the event at ${atMs} ms sets ${Object.keys(set).join(", ")}`);
    return { atMs, up: value };
  });
}

/** The n-th device's source address: 255 a /24 across 127.0.0.0/8, never a network or broadcast-looking .0. */
export function sourceAddress(n: number): string {
  return `127.${1 + Math.floor(n / (255 * 256))}.${Math.floor(n / 255) % 256}.${(n % 255) + 1}`;
}

const BIN = fileURLToPath(new URL("../../bin/impnet.js", import.meta.url));

/** `impnet serve` as its own process, as it is deployed: stopped and started again for the scenario's server events. */
export class ServeProcess {
  private child: ChildProcess | null = null;
  private readonly wall = new RealClock();
  /** 0 until the first start; later starts reuse it. */
  port = 0;
  /** Why serve went away on its own, if it did. */
  crashed: string | undefined;

  constructor(private readonly dataDir: string) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts serve unless it runs; resolves with its URL once it listens. */
  async start(): Promise<string> {
    if (this.child !== null) return `mqtt://127.0.0.1:${this.port}`;
    const child = spawn(process.execPath, [BIN, "serve", "--port", String(this.port), "--json", "--data", this.dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-2000))); // the last words are the ones that say why
    child.once("exit", (code, signal) => {
      if (this.child === child) {
        this.child = null;
        this.crashed = `impnet serve exited (${code ?? signal ?? "?"}) while the fleet ran: ${err.trim()}`;
      }
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const onData = (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf("\n");
        if (nl < 0) return;
        child.stdout.off("data", onData);
        child.stdout.resume(); // its login lines: not this command's output
        resolve((JSON.parse(out.slice(0, nl)) as { mqtt: string }).mqtt);
      };
      child.stdout.on("data", onData);
      child.once("exit", (code) => reject(new ImpnetError("IMPNET_REAL_FLEET_BROKER", `impnet serve exited (${code ?? "by a signal"}) before it listened: ${err.trim()}`)));
    });
    this.port = Number(new URL(url).port);
    return url;
  }

  /** Stops serve if it runs: SIGTERM, SIGKILL after a grace. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child !== null) await stopChild(child, this.wall);
  }
}

/**
 * The scenario's fleet on the host stack: every device a real runtime with its
 * own sockets (bound across 127.0.0.0/8) in this process, against `impnet
 * serve` in a process of its own, which the scenario's server events stop and
 * start again. Real time: the run lasts the scenario's duration.
 */
export async function runRealStrategy(scenario: Scenario, strategy: Strategy, options: { turnLimitMs?: number; onProgress?: (elapsedMs: number, lines: number) => void } = {}): Promise<StrategyRun> {
  const events = brokerEvents(scenario);
  const { sinceMs, fromMs } = fleetWindow(scenario);
  const dataDir = mkdtempSync(path.join(tmpdir(), "impnet-fleet-"));
  const serve = new ServeProcess(dataDir);
  const wall = new RealClock();
  const clock = new ElapsedClock(wall);
  const timers: TimerId[] = [];
  let progressTimer: TimerId | undefined;
  const devices: Awaited<ReturnType<typeof startRealDevice>>[] = [];
  let failure: Error | undefined;
  try {
    const secrets = DeviceRegistry.open(path.join(dataDir, REGISTRY_FILE), { create: true }).addDevices(scenario.devices.map((d) => d.id));
    await serve.start();
    const sink = new FleetSink(
      scenario.devices.map((d) => d.id),
      scenario.durationMs,
      fromMs,
    );
    const started = wallMs();
    for (const [i, model] of scenario.devices.entries()) {
      const target = {
        serverUrl: `mqtt://127.0.0.1:${serve.port}`,
        model: { ...model, interfaces: ["ethernet" as const] },
        linkOptions: { server: { host: "127.0.0.1", port: serve.port, tls: false }, secret: secrets[i]!, interfaces: { ethernet: "lo" }, sourceAddress: sourceAddress(i) },
        ...(options.turnLimitMs === undefined ? {} : { turnLimitMs: options.turnLimitMs }),
      };
      devices.push(await startRealDevice(target, strategy.program, undefined, clock, sink));
    }
    // One change at a time, in order; a failure is kept and ends the run at its end, never an unhandled rejection.
    let changes = Promise.resolve();
    for (const e of events)
      timers.push(
        wall.setTimer(e.atMs - clock.now(), () => {
          changes = changes.then(async () => void (e.up ? await serve.start() : await serve.stop())).then(
            () => {},
            (err: unknown) => void (failure ??= err instanceof Error ? err : new Error("stopping or starting impnet serve failed", { cause: err })),
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
    if (serve.crashed !== undefined) throw new ImpnetError("IMPNET_REAL_FLEET_BROKER", serve.crashed);
    const figures = sink.figures(); // before the run's own end disconnects everyone
    return { strategy, figures, sinceMs, fromMs, wallMs: wallMs() - started, events: sink.lines };
  } finally {
    if (progressTimer !== undefined) wall.clearTimer(progressTimer);
    for (const t of timers) wall.clearTimer(t);
    for (const d of devices) await d.stop();
    clock.dispose();
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
