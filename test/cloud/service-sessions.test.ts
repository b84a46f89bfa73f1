import { readFileSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { connect } from "mqtt";
import type { MqttClient } from "mqtt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualClock } from "../../src/clock/virtual-clock.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { SESSION_EXPIRY_MS, SESSIONS_FILE } from "../../src/cloud/service-sessions.js";
import { tempDir } from "../host/real-parts.js";
import { startCloud } from "../host/support-cloud.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cloudIn(dataDir: string, extra: Parameters<typeof startCloud>[0] = {}): Promise<EmbeddedCloud> {
  const cloud = await startCloud({ dataDir, ...extra });
  cleanups.push(() => cloud.stop());
  return cloud;
}

/** An agent host's session as a bare MQTT client: connects with clean:false and says whether the broker still had it. */
async function hostSession(cloud: EmbeddedCloud, secret: string, subscribe = false): Promise<{ sessionPresent: boolean; client: MqttClient }> {
  const client = connect(cloud.url, { username: "hosts", password: secret, clientId: "hosts:one", clean: false, protocolVersion: 4, reconnectPeriod: 0 });
  const sessionPresent = await new Promise<boolean>((resolve, reject) => {
    client.once("connect", (connack) => resolve(connack.sessionPresent));
    client.once("error", reject);
  });
  if (subscribe) await client.subscribeAsync("impnet/00/+/+", { qos: 1 });
  return { sessionPresent, client };
}

const sessionsIn = (dataDir: string) => path.join(dataDir, SESSIONS_FILE);
const saved = (dataDir: string): Record<string, unknown> => (JSON.parse(readFileSync(sessionsIn(dataDir), "utf8")) as { sessions: Record<string, unknown> }).sessions;

describe("agent hosts' sessions kept in the data folder (sessions.json)", () => {
  it("R33 hold the service users' sessions only, no secret, readable by their owner alone", async () => {
    const dataDir = tempDir();
    const cloud = await cloudIn(dataDir);
    const secret = cloud.registry.addService("hosts");
    const deviceSecret = cloud.registry.addDevice("dev-1");
    const { client } = await hostSession(cloud, secret, true);
    await client.endAsync();
    await vi.waitFor(() => expect(Object.keys(saved(dataDir))).toContain("hosts:one"));
    expect(Object.keys(saved(dataDir)).every((id) => id.includes(":"))).toBe(true);
    const text = readFileSync(sessionsIn(dataDir), "utf8");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(deviceSecret);
    expect(statSync(sessionsIn(dataDir)).mode & 0o777).toBe(0o600);
  });

  it("R33 a session offline for an hour is forgotten, with its subscriptions (virtual clock)", async () => {
    const dataDir = tempDir();
    const clock = new VirtualClock({ start: 1_800_000_000_000 });
    const cloud = await cloudIn(dataDir, { clock, wall: clock });
    const secret = cloud.registry.addService("hosts");
    const first = await hostSession(cloud, secret, true);
    expect(first.sessionPresent).toBe(false);
    await first.client.endAsync();
    clock.advance(SESSION_EXPIRY_MS - 1);
    const second = await hostSession(cloud, secret);
    expect(second.sessionPresent).toBe(true); // still there; the hour starts again at its next disconnect
    await second.client.endAsync();
    await vi.waitFor(() => expect(saved(dataDir)).toHaveProperty(["hosts:one"]));
    clock.advance(SESSION_EXPIRY_MS);
    await vi.waitFor(() => expect(saved(dataDir)).not.toHaveProperty(["hosts:one"]));
    const third = await hostSession(cloud, secret);
    expect(third.sessionPresent).toBe(false);
    await third.client.endAsync();
  });

  it("R33 a restart brings back the sessions saved within the hour, not older ones", async () => {
    for (const [ageMs, present] of [
      [SESSION_EXPIRY_MS - 60_000, true],
      [SESSION_EXPIRY_MS + 60_000, false],
    ] as const) {
      const dataDir = tempDir();
      const clock = new VirtualClock({ start: 1_800_000_000_000 });
      const session = { offlineSince: clock.now() - ageMs, subscriptions: [{ topic: "impnet/00/+/+", qos: 1 }], queued: [] };
      writeFileSync(sessionsIn(dataDir), JSON.stringify({ version: 1, sessions: { "hosts:one": session } }));
      const cloud = await cloudIn(dataDir, { clock, wall: clock });
      const { sessionPresent, client } = await hostSession(cloud, cloud.registry.addService("hosts"));
      expect(sessionPresent).toBe(present);
      await client.endAsync();
    }
  });

  it("R33 a session saved as offline since a time in the future expires an hour from now, not later", async () => {
    const dataDir = tempDir();
    const clock = new VirtualClock({ start: 1_800_000_000_000 });
    const session = { offlineSince: clock.now() + 2 * SESSION_EXPIRY_MS, subscriptions: [{ topic: "impnet/00/+/+", qos: 1 }], queued: [] };
    writeFileSync(sessionsIn(dataDir), JSON.stringify({ version: 1, sessions: { "hosts:one": session } }));
    const cloud = await cloudIn(dataDir, { clock, wall: clock });
    clock.advance(SESSION_EXPIRY_MS);
    await vi.waitFor(() => expect(saved(dataDir)).not.toHaveProperty(["hosts:one"]));
    const { sessionPresent, client } = await hostSession(cloud, cloud.registry.addService("hosts"));
    expect(sessionPresent).toBe(false);
    await client.endAsync();
  });

  it.each([
    ["not JSON", "{", /sessions\.json: not JSON/],
    ["a device's id among them", JSON.stringify({ version: 1, sessions: { "dev-1": { offlineSince: 0, subscriptions: [], queued: [] } } }), /sessions\.json: sessions\.dev-1: not a service user's client id/],
    ["a payload that is not base64", JSON.stringify({ version: 1, sessions: { "h:1": { offlineSince: 0, subscriptions: [], queued: [{ topic: "t", qos: 1, retain: false, payload: "%%" }] } } }), /sessions\.json: sessions\.h:1\.queued\.0\.payload/],
    ["another version", JSON.stringify({ version: 2, sessions: {} }), /sessions\.json: version/],
    ["a subscription wider than an agent host may make", JSON.stringify({ version: 1, sessions: { "h:1": { offlineSince: 0, subscriptions: [{ topic: "#", qos: 1 }], queued: [] } } }), /sessions\.h:1\.subscriptions\.0\.topic: not a filter an agent host may subscribe to/],
  ])("R33 a sessions file with %s stops the start with a line naming it, and is left as it was", async (_what, text, message) => {
    const dataDir = tempDir();
    writeFileSync(sessionsIn(dataDir), text);
    await expect(startCloud({ dataDir })).rejects.toThrow(message);
    await expect(startCloud({ dataDir })).rejects.toMatchObject({ code: "IMPNET_CLOUD_START" });
    expect(readFileSync(sessionsIn(dataDir), "utf8")).toBe(text);
  });

  it("R33 a start that fails (its port taken) leaves the sessions file to whoever holds it", async () => {
    const dataDir = tempDir();
    const text = `{ "version": 1, "sessions": { "hosts:one": { "offlineSince": ${Date.UTC(2026, 0, 1)}, "subscriptions": [], "queued": [] } } }`;
    writeFileSync(sessionsIn(dataDir), text);
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    await expect(startCloud({ dataDir, port: (taken.address() as AddressInfo).port })).rejects.toThrow(/cannot listen/);
    expect(readFileSync(sessionsIn(dataDir), "utf8")).toBe(text);
  });
});
