import type { Clock } from "../../src/clock/clock.js";
import { RealClock } from "../../src/clock/real-clock.js";
import type { InterfaceType } from "../../src/constants.js";
import { HostLink } from "../../src/network/host/host-link.js";
import type { HostLinkOptions } from "../../src/network/host/host-link.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import type { AttemptOutcome, LinkListener } from "../../src/network/port.js";
import type { DeviceModel } from "../../src/scenario/types.js";
import { NEWEST_RELEASE } from "../../src/releases.js";
import type { Release } from "../../src/releases.js";
import { onCleanup } from "./real-parts.js";

export function deviceModel(id: string, extra: Partial<DeviceModel> = {}): DeviceModel {
  return {
    id,
    baseId: id,
    release: NEWEST_RELEASE,
    interfaces: ["ethernet"],
    cell: { modem: false, sim: "missing" },
    quirks: [],
    program: "(inline)",
    ...extra,
  };
}

/** A listener that keeps what the link reported. */
export class Recorder implements LinkListener {
  readonly ended: { id: number; outcome: AttemptOutcome }[] = [];
  readonly losses: { reason: number; detail: string }[] = [];
  readonly messages: { name: string; data: unknown }[] = [];
  readonly unreadables: string[] = [];
  private waiters: (() => void)[] = [];

  attemptEnded(id: number, outcome: AttemptOutcome): void {
    this.ended.push({ id, outcome });
    this.wake();
  }
  lost(reason: number, detail: string): void {
    this.losses.push({ reason, detail });
    this.wake();
  }
  message(name: string, data: unknown): void {
    this.messages.push({ name, data });
    this.wake();
  }
  unreadable(why: string): void {
    this.unreadables.push(why);
    this.wake();
  }

  /** Resolves once the predicate holds (checked after every report). */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}

export interface LinkSetup {
  id: string;
  secret: string;
  server: HostLinkOptions["server"];
  proxy?: DeviceModel["proxy"];
  release?: Release;
  iface?: InterfaceType;
  extra?: Partial<HostLinkOptions>;
}

export function makeLink(setup: LinkSetup): { link: HostLink; recorder: Recorder; clock: Clock; model: DeviceModel } {
  const clock = new ElapsedClock(new RealClock());
  const iface = setup.iface ?? "ethernet";
  const model = deviceModel(setup.id, { release: setup.release ?? NEWEST_RELEASE, interfaces: [iface] });
  if (setup.proxy !== undefined) model.proxy = setup.proxy;
  const link = new HostLink(model, clock, { server: setup.server, secret: setup.secret, interfaces: { [iface]: "lo" }, retryFloorMs: 0, ...setup.extra });
  const recorder = new Recorder();
  link.listener = recorder;
  // Disposed after the test file (before the parts it talks to stop), however the test ended.
  onCleanup(() => {
    link.dispose();
    clock.dispose();
  });
  return { link, recorder, clock, model };
}

let nextId = 1;

/** One attempt with the given timeout; resolves with its outcome. */
export async function attempt(parts: { link: HostLink; recorder: Recorder; clock: Clock }, timeoutMs = 5000, iface: InterfaceType = "ethernet"): Promise<AttemptOutcome> {
  const id = nextId++;
  const now = parts.clock.now();
  parts.link.startAttempt({ id, iface, startedAt: now, deadline: now + timeoutMs, wps: false });
  await parts.recorder.until(() => parts.recorder.ended.some((e) => e.id === id));
  return parts.recorder.ended.find((e) => e.id === id)!.outcome;
}
