import { RunawayTimersError } from "../errors.js";
import type { Clock, TimerId } from "./clock.js";

interface Entry {
  at: number;
  seq: number;
  fn: (() => void) | null; // null once cleared or fired: lazy deletion keeps clearTimer O(1)
}

export interface VirtualClockOptions {
  /** Virtual time at the start, ms. */
  start?: number;
  /** How many timers may fire at one instant before the clock calls it a runaway loop. */
  maxTimersPerInstant?: number;
}

/**
 * A deterministic clock: timers fire in (deadline, creation order), one at a time,
 * from a loop (never recursively), and only when the owner runs it.
 */
export class VirtualClock implements Clock {
  private heap: Entry[] = [];
  private seq = 0;
  private time: number;
  private live = 0;
  private firedAtInstant = 0;
  private readonly maxPerInstant: number;
  /** Timers fired since construction. */
  fired = 0;

  constructor(options: VirtualClockOptions = {}) {
    this.time = options.start ?? 0;
    this.maxPerInstant = options.maxTimersPerInstant ?? 1_000_000;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): TimerId {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const entry: Entry = { at: this.time + delay, seq: this.seq++, fn };
    this.push(entry);
    this.live++;
    return entry as unknown as TimerId;
  }

  clearTimer(id: TimerId): void {
    const entry = id as unknown as Entry;
    if (entry.fn !== null) {
      entry.fn = null;
      this.live--;
    }
  }

  /** Timers scheduled and not yet fired or cleared. */
  pending(): number {
    return this.live;
  }

  /** Deadline of the next timer, or undefined when none is pending. */
  nextAt(): number | undefined {
    this.dropCleared();
    return this.heap[0]?.at;
  }

  /** Fires the next timer if it is due at or before `until`; returns whether one fired. */
  fireNext(until = Infinity): boolean {
    this.dropCleared();
    const top = this.heap[0];
    if (top === undefined || top.at > until) return false;
    this.pop();
    if (top.at > this.time) {
      this.time = top.at;
      this.firedAtInstant = 0;
    }
    if (++this.firedAtInstant > this.maxPerInstant) throw new RunawayTimersError(this.time, this.maxPerInstant);
    const fn = top.fn;
    top.fn = null;
    this.live--;
    this.fired++;
    fn?.();
    return true;
  }

  /** Runs every timer due up to `until`, then sets the time to `until`. */
  runUntil(until: number): void {
    while (this.fireNext(until));
    if (until > this.time && until !== Infinity) {
      this.time = until;
      this.firedAtInstant = 0;
    }
  }

  advance(ms: number): void {
    this.runUntil(this.time + ms);
  }

  private dropCleared(): void {
    while (this.heap.length > 0 && this.heap[0]!.fn === null) this.pop();
  }

  private push(e: Entry): void {
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (!before(e, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = e;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
