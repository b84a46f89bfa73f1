import { afterAll, describe, expect, it, vi } from "vitest";
import { RealClock } from "../../src/clock/real-clock.js";
import { AgentHost } from "../../src/cloud/agent-host.js";
import type { AgentHostOptions } from "../../src/cloud/agent-host.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { attempt, makeLink } from "../host/harness.js";
import { startMosquitto } from "../host/real-parts.js";
import { startCloud } from "../host/support-cloud.js";

/** A broker, a device registered on it and a service user for agent hosts. */
interface Backend {
  url: string;
  port: number;
  device: { id: string; secret: string };
  service: { user: string; secret: string };
  stop(): Promise<void>;
}

async function embedded(): Promise<Backend> {
  const cloud = await startCloud();
  const id = "sess-dev";
  return { url: cloud.url, port: cloud.port, device: { id, secret: cloud.registry.addDevice(id) }, service: { user: "hosts", secret: cloud.registry.addService("hosts") }, stop: () => cloud.stop() };
}

async function mosquitto(): Promise<Backend> {
  const broker = await startMosquitto({ "sess-dev": "dev-secret", agents: "agent-secret" }, { persistence: true });
  return { url: `mqtt://127.0.0.1:${broker.port}`, port: broker.port, device: { id: "sess-dev", secret: "dev-secret" }, service: { user: "agents", secret: "agent-secret" }, stop: () => broker.stop() };
}

describe.each([
  ["the embedded broker", embedded],
  ["mosquitto", mosquitto],
])("agent hosts keep their session across a restart, on %s", (_name, start) => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it("R33 what a device sends while its agent host is down reaches the agent when the host is back", async () => {
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
    let host = await AgentHost.start(options);
    const parts = makeLink({ id: b.device.id, secret: b.device.secret, server: { host: "127.0.0.1", port: b.port, tls: false } });
    expect(await attempt(parts)).toMatchObject({ ok: true });
    stops.push(() => Promise.resolve(parts.link.dispose()));
    const send = (n: number) => new Promise<void>((resolve) => parts.link.send({ kind: "message", name: "n", data: n, bytes: 1 }, resolve)); // resolves on the broker's PUBACK
    await send(1);
    await vi.waitFor(() => expect(got).toEqual([1]));
    await host.stop();
    await send(2);
    await send(3); // both acknowledged by the broker while no host is connected
    host = await AgentHost.start(options); // the same partitions and devices: the same session
    stops.push(() => host.stop());
    await vi.waitFor(() => expect(got).toEqual([1, 2, 3]));
  });
});
