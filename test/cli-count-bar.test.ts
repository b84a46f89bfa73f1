import { describe, expect, it } from "vitest";
import { VirtualClock } from "../src/clock/virtual-clock.js";
import { CountBar, REDRAW_MS } from "../src/cli/count-bar.js";
import { barLine, CLEAR_LINE } from "../src/cli/progress.js";

describe("CountBar", () => {
  it("draws done of the total, the counts, the wall time and what runs, over its own line", () => {
    const writes: string[] = [];
    const bar = new CountBar({ write: (s: string) => writes.push(s) }, ".impt.test", 4, "files", new VirtualClock());
    bar.update(0, "0 tests, 0 failures", "A.test.nut");
    bar.update(1, "3 tests, 1 failures", "B.test.nut, B");
    bar.update(4);
    expect(writes).toHaveLength(3);
    for (const w of writes) expect(w.startsWith(CLEAR_LINE)).toBe(true);
    const drawn = writes.map((w) => w.slice(CLEAR_LINE.length));
    expect(drawn[0]).toMatch(/^\.impt\.test \[\.{20}\] 0% 0 of 4 files, 0 tests, 0 failures, \d+\.\d s wall: A\.test\.nut$/);
    expect(drawn[1]).toMatch(/^\.impt\.test \[#{5}\.{15}\] 25% 1 of 4 files, 3 tests, 1 failures, \d+\.\d s wall: B\.test\.nut, B$/);
    expect(drawn[2]).toMatch(/^\.impt\.test \[#{20}\] 100% 4 of 4 files, \d+\.\d s wall$/);
  });

  it("draws itself again every REDRAW_MS between updates (its wall time moves on); clear() erases it and stops", () => {
    const clock = new VirtualClock();
    const writes: string[] = [];
    const bar = new CountBar({ write: (s: string) => writes.push(s) }, "x", 2, "files", clock);
    clock.advance(10 * REDRAW_MS);
    expect(writes).toEqual([]); // nothing before the first update
    bar.update(1, "1 tests, 0 failures", "A.test.nut");
    clock.advance(REDRAW_MS - 1);
    expect(writes).toHaveLength(1);
    clock.advance(1);
    expect(writes).toHaveLength(2);
    clock.advance(2 * REDRAW_MS);
    expect(writes).toHaveLength(4);
    for (const w of writes) expect(w.startsWith(CLEAR_LINE)).toBe(true);
    for (const w of writes) expect(w.slice(CLEAR_LINE.length)).toMatch(/^x \[#{10}\.{10}\] 50% 1 of 2 files, 1 tests, 0 failures, \d+\.\d s wall: A\.test\.nut$/);
    bar.update(2); // an update restarts the wait: one timer, never two
    expect(clock.pending()).toBe(1);
    bar.clear();
    expect(writes.at(-1)).toBe(CLEAR_LINE);
    expect(clock.pending()).toBe(0);
    const count = writes.length;
    clock.advance(10 * REDRAW_MS);
    expect(writes).toHaveLength(count);
  });

  it("barLine: the time bars' drawing, which sim and fleet print", () => {
    expect(barLine("demo.yaml", 0.456, "text")).toBe(`${CLEAR_LINE}demo.yaml [#########...........] 45% text`);
  });
});
