import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RealClock } from "../../src/clock/real-clock.js";
import * as C from "../../src/constants.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { attempt, makeLink } from "./harness.js";
import type { Running } from "./real-parts.js";
import { freePort, makeCertificates, startDns, startSilentServer, tempDir } from "./real-parts.js";
import { startForwarder } from "./forwarder.js";
import { startCloud } from "./support-cloud.js";


describe("host stack: server layers against the embedded cloud (aedes)", () => {
  let cloud: EmbeddedCloud;
  const sink = new ArraySink();
  beforeAll(async () => {
    cloud = await startCloud({}, sink);
  });
  afterAll(() => cloud.stop());
  const server = () => ({ host: "127.0.0.1", port: cloud.port, tls: false });

  it("R10 good credentials connect: every layer recorded, SERVER_CONNECTED after the CONNACK, logs reach the cloud", async () => {
    const secret = cloud.registry.addDevice("dev-good");
    const parts = makeLink({ id: "dev-good", secret, server: server() });
    const outcome = await attempt(parts);
    expect(outcome).toMatchObject({ ok: true, reason: C.SERVER_CONNECTED });
    expect(outcome.layers.map((l) => l.layer)).toEqual(["link", "ip", "dns", "tcp", "session"]);
    expect(outcome.layers.every((l) => l.ok && l.ms >= 0)).toBe(true);
    expect(parts.link.connected).toBe(true);
    expect(parts.link.address).toBe("127.0.0.1");
    parts.link.send({ kind: "log", text: "hello cloud", error: false });
    let acked = false;
    parts.link.send({ kind: "log", text: "acknowledged", error: true }, () => (acked = true));
    await new Promise<void>((resolve) => parts.link.whenDrained(resolve));
    expect(acked).toBe(true);
    await waitFor(() => sink.events.some((e) => e.type === "log" && e.text === "acknowledged"));
    expect(sink.events).toContainEqual(expect.objectContaining({ type: "log", device: "dev-good", text: "hello cloud", error: false }));
    parts.link.closeSession();
    expect(parts.link.connected).toBe(false);
  });

  it("R12 a wrong secret cannot connect: NO_SERVER with the CONNACK code in the detail", async () => {
    cloud.registry.addDevice("dev-wrong");
    const parts = makeLink({ id: "dev-wrong", secret: "not-the-secret", server: server() });
    const outcome = await attempt(parts);
    expect(outcome).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "session" });
    expect(outcome.detail).toMatch(/^CONNACK 4 /);
    expect(parts.link.connected).toBe(false);
  });

  it("R37 R34 back-to-back failures on one interface are paced: the pause is its own record, and a deadline in it reports the failure being retried, not a layer it never reached", async () => {
    const port = await freePort();
    const parts = makeLink({ id: "dev-paced", secret: "x", server: { host: "127.0.0.1", port, tls: false }, extra: { retryFloorMs: 300 } });
    expect(await attempt(parts, 60_000)).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "tcp" });
    const cut = await attempt(parts, 50); // the deadline falls inside the pause; the link is up all along
    expect(cut).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "tcp" });
    expect(cut.layers).toEqual([expect.objectContaining({ layer: "pause", ok: false })]);
    expect(cut.detail).toMatch(/^timed out in the 300 ms retry pause, retrying tcp \(.*ECONNREFUSED.*\)$/);
    const paced = await attempt(parts, 60_000);
    expect(paced.layers[0]).toMatchObject({ layer: "pause", ok: true });
    expect(paced.layers.map((l) => l.layer)).toEqual(["pause", "link", "ip", "dns", "tcp"]);
  });

  it("R10 broker port closed: NO_SERVER at once, the errno in the detail", async () => {
    const port = await freePort();
    const parts = makeLink({ id: "dev-closed", secret: "x", server: { host: "127.0.0.1", port, tls: false } });
    const outcome = await attempt(parts, 60_000);
    expect(outcome).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "tcp" });
    expect(outcome.detail).toContain("ECONNREFUSED");
  });

  it("R07 R10 a server that never answers: NO_SERVER at the deadline, from the layer in progress", async () => {
    const silent = await startSilentServer();
    try {
      const parts = makeLink({ id: "dev-silent", secret: "x", server: { host: "127.0.0.1", port: silent.port, tls: false } });
      const outcome = await attempt(parts, 100);
      expect(outcome).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "session" });
      expect(outcome.detail).toContain("timed out");
      expect(outcome.layers.at(-1)).toMatchObject({ layer: "session", ok: false });
    } finally {
      await silent.stop();
    }
  });

  it("R14 before release 40 the device is connected at TCP; the refused session then drops it with NO_SERVER", async () => {
    cloud.registry.addDevice("dev-old");
    const parts = makeLink({ id: "dev-old", secret: "wrong", server: server(), release: 38 });
    const outcome = await attempt(parts);
    expect(outcome).toMatchObject({ ok: true, reason: C.SERVER_CONNECTED });
    expect(outcome.layers.map((l) => l.layer)).toEqual(["link", "ip", "dns", "tcp"]);
    await parts.recorder.until(() => parts.recorder.losses.length > 0);
    expect(parts.recorder.losses[0]!.reason).toBe(C.NO_SERVER);
    expect(parts.recorder.losses[0]!.detail).toContain("CONNACK 4");
  });

  it("R27 a closed socket is seen at once: lost with NO_SERVER", async () => {
    const own = await startCloud();
    const secret = own.registry.addDevice("dev-loss");
    const parts = makeLink({ id: "dev-loss", secret, server: { host: "127.0.0.1", port: own.port, tls: false } });
    expect((await attempt(parts)).ok).toBe(true);
    await own.stop();
    await parts.recorder.until(() => parts.recorder.losses.length > 0);
    expect(parts.recorder.losses[0]!.reason).toBe(C.NO_SERVER);
  });

  it("R27 a silent server is found by impnet's keepalive (probe after the idle time, dead after the grace)", async () => {
    const secret = cloud.registry.addDevice("dev-keepalive");
    const forwarder = await startForwarder(cloud.port);
    try {
      const parts = makeLink({
        id: "dev-keepalive",
        secret,
        server: { host: "127.0.0.1", port: forwarder.port, tls: false },
        extra: { keepalive: { idleMs: 50, graceMs: 50 } },
      });
      expect((await attempt(parts)).ok).toBe(true);
      forwarder.freeze();
      await parts.recorder.until(() => parts.recorder.losses.length > 0);
      expect(parts.recorder.losses[0]).toEqual({ reason: C.NO_SERVER, detail: "keepalive: no answer within 0.05 s" });
    } finally {
      await forwarder.stop();
    }
  });

  it("R10 an interface that is not configured or does not exist: NO_LINK / NO_WIFI", async () => {
    const parts = makeLink({ id: "dev-nolink", secret: "x", server: server(), extra: { interfaces: { ethernet: "impnet-none0" } } });
    expect(await attempt(parts)).toMatchObject({ ok: false, reason: C.NO_LINK, layer: "link" });
    const wifi = makeLink({ id: "dev-nowifi", secret: "x", server: server(), iface: "wifi", extra: { interfaces: {} } });
    expect(await attempt(wifi, 5000, "wifi")).toMatchObject({ ok: false, reason: C.NO_WIFI, layer: "wifi", detail: "no host interface is configured for wl0" });
  });
});

describe("host stack: TLS", () => {
  let cloud: EmbeddedCloud;
  let certs: ReturnType<typeof makeCertificates>;
  beforeAll(async () => {
    certs = makeCertificates(tempDir("impnet-certs-"));
    cloud = await startCloud({ tls: { certFile: certs.certFile, keyFile: certs.keyFile } });
  });
  afterAll(() => cloud.stop());

  it("R10 TLS with the right CA connects, with a tls layer", async () => {
    const secret = cloud.registry.addDevice("dev-tls");
    const { readFileSync } = await import("node:fs");
    const parts = makeLink({ id: "dev-tls", secret, server: { host: "127.0.0.1", port: cloud.port, tls: true }, extra: { ca: readFileSync(certs.caFile) } });
    const outcome = await attempt(parts);
    expect(outcome).toMatchObject({ ok: true, reason: C.SERVER_CONNECTED });
    expect(outcome.layers.map((l) => l.layer)).toEqual(["link", "ip", "dns", "tcp", "tls", "session"]);
    parts.link.closeSession();
  });

  it("R12 TLS against the wrong CA: NO_SERVER with the TLS error in the detail", async () => {
    const { readFileSync } = await import("node:fs");
    const parts = makeLink({ id: "dev-tls-bad", secret: "x", server: { host: "127.0.0.1", port: cloud.port, tls: true }, extra: { ca: readFileSync(certs.otherCaFile) } });
    const outcome = await attempt(parts);
    expect(outcome).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "tls" });
    expect(outcome.detail).toMatch(/^TLS: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)/);
  });

  it("R12 verification is on by default: the system CAs do not know a throwaway CA", async () => {
    const parts = makeLink({ id: "dev-tls-default", secret: "x", server: { host: "127.0.0.1", port: cloud.port, tls: true } });
    expect(await attempt(parts)).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "tls" });
  });
});

describe("host stack: DNS", () => {
  let dns: Running;
  let hostsFile: string;
  beforeAll(async () => {
    dns = await startDns({ "broker.test": "127.0.0.1" }, ["silent.test"]);
    hostsFile = path.join(tempDir(), "hosts");
    writeFileSync(hostsFile, "# impnet test hosts\n127.0.0.1   from-hosts.test  other.test\n");
  });
  afterAll(() => dns.stop());
  const settings = () => ({ servers: [`127.0.0.1:${dns.port}`], hostsFile });
  const closed = { port: 1, tls: false };

  it("R10 a name DNS answers resolves, then the next layer runs", async () => {
    const parts = makeLink({ id: "dns-ok", secret: "x", server: { host: "broker.test", ...closed }, extra: { dns: settings() } });
    expect(await attempt(parts)).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "tcp" });
  });

  it("R10 the hosts file is honoured before DNS", async () => {
    const parts = makeLink({ id: "dns-hosts", secret: "x", server: { host: "other.test", ...closed }, extra: { dns: settings() } });
    expect(await attempt(parts)).toMatchObject({ ok: false, reason: C.NO_SERVER, layer: "tcp" });
  });

  it("R10 NXDOMAIN: NOT_RESOLVED at once, said so in the detail", async () => {
    const parts = makeLink({ id: "dns-nx", secret: "x", server: { host: "nowhere.test", ...closed }, extra: { dns: settings() } });
    const outcome = await attempt(parts, 60_000);
    expect(outcome).toMatchObject({ ok: false, reason: C.NOT_RESOLVED, layer: "dns", detail: "nowhere.test: NXDOMAIN" });
  });

  it("R10 no answer: NOT_RESOLVED at the deadline, told apart from NXDOMAIN", async () => {
    const parts = makeLink({ id: "dns-silent", secret: "x", server: { host: "silent.test", ...closed }, extra: { dns: settings() } });
    const outcome = await attempt(parts, 100);
    expect(outcome).toMatchObject({ ok: false, reason: C.NOT_RESOLVED, layer: "dns" });
    expect(outcome.detail).toContain("timed out");
    expect(outcome.detail).not.toContain("NXDOMAIN");
  });
});

async function waitFor(predicate: () => boolean): Promise<void> {
  const clock = new RealClock();
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise<void>((resolve) => clock.setTimer(10, resolve));
  expect(predicate()).toBe(true);
}
