import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RealClock } from "../../src/clock/real-clock.js";
import { AgentHost } from "../../src/cloud/agent-host.js";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import { allPartitions, partitionOf, topicFor } from "../../src/wire/topics.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import * as C from "../../src/constants.js";
import { attempt, makeLink } from "./harness.js";
import type { Running } from "./real-parts.js";
import { startMosquitto } from "./real-parts.js";
import { startForwarder } from "./forwarder.js";

describe("host stack against a real mosquitto (any broker, same devices)", () => {
  let broker: Running;
  beforeAll(async () => {
    broker = await startMosquitto({ "dev-m1": "secret-one", "dev-m2": "secret-two", "dev-m3": "secret-three", agents: "agent-secret" });
  });
  afterAll(() => broker.stop());
  const server = () => ({ host: "127.0.0.1", port: broker.port, tls: false });

  it("good credentials connect, and a log line reaches a subscriber", async () => {
    const watcher = await connectAsync(`mqtt://127.0.0.1:${broker.port}`, { username: "agents", password: "agent-secret", clientId: "agents-test", reconnectPeriod: 0 });
    await watcher.subscribeAsync(topicFor("dev-m1", "log"), { qos: 1 });
    const got = new Promise<string>((resolve) => watcher.once("message", (_t, payload) => resolve(payload.toString())));
    const parts = makeLink({ id: "dev-m1", secret: "secret-one", server: server() });
    expect(await attempt(parts)).toMatchObject({ ok: true, reason: C.SERVER_CONNECTED });
    parts.link.send({ kind: "log", text: "via mosquitto", error: false }, () => {});
    expect(JSON.parse(await got)).toEqual({ text: "via mosquitto", error: false });
    parts.link.closeSession();
    await watcher.endAsync();
  });

  it("a device that vanishes without closing anything is dropped by the broker, which publishes its last will", async () => {
    const watcher = await connectAsync(`mqtt://127.0.0.1:${broker.port}`, { username: "agents", password: "agent-secret", clientId: "agents-will", reconnectPeriod: 0 });
    await watcher.subscribeAsync(topicFor("dev-m3", "status"), { qos: 1 });
    const offline = new Promise<void>((resolve) => watcher.on("message", (_t, payload) => payload.toString() === "offline" && resolve()));
    const path = await startForwarder(broker.port);
    // keepalive 1 s + 1 s: the CONNECT announces 2 s, so mosquitto gives up after 3 s of silence
    const parts = makeLink({ id: "dev-m3", secret: "secret-three", server: { host: "127.0.0.1", port: path.port, tls: false }, extra: { keepalive: { idleMs: 1000, graceMs: 1000 } } });
    expect(await attempt(parts)).toMatchObject({ ok: true });
    path.freeze(); // the device's host vanishes: nothing closes, nothing arrives
    await offline; // within 1.5 × 2 s; the test's own time limit bounds the wait
    parts.link.dispose();
    await path.stop();
    await watcher.endAsync();
  }, 15_000);

  it("the broker refusing the credentials → NO_SERVER with the CONNACK code", async () => {
    const outcome = await attempt(makeLink({ id: "dev-m2", secret: "wrong", server: server() }));
    expect(outcome).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "session" });
    expect(outcome.detail).toMatch(/^CONNACK 5 /);
  });
});

/** Two agent hosts as the service user `agents`: one owns the even partitions, the other the odd. */
function evenAndOddHosts(port: number, agentFor: (host: "even" | "odd", deviceId: string) => AgentEntry): Promise<AgentHost[]> {
  return Promise.all(
    (["even", "odd"] as const).map((name) =>
      AgentHost.start({
        broker: { url: `mqtt://127.0.0.1:${port}` },
        username: "agents",
        secret: "agent-secret",
        partitions: allPartitions().filter((p) => parseInt(p, 16) % 2 === (name === "even" ? 0 : 1)),
        clock: new RealClock(),
        sink: new ArraySink(),
        agentFor: (deviceId) => agentFor(name, deviceId),
      }),
    ),
  );
}

describe("agent hosts split the devices by partition, on any broker", () => {
  let broker: Running;
  // Two devices whose partitions fall to different hosts (even / odd partition numbers).
  const ids = Array.from({ length: 40 }, (_, i) => `split-${i}`);
  const even = ids.find((id) => parseInt(partitionOf(id), 16) % 2 === 0)!;
  const odd = ids.find((id) => parseInt(partitionOf(id), 16) % 2 === 1)!;
  beforeAll(async () => {
    broker = await startMosquitto({ [even]: "s-even", [odd]: "s-odd", agents: "agent-secret" });
  });
  afterAll(() => broker.stop());

  it("each device's messages reach exactly the host that owns its partition", async () => {
    const handled: string[] = [];
    const hosts = await evenAndOddHosts(broker.port, (name, deviceId) => ({ device }) => device.on("hello", () => void handled.push(`${name} host: ${deviceId}`)));
    for (const [id, secret] of [[even, "s-even"], [odd, "s-odd"]] as const) {
      const parts = makeLink({ id, secret, server: { host: "127.0.0.1", port: broker.port, tls: false } });
      expect(await attempt(parts)).toMatchObject({ ok: true });
      await new Promise<void>((resolve) => parts.link.send({ kind: "message", name: "hello", data: 1, bytes: 1 }, resolve));
      parts.link.dispose();
    }
    await vi.waitFor(() => expect(handled).toHaveLength(2));
    expect(handled.sort()).toEqual([`even host: ${even}`, `odd host: ${odd}`].sort());
    await Promise.all(hosts.map((h) => h.stop()));
  });
});

describe("two agent hosts on mosquitto under load", () => {
  const ids = Array.from({ length: 300 }, (_, i) => `load-${i}`);
  const MESSAGES = 5;
  let broker: Running;
  beforeAll(async () => {
    broker = await startMosquitto({ ...Object.fromEntries(ids.map((id) => [id, `secret-${id}`])), agents: "agent-secret" });
  });
  afterAll(() => broker.stop());

  it("300 devices sending at once: every message reaches the host that owns its device's partition, once, and every reply comes back", { timeout: 60_000 }, async () => {
    const handled = new Map<string, string[]>(); // device -> the hosts that handled each of its messages
    const hosts = await evenAndOddHosts(broker.port, (name, deviceId) => ({ device }) =>
      device.on("ping", (n) => {
        handled.set(deviceId, [...(handled.get(deviceId) ?? []), name]);
        device.send("pong", n);
      }),
    );
    const links = await Promise.all(
      ids.map(async (id) => {
        const parts = makeLink({ id, secret: `secret-${id}`, server: { host: "127.0.0.1", port: broker.port, tls: false } });
        expect(await attempt(parts, 20_000)).toMatchObject({ ok: true });
        return { id, parts };
      }),
    );
    const pongs = (parts: (typeof links)[number]["parts"]) => parts.recorder.messages.filter((m) => m.name === "pong").map((m) => m.data as number);
    await Promise.all(links.flatMap(({ parts }) => Array.from({ length: MESSAGES }, (_, n) => new Promise<void>((resolve) => parts.link.send({ kind: "message", name: "ping", data: n, bytes: 1 }, resolve)))));
    await vi.waitFor(() => expect(links.reduce((sum, { parts }) => sum + pongs(parts).length, 0)).toBe(ids.length * MESSAGES), { timeout: 20_000, interval: 50 });
    for (const { id, parts } of links) {
      const owner = parseInt(partitionOf(id), 16) % 2 === 0 ? "even" : "odd";
      expect(handled.get(id), id).toEqual(Array<string>(MESSAGES).fill(owner));
      expect(pongs(parts).sort(), id).toEqual(Array.from({ length: MESSAGES }, (_, n) => n));
    }
    for (const { parts } of links) parts.link.dispose();
    await Promise.all(hosts.map((h) => h.stop()));
  });
});
