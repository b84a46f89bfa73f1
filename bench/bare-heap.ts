/**
 * The limit for the simulator's timer loop: a minimal binary heap of
 * (deadline, seq, callback) entries ordered as VirtualClock orders them, with
 * `timers` concurrent timers that each reschedule themselves when they fire.
 * It pops (and fires) exactly `events` entries and does nothing else: no
 * devices, no timeline, no cleared-entry bookkeeping.
 *
 * Standalone: node --import tsx bench/bare-heap.ts [timers] [events]
 */
import { pathToFileURL } from "node:url";

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

class BareHeap {
  private readonly h: Entry[] = [];
  private seq = 0;
  now = 0;

  get size(): number {
    return this.h.length;
  }

  push(at: number, fn: () => void): void {
    const e: Entry = { at, seq: this.seq++, fn };
    const h = this.h;
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

  /** Removes and fires the earliest entry; false when empty. */
  fireNext(): boolean {
    const h = this.h;
    const top = h[0];
    if (top === undefined) return false;
    const last = h.pop()!;
    if (h.length > 0) {
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
    this.now = top.at;
    top.fn();
    return true;
  }
}

export interface BareHeapResult {
  timers: number;
  events: number;
  wallMs: number;
  /** Sum of the fired timers' ids, so the work cannot be optimised away. */
  checksum: number;
}

/**
 * `timers` timers, started evenly over one `periodMs`, each firing every
 * `periodMs` (virtual): pushes and pops exactly `events` entries in all.
 */
export function runBareHeap(timers: number, events: number, periodMs = 60_000): BareHeapResult {
  const heap = new BareHeap();
  let fired = 0;
  let checksum = 0;
  const start = performance.now();
  const started = Math.min(timers, events);
  for (let i = 0; i < started; i++) {
    const id = i;
    const tick = (): void => {
      fired++;
      checksum += id;
      if (fired + heap.size < events) heap.push(heap.now + periodMs, tick);
    };
    heap.push(Math.floor((i * periodMs) / started), tick);
  }
  while (fired < events && heap.fireNext());
  const wallMs = performance.now() - start;
  if (fired !== events) throw new Error(`bare heap fired ${fired} of ${events} events`);
  return { timers, events: fired, wallMs, checksum };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const timers = Number(process.argv[2] ?? 100_000);
  const events = Number(process.argv[3] ?? 15_800_000);
  const r = runBareHeap(timers, events);
  console.log(`${r.timers} timers, ${r.events} events: ${(r.wallMs / 1000).toFixed(3)} s, ${Math.round(r.events / (r.wallMs / 1000))} events/s`);
}
