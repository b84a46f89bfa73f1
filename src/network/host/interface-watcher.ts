import os from "node:os";
import type { Clock, TimerId } from "../../clock/clock.js";
import { RealClock } from "../../clock/real-clock.js";
import { readLink } from "./interface-state.js";

/** Why a watched session's interface can no longer carry it. */
export type InterfaceLoss = { kind: "link"; detail: string } | { kind: "address"; detail: string };

interface Watch {
  ifName: string;
  /** The IPv4 address the session's socket is bound to, if any. */
  address: string | undefined;
  onLoss: (loss: InterfaceLoss) => void;
}

/**
 * Tells live sessions when their host interface loses its link or their
 * address (R27: a local loss is seen at once, not by keepalive). One timer and
 * one read of each interface per poll, however many sessions ride it: a fleet
 * of devices on one interface reads /sys once a poll, not once per device.
 */
export class InterfaceWatcher {
  private readonly watches = new Set<Watch>();
  private timer: TimerId | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly pollMs: number,
    /** Root of the sysfs net tree (default /sys/class/net). */
    private readonly sysRoot?: string,
  ) {}

  /** Watches one session until the loss is reported (once) or the returned function is called. */
  watch(ifName: string, address: string | undefined, onLoss: (loss: InterfaceLoss) => void): () => void {
    const w: Watch = { ifName, address, onLoss };
    this.watches.add(w);
    this.timer ??= this.clock.setTimer(this.pollMs, () => this.poll());
    return () => this.unwatch(w);
  }

  get size(): number {
    return this.watches.size;
  }

  private unwatch(w: Watch): void {
    this.watches.delete(w);
    if (this.watches.size === 0 && this.timer !== null) {
      this.clock.clearTimer(this.timer);
      this.timer = null;
    }
  }

  private poll(): void {
    this.timer = null;
    const links = new Map<string, ReturnType<typeof readLink>>();
    const addresses = os.networkInterfaces();
    const lost: [Watch, InterfaceLoss][] = [];
    for (const w of this.watches) {
      let link = links.get(w.ifName);
      if (link === undefined) links.set(w.ifName, (link = readLink(w.ifName, this.sysRoot)));
      if (!link.link) lost.push([w, { kind: "link", detail: link.linkDetail ?? `${w.ifName}: link lost` }]);
      else if (w.address !== undefined && !(addresses[w.ifName]?.some((a) => a.family === "IPv4" && a.address === w.address) ?? false))
        lost.push([w, { kind: "address", detail: `${w.ifName}: address ${w.address} gone` }]);
    }
    // Reported after the sweep: a handler may end other sessions, and with them their watches.
    try {
      for (const [w, loss] of lost) {
        if (!this.watches.has(w)) continue;
        this.unwatch(w);
        try {
          w.onLoss(loss);
        } catch {
          // One session's handler failing must not leave the others unwatched.
        }
      }
    } finally {
      if (this.watches.size > 0) this.timer ??= this.clock.setTimer(this.pollMs, () => this.poll());
    }
  }
}

const shared = new Map<string, InterfaceWatcher>();

/** The process's one watcher for this poll period (and sysfs root), on the real clock: what every HostLink shares by default. */
export function sharedInterfaceWatcher(pollMs: number, sysRoot?: string): InterfaceWatcher {
  const key = `${pollMs}\0${sysRoot ?? ""}`;
  let watcher = shared.get(key);
  if (watcher === undefined) shared.set(key, (watcher = new InterfaceWatcher(new RealClock(), pollMs, sysRoot)));
  return watcher;
}
