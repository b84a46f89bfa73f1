import { connectAsync } from "mqtt";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { topicFor } from "../../src/cloud/topics.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { startCloud } from "../host/support-cloud.js";

describe("embedded cloud: authentication and per-device ACLs", () => {
  let cloud: EmbeddedCloud;
  const sink = new ArraySink();
  let secretA: string;
  let secretB: string;
  beforeAll(async () => {
    cloud = await startCloud({}, sink);
    secretA = cloud.registry.addDevice("acl-a");
    secretB = cloud.registry.addDevice("acl-b");
  });
  afterAll(() => cloud.stop());

  const connect = (username: string, password: string, clientId = username): Promise<MqttClient> =>
    connectAsync(cloud.url, { username, password, clientId, reconnectPeriod: 0, protocolVersion: 4 });

  it("a wrong secret, an unknown device and a borrowed client id are refused", async () => {
    await expect(connect("acl-a", secretB)).rejects.toMatchObject({ code: 4 });
    await expect(connect("nobody", secretA)).rejects.toMatchObject({ code: 4 });
    await expect(connect("acl-a", secretA, "acl-b")).rejects.toMatchObject({ code: 2 });
  });

  it("a device cannot subscribe to another device's topics, only to its own cmd", async () => {
    const a = await connect("acl-a", secretA);
    for (const forbidden of [topicFor("acl-b", "cmd"), topicFor("acl-b", "log"), topicFor("acl-a", "log"), "impnet/#", "#"])
      await expect(a.subscribeAsync(forbidden, { qos: 1 }), forbidden).rejects.toThrow(/Subscribe error/);
    const granted = await a.subscribeAsync(topicFor("acl-a", "cmd"), { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1]);
    await a.endAsync();
  });

  it("a device cannot publish as another device: the broker drops it, nothing reaches the cloud", async () => {
    const a = await connect("acl-a", secretA);
    const closed = new Promise<void>((resolve) => a.once("close", () => resolve()));
    a.publish(topicFor("acl-b", "log"), JSON.stringify({ text: "forged", error: false }), { qos: 1 });
    await closed;
    a.end(true);
    const b = await connect("acl-b", secretB);
    await b.publishAsync(topicFor("acl-b", "log"), JSON.stringify({ text: "genuine", error: false }), { qos: 1 });
    await b.endAsync();
    const texts = sink.events.flatMap((e) => (e.type === "log" ? [e.text] : []));
    expect(texts).toContain("genuine");
    expect(texts).not.toContain("forged");
  });

  it("a device cannot send commands (cmd is for agents only)", async () => {
    const a = await connect("acl-a", secretA);
    const closed = new Promise<void>((resolve) => a.once("close", () => resolve()));
    a.publish(topicFor("acl-a", "cmd"), JSON.stringify({ name: "x", data: 1 }), { qos: 1 });
    await closed;
    a.end(true);
  });
});
