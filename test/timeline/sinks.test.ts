import { describe, it, expect } from "vitest";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { ArraySink, CountingSink, StreamSink, TeeSink } from "../../src/timeline/sinks.js";
import { toJsonLine } from "../../src/timeline/json.js";
import { ONE_OF_EACH } from "./fixtures.js";

class Collect {
  text = "";
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

describe("ArraySink", () => {
  it("keeps events in order", () => {
    const sink = new ArraySink();
    for (const e of ONE_OF_EACH) sink.write(e);
    expect(sink.events).toEqual(ONE_OF_EACH);
  });
});

describe("CountingSink", () => {
  it("counts lines per type and in total", () => {
    const sink = new CountingSink();
    expect(sink.total).toBe(0);
    expect(sink.counts.attempt).toBe(0);
    for (const e of ONE_OF_EACH) sink.write(e);
    const boot: TimelineEvent = { t: 1, device: "d", type: "boot", cause: "wake" };
    for (let i = 0; i < 1000; i++) sink.write(boot);
    expect(sink.total).toBe(ONE_OF_EACH.length + 1000);
    expect(sink.counts.boot).toBe(1001);
    expect(sink.counts.attempt).toBe(1);
    expect(sink.counts.world).toBe(1);
    expect(Object.values(sink.counts).reduce((a, b) => a + b, 0)).toBe(sink.total);
  });
});

describe("StreamSink", () => {
  it("writes one JSON line per event", () => {
    const out = new Collect();
    const sink = new StreamSink(out, "json");
    for (const e of ONE_OF_EACH) sink.write(e);
    expect(out.text).toBe(ONE_OF_EACH.map((e) => `${toJsonLine(e)}\n`).join(""));
  });

  it("writes human lines, coloured only when asked", () => {
    const plain = new Collect();
    const colored = new Collect();
    const a = new StreamSink(plain, "human", { color: false });
    const b = new StreamSink(colored, "human", { color: true });
    for (const e of ONE_OF_EACH) {
      a.write(e);
      b.write(e);
    }
    expect(plain.text.split("\n")).toHaveLength(ONE_OF_EACH.length + 1);
    expect(plain.text).not.toContain("\x1b");
    expect(plain.text).toContain("NO_SERVER");
    expect(colored.text).toContain("\x1b[31m");
  });

  it("stops writing, without throwing, once the stream fails", () => {
    let calls = 0;
    const sink = new StreamSink({ write: () => { calls++; throw new Error("EPIPE"); } }, "json");
    expect(() => { for (const e of ONE_OF_EACH) sink.write(e); }).not.toThrow();
    expect(calls).toBe(1);
    expect(sink.error).toBeInstanceOf(Error);
  });
});

describe("TeeSink", () => {
  it("gives each event to every sink", () => {
    const all = new ArraySink();
    const counts = new CountingSink();
    const tee = new TeeSink(all, counts);
    for (const e of ONE_OF_EACH) tee.write(e);
    expect(all.events).toHaveLength(ONE_OF_EACH.length);
    expect(counts.total).toBe(ONE_OF_EACH.length);
  });
});
