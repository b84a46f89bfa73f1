import { connectAsync } from "mqtt";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_PAYLOAD_BYTES } from "../../src/cloud/broker-auth.js";
import { DeviceRegistry } from "../../src/cloud/device-registry.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { EMBEDDED_AGENT_HOST } from "../../src/cloud/embedded-cloud.js";
import { encodeLog, encodeMessage } from "../../src/wire/payload-codec.js";
import { partitionFilter, partitionOf, topicFor } from "../../src/wire/topics.js";
import { MAX_MESSAGE_BYTES } from "../../src/constants.js";
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

  /**
   * Everything `c` receives on `topic`, up to and including the payload `last`;
   * rejects if the connection closes first. "Nothing else arrived" is then proved
   * by an event rather than a sleep: the broker delivers to one subscriber in
   * order, so `last`, sent after whatever must not arrive, comes in after it would have.
   */
  const receiveUntil = (c: MqttClient, topic: string, last: string): Promise<string[]> => {
    const received = new Promise<string[]>((resolve, reject) => {
      const got: string[] = [];
      const onMessage = (t: string, payload: Buffer) => {
        if (t !== topic) return;
        got.push(payload.toString());
        if (got.at(-1) !== last) return;
        stop();
        resolve(got);
      };
      const onClose = () => {
        stop();
        reject(new Error(`the connection closed before ${last} arrived; got ${JSON.stringify(got)}`));
      };
      const stop = () => {
        c.off("message", onMessage);
        c.off("close", onClose);
      };
      c.on("message", onMessage);
      c.on("close", onClose);
    });
    received.catch(() => {}); // awaited later: a close before then fails the test there, not as an unhandled rejection
    return received;
  };

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

  it("a device cannot send commands (cmd is for agents only): the broker drops it, a subscriber to the cmd topic never gets it", async () => {
    const cmd = topicFor("acl-a", "cmd");
    // An agent host's view: a service user subscribed to the device's partition, cmd topics included.
    const watcher = await connect("cmdwatch", cloud.registry.addService("cmdwatch"), "cmdwatch:1");
    await watcher.subscribeAsync(partitionFilter(partitionOf("acl-a")), { qos: 1 });
    const marker = encodeMessage("sent-by-a-service", 2);
    const received = receiveUntil(watcher, cmd, marker);

    const a = await connect("acl-a", secretA);
    const closed = new Promise<"closed">((resolve) => a.once("close", () => resolve("closed")));
    const acked = a.publishAsync(cmd, encodeMessage("forged", 1), { qos: 1 }).then(
      () => "acked" as const,
      () => "failed" as const,
    );
    expect(await Promise.race([closed, acked]), "the broker answers a forged command by closing the connection").toBe("closed");
    a.end(true);

    // A legitimate command after it: once it is in, the forged one would have been too.
    await watcher.publishAsync(cmd, marker, { qos: 1 });
    expect(await received).toEqual([marker]);
    await watcher.endAsync();
  });

  /** Publishes and expects the broker to refuse it: aedes closes the connection. */
  const refused = async (c: MqttClient, topic: string, payload: string | Buffer, retain: boolean): Promise<void> => {
    const closed = new Promise<void>((resolve) => c.once("close", () => resolve()));
    c.publish(topic, payload, { qos: 1, retain });
    await closed;
    c.end(true);
  };

  it("usernames that name Object.prototype members are refused, with or without a password, and the broker keeps serving", async () => {
    for (const username of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"]) {
      await expect(connect(username, "anything"), username).rejects.toMatchObject({ code: 4 });
      await expect(connectAsync(cloud.url, { username, clientId: username, reconnectPeriod: 0, protocolVersion: 4 }), username).rejects.toMatchObject({ code: 4 });
    }
    const a = await connect("acl-a", secretA);
    expect(a.connected).toBe(true);
    await a.endAsync();
  });

  it("anything that throws while authenticating is a refusal (CONNACK 4), not a crash", async () => {
    const spy = vi.spyOn(cloud.registry, "verify").mockImplementation(() => {
      throw new TypeError("boom");
    });
    try {
      await expect(connect("acl-a", secretA)).rejects.toMatchObject({ code: 4 });
    } finally {
      spy.mockRestore();
    }
    const a = await connect("acl-a", secretA);
    await a.endAsync();
  });

  it("a service user's client id is <service>:<suffix>: a device id is refused, the device keeps its session", async () => {
    const service = cloud.registry.addService("acl");
    const device = await connect("acl-a", secretA);
    let deviceClosed = false;
    device.on("close", () => (deviceClosed = true));
    await device.subscribeAsync(topicFor("acl-a", "cmd"), { qos: 1 });
    const ping = encodeMessage("still-there", 1);
    const reachedDevice = receiveUntil(device, topicFor("acl-a", "cmd"), ping);
    // The takeover: service "acl" with client id "acl-a" (the device's id).
    for (const clientId of ["acl-a", "acl", "acl:", "acl-x", "other:acl"])
      await expect(connect("acl", service, clientId), clientId).rejects.toMatchObject({ code: 2 });
    const host = await connect("acl", service, "acl:host-1");
    expect(host.connected).toBe(true);
    // A command the host sends now still reaches the device on its first connection: had any of
    // those logins taken its session over, the broker would have closed it before answering them.
    await host.publishAsync(topicFor("acl-a", "cmd"), ping, { qos: 1 });
    await expect(reachedDevice).resolves.toEqual([ping]);
    expect(deviceClosed).toBe(false);
    await host.endAsync();
    await device.endAsync();
  });

  it("a service name cannot be a device id and a device id cannot be a service name", () => {
    expect(() => cloud.registry.addService("acl-b")).toThrow(/already a device/);
    cloud.registry.addService("svc-only");
    expect(() => cloud.registry.addDevice("svc-only")).toThrow(/already a service user/);
    // The embedded agent host's own (ephemeral) service user has a name no device can have.
    expect(() => cloud.registry.addDevice(EMBEDDED_AGENT_HOST)).toThrow(/bad device id/);
  });

  it("only status may be retained, and only as online/offline: retained msg, log and cmd are refused and not kept", async () => {
    await refused(await connect("acl-a", secretA), topicFor("acl-a", "msg"), encodeMessage("m", 1), true);
    await refused(await connect("acl-a", secretA), topicFor("acl-a", "log"), encodeLog("kept?", false), true);
    await refused(await connect("acl-a", secretA), topicFor("acl-a", "status"), "pwned", true);
    await refused(await connect("acl-a", secretA), topicFor("acl-a", "status"), "pwned", false);
    const service = cloud.registry.addService("retainer");
    await refused(await connect("retainer", service, "retainer:1"), topicFor("acl-a", "cmd"), encodeMessage("again", 1), true);
    // Nothing was kept: a device subscribing to its cmd gets no replay. A replay is sent as the
    // broker takes the SUBSCRIBE, so a command published once the subscription is granted comes after it.
    const a = await connect("acl-a", secretA);
    const marker = encodeMessage("after-subscribing", 1);
    const received = receiveUntil(a, topicFor("acl-a", "cmd"), marker);
    await a.subscribeAsync(topicFor("acl-a", "cmd"), { qos: 1 });
    const sender = await connect("retainer", service, "retainer:2");
    await sender.publishAsync(topicFor("acl-a", "cmd"), marker, { qos: 1 });
    expect(await received).toEqual([marker]);
    await sender.endAsync();
    // The status a device does publish is still allowed, retained.
    await a.publishAsync(topicFor("acl-a", "status"), "online", { qos: 1, retain: true });
    await a.publishAsync(topicFor("acl-a", "status"), "offline", { qos: 1, retain: true });
    expect(a.connected).toBe(true);
    await a.endAsync();
  });

  it("payloads are capped: R33's largest message (binary, as base64) passes, one byte over the cap is refused", async () => {
    const a = await connect("acl-a", secretA);
    await a.publishAsync(topicFor("acl-a", "msg"), encodeMessage("big", new Uint8Array(MAX_MESSAGE_BYTES)), { qos: 1 });
    expect(a.connected).toBe(true);
    await a.endAsync();
    await refused(await connect("acl-a", secretA), topicFor("acl-a", "msg"), Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), false);
    await refused(await connect("acl-a", secretA), topicFor("acl-a", "log"), Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), false);
    const service = cloud.registry.addService("bigcmd");
    await refused(await connect("bigcmd", service, "bigcmd:1"), topicFor("acl-a", "cmd"), Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), false);
  });

  it("a device added by another process while the cloud runs can log in: the registry is re-read after a failed login", async () => {
    await expect(connect("late-dev", "not-yet")).rejects.toMatchObject({ code: 4 });
    const secret = DeviceRegistry.open(cloud.registryPath, { create: false }).addDevice("late-dev"); // as `impnet device add` would
    const late = await connect("late-dev", secret);
    expect(late.connected).toBe(true);
    await late.endAsync();
    // What the cloud itself had registered is still there.
    const a = await connect("acl-a", secretA);
    await a.endAsync();
  });
});
