import fc from "fast-check";
import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { decodeMessage, encodeMessage, MAX_WIRE_DEPTH } from "../../src/wire/payload-codec.js";
import { topicFor } from "../../src/wire/topics.js";
import { TypedMessage } from "../../src/wire/message.js";
import { HostLink } from "../../src/network/host/host-link.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import { RealClock } from "../../src/clock/real-clock.js";
import { encodeTyped } from "../../src/programs/squirrel/typed-wire.js";
import { SqTable } from "../../src/squirrel/table.js";
import { SqFloat } from "../../src/squirrel/values.js";
import type { SqValue } from "../../src/squirrel/values.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { deviceModel, Recorder } from "../host/harness.js";
import { sleep } from "../host/real-parts.js";
import { startCloud } from "../host/support-cloud.js";

/** `{"name": "deep", "data": [[[…]]]}` nested `levels` deep: a few KB that once overflowed the decoder's stack. */
const deep = (levels: number, field: "data" | "sq" = "data") => Buffer.from(`{"name":"deep","${field}":${"[".repeat(levels)}${"]".repeat(levels)}}`);

describe("message payloads from the network are untrusted", () => {
  it("a payload nested thousands of levels deep is refused with its reason, not a stack overflow", () => {
    for (const field of ["data", "sq"] as const) expect(decodeMessage(deep(5000, field))).toEqual({ refused: `"deep" nests more than ${MAX_WIRE_DEPTH} levels deep` });
  });

  it("the deepest message a sender may send still arrives: 64 levels of Squirrel tables, 64 of JSON arrays", () => {
    let table: SqValue = new SqFloat(0.5);
    for (let i = 0; i < 64; i++) {
      const t = new SqTable();
      t.newSlot("k", table);
      table = t;
    }
    const typed = decodeMessage(Buffer.from(encodeMessage("sq", new TypedMessage(encodeTyped(table)))));
    expect("name" in typed && typed.data instanceof TypedMessage).toBe(true);
    let json: unknown = 1;
    for (let i = 0; i < 64; i++) json = [json];
    expect(decodeMessage(Buffer.from(encodeMessage("js", json)))).toEqual({ name: "js", data: json });
  });

  it("any bytes, any JSON: decodeMessage answers (a message or a refusal) and never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)), fc.json({ depthSize: "large" }).map((j) => Buffer.from(j)), fc.anything().map((v) => Buffer.from(JSON.stringify({ name: "n", data: v }) ?? "null"))), (payload) => {
        const r = decodeMessage(payload);
        expect("refused" in r || typeof r.name === "string").toBe(true);
      }),
      { seed: 15, numRuns: 2000 },
    );
  });
});

describe("a deep message cannot crash the cloud or a device", () => {
  let cloud: EmbeddedCloud;
  const sink = new ArraySink();
  const got: unknown[] = [];
  const agent: AgentEntry = ({ device }) => device.on("ok", (d) => void got.push(d));
  beforeAll(async () => {
    cloud = await startCloud({ agentFor: () => agent }, sink);
  });
  afterAll(() => cloud.stop());

  it("the agent host says it dropped the unreadable message and goes on delivering", async () => {
    const secret = cloud.registry.addDevice("deep-dev");
    const c = await connectAsync(cloud.url, { username: "deep-dev", password: secret, clientId: "deep-dev", reconnectPeriod: 0, protocolVersion: 4 });
    await c.publishAsync(topicFor("deep-dev", "msg"), deep(5000), { qos: 1 });
    await c.publishAsync(topicFor("deep-dev", "msg"), encodeMessage("ok", 7), { qos: 1 });
    for (let i = 0; i < 200 && got.length === 0; i++) await sleep(10);
    expect(got).toEqual([7]);
    expect(sink.events).toContainEqual(expect.objectContaining({ type: "warning", device: "deep-dev", text: `a message from the device that impnet cannot read ("deep" nests more than ${MAX_WIRE_DEPTH} levels deep): dropped` }));
    await c.endAsync();
  });

  it("a device on the host stack says it dropped the unreadable command and keeps its session", async () => {
    const secret = cloud.registry.addDevice("deep-target");
    const model = deviceModel("deep-target");
    const link = new HostLink(model, new ElapsedClock(new RealClock()), { server: { host: "127.0.0.1", port: cloud.port, tls: false }, secret, interfaces: { ethernet: "lo" } });
    const recorder = new Recorder();
    link.listener = recorder;
    link.startAttempt({ id: 1, iface: "ethernet", startedAt: 0, deadline: 30_000, wps: false });
    await recorder.until(() => recorder.ended.length > 0);
    expect(recorder.ended[0]?.outcome.ok).toBe(true);
    const service = cloud.registry.addService("deep-svc");
    const s = await connectAsync(cloud.url, { username: "deep-svc", password: service, clientId: "deep-svc:1", reconnectPeriod: 0, protocolVersion: 4 });
    await s.publishAsync(topicFor("deep-target", "cmd"), deep(5000), { qos: 1 });
    await s.publishAsync(topicFor("deep-target", "cmd"), encodeMessage("after", 1), { qos: 1 });
    await recorder.until(() => recorder.messages.length > 0);
    expect(recorder.unreadables).toEqual([`a message from the agent that impnet cannot read ("deep" nests more than ${MAX_WIRE_DEPTH} levels deep): dropped`]);
    expect(recorder.messages).toEqual([{ name: "after", data: 1 }]);
    expect(recorder.losses).toEqual([]);
    await s.endAsync();
    link.closeSession();
  });
});
