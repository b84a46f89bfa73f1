import { describe, it, expect } from "vitest";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { formatHuman, formatTime } from "../../src/timeline/human.js";
import { ONE_OF_EACH } from "./fixtures.js";

const ESC = "\x1b";
const plain = { color: false };

function of<T extends TimelineEvent["type"]>(type: T): Extract<TimelineEvent, { type: T }> {
  const e = ONE_OF_EACH.find((x) => x.type === type);
  if (e === undefined) throw new Error(`no ${type} fixture`);
  return e as Extract<TimelineEvent, { type: T }>;
}

describe("formatTime", () => {
  it("writes mm:ss.mmm below an hour", () => {
    expect(formatTime(0)).toBe("00:00.000");
    expect(formatTime(61_500)).toBe("01:01.500");
    expect(formatTime(3_599_999)).toBe("59:59.999");
  });

  it("adds hours from one hour on", () => {
    expect(formatTime(3_600_000)).toBe("1:00:00.000");
    expect(formatTime(3_661_001)).toBe("1:01:01.001");
    expect(formatTime(36_000_000)).toBe("10:00:00.000");
  });
});

describe("formatHuman", () => {
  it("formats an attempt with reason names, its duration and the failing layer", () => {
    const line = formatHuman(of("attempt"), plain);
    expect(line).toBe("00:03.280  dev-a     attempt       wl0 wifi  NO_SERVER  after 3.280s at server  (connection refused)");
    expect(line).not.toContain("layers");
    expect(line).not.toContain("tcp");
  });

  it("formats a successful attempt without layer or detail", () => {
    const line = formatHuman(
      { t: 3400, device: "d", type: "attempt", interface: "eth0", interfaceType: "ethernet", reason: 5, reasonName: "SERVER_CONNECTED", ms: 3400, layers: [] },
      plain,
    );
    expect(line).toMatch(/attempt +eth0 ethernet {2}SERVER_CONNECTED {2}after 3\.400s$/);
  });

  it("formats every type readably and in aligned columns", () => {
    const lines = ONE_OF_EACH.map((e) => formatHuman(e, plain));
    expect(lines).toEqual([
      "00:00.000  dev-a     boot          cold",
      "00:03.280  dev-a     attempt       wl0 wifi  NO_SERVER  after 3.280s at server  (connection refused)",
      "00:06.680  dev-a     connected     wl0",
      "00:07.000  dev-a     disconnected  unexpected  NO_SERVER",
      "00:07.000  dev-a     callback      connect SERVER_CONNECTED",
      '00:07.001  dev-a     log           "online"',
      '00:07.002  dev-a     message       from device  temp  {"c":21.5}',
      "00:07.003  dev-a     suspend",
      "00:07.004  dev-a     resume",
      "00:07.005  dev-a     sleep         for 60s",
      "00:07.006  dev-a     warning       callback under SUSPEND_ON_ERROR",
      "00:07.007  dev-a     error         boom  at main (device.mjs:3:9)",
      "02:30.000  world     world         world.server.up=false",
    ]);
    // time (9) + 2 + device (8) + 2: every type starts in the same column.
    expect(lines.map((l) => l.slice(21, 33).trim())).toEqual(ONE_OF_EACH.map((e) => e.type));
  });

  it("uses no escape codes without colour", () => {
    for (const e of ONE_OF_EACH) expect(formatHuman(e, plain)).not.toContain(ESC);
  });

  it("colours errors red, connections green and warnings yellow", () => {
    const error = formatHuman(of("error"), { color: true });
    expect(error.startsWith(`${ESC}[31m`) && error.endsWith(`${ESC}[39m`)).toBe(true);
    expect(error).toContain("boom");
    const connected = formatHuman(of("connected"), { color: true });
    expect(connected.startsWith(`${ESC}[32m`) && connected.endsWith(`wl0${ESC}[39m`)).toBe(true);
    expect(formatHuman(of("warning"), { color: true }).startsWith(`${ESC}[33m`)).toBe(true);
    expect(formatHuman(of("boot"), { color: true })).not.toContain("\x1b[3");
  });

  it("escapes control characters from programs instead of passing them to the terminal", () => {
    const line = formatHuman({ t: 0, device: "d", type: "warning", text: `red${ESC}[31m\nnext` }, plain);
    expect(line).not.toContain(ESC);
    expect(line).not.toContain("\n");
    expect(line).toContain("red\\u001b[31m\\nnext");
  });

  it("quotes log text and marks server.error lines", () => {
    expect(formatHuman({ t: 0, device: "d", type: "log", text: "disk full", error: true }, plain)).toContain('[error] "disk full"');
  });

  it("names reason 1 after the interface type on attempts", () => {
    const e: TimelineEvent = { t: 0, device: "d", type: "attempt", interface: "eth0", interfaceType: "ethernet", reason: 1, reasonName: "NO_LINK", ms: 50, layer: "link", layers: [] };
    expect(formatHuman(e, plain)).toContain("NO_LINK");
  });

  it("summarises binary and long message data", () => {
    const bytes = formatHuman({ t: 0, device: "d", type: "message", from: "agent", name: "fw", data: new Uint8Array(1024) }, plain);
    expect(bytes).toContain("<1024 bytes>");
    const long = formatHuman({ t: 0, device: "d", type: "message", from: "agent", name: "x", data: "y".repeat(500) }, plain);
    expect(long.length).toBeLessThan(120);
    expect(long.endsWith("…")).toBe(true);
  });

  it("pads the device column to deviceWidth", () => {
    const line = formatHuman({ t: 0, device: "a", type: "resume" }, { color: false, deviceWidth: 12 });
    expect(line).toBe(`00:00.000  a${" ".repeat(11)}  resume`);
  });

  it("keeps hour times in the line", () => {
    expect(formatHuman({ t: 3_725_000, device: "d", type: "suspend" }, plain)).toMatch(/^1:02:05\.000 /);
  });
});
