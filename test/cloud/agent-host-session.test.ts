import { afterAll, describe, expect, it, vi } from "vitest";
import { RealClock } from "../../src/clock/real-clock.js";
import { AgentHost } from "../../src/cloud/agent-host.js";
import type { AgentHostOptions } from "../../src/cloud/agent-host.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { attempt, makeLink } from "../host/harness.js";
import { startMosquitto, tempDir } from "../host/real-parts.js";
import { startCloud } from "../host/support-cloud.js";

/** A broker, a device registered on it and a service user for agent hosts. */
interface Backend {
  url: string;
  port: number;
  device: { id: string; secret: string };
  service: { user: string; secret: string };
  /** Stops the broker and starts it again in place (same port, same data). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function embedded(): Promise<Backend> {
  const dataDir = tempDir();
  let cloud = await startCloud({ dataDir });
  const id = "sess-dev";
  const port = cloud.port;
  return {
    url: cloud.url,
    port,
    device: { id, secret: cloud.registry.addDevice(id) },
    service: { user: "hosts", secret: cloud.registry.addService("hosts") },
    restart: async () => {
      await cloud.stop();
      cloud = await startCloud({ dataDir, port });
    },
    stop: () => cloud.stop(),
  };
}

async function mosquitto(): Promise<Backend> {
  const broker = await startMosquitto({ "sess-dev": "dev-secret", agents: "agent-secret" }, { persistence: true });
  return { url: `mqtt://127.0.0.1:${broker.port}`, port: broker.port, device: { id: "sess-dev", secret: "dev-secret" }, service: { user: "agents", secret: "agent-secret" }, restart: async () => {
      await broker.stop();
      await broker.start();
    }, stop: () => broker.stop() };
}

describe.each([
  ["the embedded broker", embedded],
  ["mosquitto", mosquitto],
])("agent hosts keep their session across a restart, on %s", (_name, start) => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  /** A broker, an agent host for its device collecting what the agent gets, and the device online on the host stack. */
  async function setUp() {
    const b = await start();
    stops.push(() => b.stop());
    const got: unknown[] = [];
    const options: AgentHostOptions = {
      broker: { url: b.url },
      username: b.service.user,
      secret: b.service.secret,
      clock: new RealClock(),
      sink: new ArraySink(),
      agentFor: () => ({ device }) => device.on("n", (d) => void got.push(d)),
    };
    const host = await AgentHost.start(options);
    const parts = makeLink({ id: b.device.id, secret: b.device.secret, server: { host: "127.0.0.1", port: b.port, tls: false } });
    expect(await attempt(parts)).toMatchObject({ ok: true });
    stops.push(() => Promise.resolve(parts.link.dispose()));
    const send = (n: number) => new Promise<void>((resolve) => parts.link.send({ kind: "message", name: "n", data: n, bytes: 1 }, resolve)); // resolves on the broker's PUBACK
    await send(1);
    await vi.waitFor(() => expect(got).toEqual([1]));
    return { b, got, options, host, parts, send };
  }

  it("R33 what a device sends while its agent host is down reaches the agent when the host is back", async () => {
    const { got, options, host, send } = await setUp();
    await host.stop();
    await send(2);
    await send(3); // both acknowledged by the broker while no host is connected
    const again = await AgentHost.start(options); // the same partitions and devices: the same session
    stops.push(() => again.stop());
    await vi.waitFor(() => expect(got).toEqual([1, 2, 3]));
  });

  it("R33 the broker restarted while the host is down keeps what waited for the host, and the host's subscriptions", async () => {
    const { b, got, options, host, parts, send } = await setUp();
    await host.stop();
    await send(2); // waits at the broker for the host
    await b.restart();
    parts.link.dispose();
    const back = makeLink({ id: b.device.id, secret: b.device.secret, server: { host: "127.0.0.1", port: b.port, tls: false } });
    stops.push(() => Promise.resolve(back.link.dispose()));
    expect(await attempt(back)).toMatchObject({ ok: true });
    // Sent before any host is back: only the session the broker kept subscribes to it.
    await new Promise<void>((resolve) => back.link.send({ kind: "message", name: "n", data: 3, bytes: 1 }, resolve));
    const again = await AgentHost.start(options);
    stops.push(() => again.stop());
    await vi.waitFor(() => expect(got).toEqual([1, 2, 3]));
  });
});
