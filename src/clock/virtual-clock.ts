import { RunawayTimersError } from "../errors.js";
import type { Clock, TimerId } from "./clock.js";
import { Timer } from "./timer.js";

/** A timer given as a function. */
class FnTimer extends Timer {
  constructor(
    public fn: (() => void) | null, // null once cleared or fired: what it would have run can go
  ) {
    super();
  }

  fire(): void {
    const fn = this.fn!;
    this.fn = null;
    fn();
  }
}

/**
 * Every timer due at one instant, in creation order: a list linked through the
 * timers themselves. (An array per deadline, as large as the fleet and grown by
 * copying, left megabytes of garbage in the old generation at every instant.)
 * Cleared timers stay until passed: lazy deletion keeps clearTimer O(1).
 */
interface Bucket {
  at: number;
  /** The next timer to look at; null once every timer has been passed. */
  head: Timer | null;
  /** The last timer added. */
  tail: Timer | null;
}

export interface VirtualClockOptions {
  /** Virtual time at the start, ms. */
  start?: number;
  /** How many timers may fire at one instant before the clock calls it a runaway loop. */
  maxTimersPerInstant?: number;
}

/**
 * A deterministic clock: timers fire in (deadline, creation order), one at a
 * time, from a loop (never recursively), and only when the owner runs it.
 *
 * Timers are grouped by deadline: a binary heap orders the distinct deadlines,
 * and each deadline keeps its timers in creation order. Simulated fleets run in
 * lockstep, so many timers share a deadline and most pushes and pops are O(1).
 */
export class VirtualClock implements Clock {
  private heap: Bucket[] = [];
  private readonly buckets = new Map<number, Bucket>();
  private time: number;
  private live = 0;
  private firedAtInstant = 0;
  private readonly maxPerInstant: number;
  /** Timers fired since construction. */
  fired = 0;

  constructor(options: VirtualClockOptions = {}) {
    this.time = options.start ?? 0;
    // A last resort: each device guards its own turns (EventLoop); a lockstep fleet of
    // a million devices legitimately fires millions of timers at one instant.
    this.maxPerInstant = options.maxTimersPerInstant ?? 50_000_000;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): TimerId {
    return this.schedule(delayMs, new FnTimer(fn));
  }

  schedule(delayMs: number, entry: Timer): TimerId {
    if (!entry.reusable) throw new Error("a timer is scheduled again only after it fired");
    entry.clockState = 1;
    if (delayMs === Infinity || this.time + delayMs === Infinity) return entry as unknown as TimerId; // never due: kept out of the queue
    const at = delayMs > 0 ? this.time + delayMs : this.time; // NaN and negatives: now
    let bucket = this.buckets.get(at);
    if (bucket === undefined) {
      bucket = { at, head: null, tail: null };
      this.buckets.set(at, bucket);
      this.push(bucket);
    }
    entry.clockNext = null;
    if (bucket.head === null) bucket.head = entry;
    else {
      // Normally the tail itself; the walk mends a list a watchdog stop left between two writes.
      let last = bucket.tail!;
      while (last.clockNext !== null) last = last.clockNext;
      last.clockNext = entry;
    }
    bucket.tail = entry;
    this.live++;
    return entry as unknown as TimerId;
  }

  /** Ignores handles it did not issue, so a program's bad handle changes nothing. */
  clearTimer(id: TimerId): void {
    const entry: unknown = id;
    if (entry instanceof Timer && entry.clockState === 1) {
      entry.clockState = 2;
      if (entry instanceof FnTimer) entry.fn = null;
      this.live--;
    }
  }

  /** Timers scheduled and not yet fired or cleared. */
  pending(): number {
    return this.live;
  }

  /** Deadline of the next timer, or undefined when none is pending. */
  nextAt(): number | undefined {
    return this.peek()?.at;
  }

  /** Fires the next timer if it is due at or before `until`; returns whether one fired. */
  fireNext(until = Infinity): boolean {
    const bucket = this.peek();
    if (bucket === undefined || bucket.at > until) return false;
    const entry = bucket.head!;
    bucket.head = entry.clockNext;
    entry.clockNext = null; // a fired timer someone keeps must not keep the rest of the list
    if (bucket.at > this.time) {
      this.time = bucket.at;
      this.firedAtInstant = 0;
    }
    if (++this.firedAtInstant > this.maxPerInstant) throw new RunawayTimersError(this.time, this.maxPerInstant);
    entry.clockState = 3;
    this.live--;
    this.fired++;
    entry.fire();
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

  /**
   * Rebuilds the deadline heap from the buckets, the source of truth. A
   * runaway program stopped by the watchdog may have been stopped inside
   * setTimer or fireNext (a program looping on imp.wakeup spends its time
   * there), halfway through a sift: the heap can then miss a live bucket or
   * hold a spent one. Cheap, and only after such a stop.
   */
  repair(): void {
    this.heap = [];
    for (const bucket of this.buckets.values()) this.push(bucket);
  }

  advance(ms: number): void {
    this.runUntil(this.time + ms);
  }

  /** The bucket of the next live timer, positioned at it; drops cleared timers and spent buckets. */
  private peek(): Bucket | undefined {
    for (;;) {
      const bucket = this.heap[0];
      if (bucket === undefined) return undefined;
      let head = bucket.head;
      while (head !== null && head.clockState !== 1) {
        const passed = head;
        head = head.clockNext;
        passed.clockNext = null;
      }
      bucket.head = head;
      if (head !== null) return bucket;
      this.buckets.delete(bucket.at);
      this.pop();
    }
  }

  private push(b: Bucket): void {
    const h = this.heap;
    let i = h.length;
    h.push(b);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (parent.at <= b.at) break;
      h[i] = parent;
      i = p;
    }
    h[i] = b;
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
      const c = r < n && h[r]!.at < h[l]!.at ? r : l;
      if (h[c]!.at >= last.at) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}
