import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { connectAsync } from "mqtt";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/virtual-clock.js";
import { LogStoreSink } from "../../src/cloud/log-store-sink.js";
import type { LogLimits } from "../../src/cloud/log-store-sink.js";
import { encodeLog } from "../../src/wire/payload-codec.js";
import { topicFor } from "../../src/wire/topics.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { sleep, tempDir } from "../host/real-parts.js";
import { startCloud } from "../host/support-cloud.js";

const LIMITS: LogLimits = { bytesPerSecond: 2000, burstBytes: 10_000, fileBytes: 1 << 30, keepFiles: 2 };

function store(limits: LogLimits) {
  const file = path.join(tempDir(), "server-log.jsonl");
  const wall = new VirtualClock();
  const next = new ArraySink();
  const sink = new LogStoreSink(file, next, wall, limits);
  const log = (device: string, text: string) => sink.write({ t: wall.now(), device, type: "log", text, error: false });
  const stored = () =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { device: string; text: string });
  return { file, wall, next, sink, log, stored };
}

describe("the cloud's stored log cannot be flooded", () => {
  it("each device has a byte budget: what is over it is dropped, said when it starts and counted when it ends; others are untouched", async () => {
    const s = store(LIMITS);
    const kb = "x".repeat(1000);
    for (let i = 0; i < 1000; i++) s.log("flood", kb); // 1 MB at one instant: the burst holds 10
    s.log("quiet", "still heard");
    s.wall.advance(1000); // 2000 bytes of budget back
    s.log("flood", kb);
    await s.sink.close();
    const stored = s.stored();
    expect(stored.filter((l) => l.device === "flood")).toHaveLength(11);
    expect(stored.filter((l) => l.device === "quiet").map((l) => l.text)).toEqual(["still heard"]);
    const warnings = s.next.events.flatMap((e) => (e.type === "warning" ? [`${e.device}: ${e.text}`] : []));
    expect(warnings).toEqual([
      "flood: server.log lines dropped from here: over the cloud's log rate limit (2000 bytes/s, bursts of 10000)",
      "flood: 990 server.log line(s) were dropped: over the cloud's log rate limit (2000 bytes/s, bursts of 10000)",
    ]);
    expect(s.next.events.filter((e) => e.type === "log")).toHaveLength(12); // dropped lines are not streamed either
  });

  it("the file is rotated by size and only keepFiles old ones are kept", async () => {
    const s = store({ ...LIMITS, burstBytes: 1e9, fileBytes: 1000 });
    for (let i = 0; i < 40; i++) s.log("dev", `line ${i} ${"y".repeat(80)}`);
    await s.sink.close();
    expect(readdirSync(path.dirname(s.file)).sort()).toEqual(["server-log.jsonl", "server-log.jsonl.1", "server-log.jsonl.2"]);
    for (const f of readdirSync(path.dirname(s.file))) expect(readFileSync(path.join(path.dirname(s.file), f)).length).toBeLessThanOrEqual(1000);
    const newest = s.stored().map((l) => l.text.split(" ")[1]);
    expect(newest.at(-1)).toBe("39"); // the newest line is in the current file
  });

  it("a file that cannot be written is said once, and logs still stream", async () => {
    const next = new ArraySink();
    const sink = new LogStoreSink("/dev/null/server-log.jsonl", next, new VirtualClock(), LIMITS);
    sink.write({ t: 5, device: "d", type: "log", text: "still streamed", error: false });
    await sink.close();
    expect(next.events.map((e) => (e.type === "warning" || e.type === "log" ? e.text : e.type))).toEqual(["/dev/null/server-log.jsonl: cannot write (ENOTDIR): the stored log stops here", "still streamed"]);
  });

  it("through the embedded cloud: a device publishing logs as fast as it can stores only its budget", async () => {
    const sink = new ArraySink();
    const cloud = await startCloud({ logLimits: { ...LIMITS, bytesPerSecond: 1 } }, sink);
    try {
      const secret = cloud.registry.addDevice("log-flood");
      const c = await connectAsync(cloud.url, { username: "log-flood", password: secret, clientId: "log-flood", reconnectPeriod: 0, protocolVersion: 4 });
      await Promise.all(Array.from({ length: 200 }, (_, i) => c.publishAsync(topicFor("log-flood", "log"), encodeLog(`${i} ${"z".repeat(1000)}`, false), { qos: 1 })));
      await c.endAsync();
      for (let i = 0; i < 100 && !sink.events.some((e) => e.type === "warning"); i++) await sleep(10);
    } finally {
      await cloud.stop();
    }
    const lines = readFileSync(cloud.logFile, "utf8").split("\n").filter((l) => l !== "");
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(sink.events).toContainEqual(expect.objectContaining({ type: "warning", device: "log-flood" }));
  });
});
