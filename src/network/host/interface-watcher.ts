import os from "node:os";
import type { Clock, TimerId } from "../../clock/clock.js";
import { RealClock } from "../../clock/real-clock.js";
import { readLink } from "./interface-state.js";
import type { InterfaceState } from "./interface-state.js";

/** Why a watched session's interface can no longer carry it. */
export type InterfaceLoss = { kind: "link"; detail: string } | { kind: "address"; detail: string };

interface Watch {
  ifName: string;
  /** The IPv4 address the session's socket is bound to, if any. */
  address: string | undefined;
  onLoss: (loss: InterfaceLoss) => void;
}

/**
 * Reads what the host says about its interfaces for the attempts' link and
 * address layers, and tells live sessions when their interface loses its link
 * or their address (R27: a local loss is seen at once, not by keepalive).
 *
 * An attempt reads the world when it starts, nothing kept from an earlier
 * attempt (R10); but the attempts that start in one turn of the clock (a
 * fleet's storm) share one read: each read is a few syscalls, tens of
 * microseconds, more than a refused connect costs, and no time passes for the
 * host between them. One timer and one read of each interface per poll,
 * however many sessions ride it.
 */
export class InterfaceWatcher {
  private readonly watches = new Set<Watch>();
  private timer: TimerId | null = null;
  /** This turn's reads, forgotten on the clock's next turn. */
  private readonly links = new Map<string, InterfaceState>();
  private addressTable: NodeJS.Dict<os.NetworkInterfaceInfo[]> | null = null;
  private forgetting: TimerId | null = null;

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

  /** The interface's link, as read in this turn. */
  link(ifName: string): InterfaceState {
    let state = this.links.get(ifName);
    if (state === undefined) {
      this.links.set(ifName, (state = readLink(ifName, this.sysRoot)));
      this.forgetNextTurn();
    }
    return state;
  }

  /** The interface's IPv4 address, if it has one, from the address table as read in this turn. */
  ipv4(ifName: string): string | undefined {
    return this.addresses()[ifName]?.find((a) => a.family === "IPv4")?.address;
  }

  private addresses(): NodeJS.Dict<os.NetworkInterfaceInfo[]> {
    if (this.addressTable === null) {
      this.addressTable = os.networkInterfaces();
      this.forgetNextTurn();
    }
    return this.addressTable;
  }

  private forgetNextTurn(): void {
    this.forgetting ??= this.clock.setTimer(0, () => {
      this.forgetting = null;
      this.links.clear();
      this.addressTable = null;
    });
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
    const addresses = this.addresses();
    const lost: [Watch, InterfaceLoss][] = [];
    for (const w of this.watches) {
      const link = this.link(w.ifName);
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
