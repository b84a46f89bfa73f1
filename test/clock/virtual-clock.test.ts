import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/virtual-clock.js";

describe("VirtualClock", () => {
  it("fires timers in (deadline, creation order)", () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimer(20, () => order.push("b20"));
    clock.setTimer(10, () => order.push("a10"));
    clock.setTimer(20, () => order.push("c20"));
    clock.setTimer(0, () => order.push("d0"));
    clock.runUntil(100);
    expect(order).toEqual(["d0", "a10", "b20", "c20"]);
    expect(clock.now()).toBe(100);
  });

  it("moves time to each timer's deadline as it fires", () => {
    const clock = new VirtualClock({ start: 1000 });
    const seen: number[] = [];
    clock.setTimer(5, () => seen.push(clock.now()));
    clock.setTimer(7.5, () => seen.push(clock.now()));
    clock.advance(10);
    expect(seen).toEqual([1005, 1007.5]);
  });

  it("runs a zero-delay timer set inside a callback after those already due, never recursively", () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    let depth = 0;
    clock.setTimer(10, () => {
      depth++;
      order.push(`outer depth ${depth}`);
      clock.setTimer(0, () => order.push(`inner depth ${depth}`));
      depth--;
    });
    clock.setTimer(10, () => order.push("sibling"));
    clock.runUntil(10);
    expect(order).toEqual(["outer depth 1", "sibling", "inner depth 0"]);
  });

  it("clears timers, and counts only live ones as pending", () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const a = clock.setTimer(1, () => fired.push(1));
    clock.setTimer(2, () => fired.push(2));
    clock.clearTimer(a);
    clock.clearTimer(a);
    expect(clock.pending()).toBe(1);
    clock.runUntil(5);
    expect(fired).toEqual([2]);
    expect(clock.pending()).toBe(0);
    expect(clock.nextAt()).toBeUndefined();
  });

  it("treats negative and non-finite delays as zero", () => {
    const clock = new VirtualClock({ start: 50 });
    const seen: number[] = [];
    clock.setTimer(-10, () => seen.push(clock.now()));
    clock.setTimer(NaN, () => seen.push(clock.now()));
    clock.runUntil(50);
    expect(seen).toEqual([50, 50]);
  });

  it("stops a runaway loop that never lets time advance", () => {
    const clock = new VirtualClock({ maxTimersPerInstant: 1000 });
    const spin = (): void => void clock.setTimer(0, spin);
    spin();
    expect(() => clock.runUntil(1)).toThrow(expect.objectContaining({ code: "IMPNET_RUNAWAY_TIMERS" }));
  });

  it("does not count timers at different instants towards the runaway guard", () => {
    const clock = new VirtualClock({ maxTimersPerInstant: 10 });
    let n = 0;
    const tick = (): void => {
      n++;
      clock.setTimer(1, tick);
    };
    tick();
    clock.runUntil(100);
    expect(n).toBe(101);
  });

  it("keeps order across many timers (heap property)", () => {
    const clock = new VirtualClock();
    const deadlines = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    const fired: number[] = [];
    for (const d of deadlines) clock.setTimer(d, () => fired.push(clock.now()));
    clock.runUntil(1000);
    expect(fired).toEqual([...deadlines].sort((x, y) => x - y));
  });

  it("repair() rebuilds its deadline heap from the buckets: a heap left half-sifted (a runaway stopped mid-setTimer) loses no timer and keeps the order", () => {
    const clock = new VirtualClock();
    const deadlines = Array.from({ length: 300 }, (_, i) => (i * 7919) % 1000);
    const fired: number[] = [];
    for (const d of deadlines) clock.setTimer(d, () => fired.push(clock.now()));
    // What a stop halfway through push or pop leaves: buckets missing from the heap, and out of order.
    const inside = clock as unknown as { heap: unknown[] };
    inside.heap = inside.heap.slice(0, 40).reverse();
    clock.repair();
    clock.runUntil(1000);
    expect(fired).toEqual([...deadlines].sort((x, y) => x - y));
  });
});
