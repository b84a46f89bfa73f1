import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep, tempDir } from "../host/real-parts.js";
import { CLOUD_NAME, makeNetBed, MOSQUITTO_PORT, MQTT_PORT, MQTTS_PORT, PROXY_NAME, PROXY_PASSWORD, PROXY_PORT, PROXY_USER } from "./netbed.js";
import type { DeviceRun, NetBed } from "./netbed.js";

/**
 * Every reason code provoked by a real fault on a real Linux network (issue 9
 * point 2): `impnet run` in its own namespace, the DNS server, the proxy and
 * the cloud in another, the fault made by ip, nftables or a signal. "At once"
 * and "at the deadline" are R10's two kinds of failure: an answer that says
 * no, or no answer until the attempt's time is up (the boot window, R25).
 */

const AT_ONCE_MS = 2_000;
const BOOT_WINDOW_MS = 10_000;
const PLAIN = `mqtt://${CLOUD_NAME}:${MQTT_PORT}`;

type Line = Record<string, unknown>;

/** What each fault gave, for RELIABILITY.md (printed after the file). */
const measured: string[] = [];
afterAll(() => {
  if (measured.length > 0) console.log(["| fault | reason | layer | detected after |", "|:--|:--|:--|--:|", ...measured.sort()].join("\n"));
});

function program(text: string): string {
  const file = path.join(tempDir("impnet-netns-prog-"), "device.nut");
  writeFileSync(file, text);
  return file;
}

const BOOT = program(`server.log("booted");`);
/** Keeps trying under RETURN_ON_ERROR; an unexpected loss is logged, impOS recovers by itself within R23's window. */
const STAY_ONLINE = program(`
server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
server.onunexpecteddisconnect(function(reason) { server.log("lost " + reason); });
`);

/** The first attempt's line, then the run is stopped. */
async function firstAttempt(run: DeviceRun): Promise<Line> {
  const attempt = await run.until("an attempt", (l) => l.type === "attempt");
  await run.stop();
  return attempt;
}

function record(fault: string, a: Line): void {
  measured.push(`| ${fault} | ${String(a.reasonName)} | ${(a.layer as string | undefined) ?? ""} | ${String(a.ms)} ms |`);
}

describe.concurrent("a device that cannot get online, on a real network: the faults that leave the network as it is", { timeout: 60_000 }, () => {
  let bed: NetBed;
  beforeAll(async () => {
    bed = await makeNetBed();
  }, 60_000);

  const proxy = (port: number) => ["--proxy", `http://${PROXY_USER}@${PROXY_NAME}:${port}`];
  it.each([
    { fault: "a name the DNS server does not know", reason: "NOT_RESOLVED", layer: "dns", detail: /NXDOMAIN/, args: ["--server", `mqtt://unknown.test:${MQTT_PORT}`] },
    { fault: "the broker's port closed", reason: "NO_SERVER", layer: "tcp", detail: /ECONNREFUSED/, args: ["--server", `mqtt://${CLOUD_NAME}:1999`] },
    { fault: "the proxy's port closed", reason: "NO_PROXY", layer: "proxy", detail: /ECONNREFUSED/, args: ["--server", PLAIN, ...proxy(9999)] },
    { fault: "the proxy refusing the credentials", reason: "NOT_AUTHORISED", layer: "proxy", detail: /HTTP 40[17]/, args: ["--server", PLAIN, ...proxy(PROXY_PORT)], env: { IMPNET_PROXY_PASSWORD: "wrong" } },
    { fault: "the proxy unable to reach the broker", reason: "NO_SERVER", layer: "tcp", detail: /5\d\d/, args: ["--server", "mqtt://10.77.0.99:1883", ...proxy(PROXY_PORT)], env: { IMPNET_PROXY_PASSWORD: PROXY_PASSWORD } },
  ])("R10 R11 R12 $fault: $reason at once, the cause in detail", async ({ fault, reason, layer, detail, args, env }) => {
    const a = await firstAttempt(bed.run(BOOT, args, env === undefined ? {} : { env }));
    record(fault, a);
    expect(a).toMatchObject({ reasonName: reason, layer });
    expect(a.detail).toMatch(detail);
    expect(a.ms).toBeLessThan(AT_ONCE_MS);
  });

  it("R12 an untrusted certificate: NO_SERVER at once, the TLS cause in detail", async () => {
    const a = await firstAttempt(bed.run(BOOT, ["--server", `mqtts://${CLOUD_NAME}:${MQTTS_PORT}`, "--ca", bed.otherCaFile]));
    record("an untrusted certificate", a);
    expect(a).toMatchObject({ reasonName: "NO_SERVER", layer: "tls" });
    expect(a.detail).toMatch(/certificate|self.signed|verify/i);
    expect(a.ms).toBeLessThan(AT_ONCE_MS);
  });

  it("R10 R11 the same paths healthy: TLS with the right CA, and the proxy with the right credentials", async () => {
    const tls = await firstAttempt(bed.run(BOOT, ["--server", `mqtts://${CLOUD_NAME}:${MQTTS_PORT}`, "--ca", bed.caFile]));
    expect(tls).toMatchObject({ reasonName: "SERVER_CONNECTED" });
    const proxied = await firstAttempt(bed.run(BOOT, ["--server", PLAIN, ...proxy(PROXY_PORT)], { env: { IMPNET_PROXY_PASSWORD: PROXY_PASSWORD } }));
    expect(proxied).toMatchObject({ reasonName: "SERVER_CONNECTED" });
    expect((proxied.layers as { layer: string }[]).map((l) => l.layer)).toContain("proxy");
  });
});

describe.concurrent("a device that cannot get online, on a real network: faults made in the network", { timeout: 60_000 }, () => {
  it("R10 the device's link down: NO_LINK at once; as a WiFi interface, NO_WIFI", { timeout: 60_000 }, async () => {
    const bed = await makeNetBed();
    await bed.exec(bed.device.ns, "ip", "link", "set", bed.device.iface, "down");
    const a = await firstAttempt(bed.run(BOOT, ["--server", PLAIN]));
    record("the link down (ethernet)", a);
    expect(a).toMatchObject({ reasonName: "NO_LINK", layer: "link" });
    expect(a.ms).toBeLessThan(AT_ONCE_MS);
    const w = await firstAttempt(bed.run(BOOT, ["--server", PLAIN], { iface: "wl0" }));
    record("the link down (WiFi)", w);
    expect(w).toMatchObject({ reasonName: "NO_WIFI", layer: "wifi", interface: "wl0" });
  });

  it("R10 the link up without an address: NO_IP_ADDRESS at the deadline, and an address that comes in time is taken", { timeout: 60_000 }, async () => {
    const bed = await makeNetBed();
    await bed.exec(bed.device.ns, "ip", "addr", "flush", "dev", bed.device.iface);
    const run = bed.run(program(`server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10); server.connect(function(r) {}, 30);`), ["--server", PLAIN]);
    const a = await run.until("the boot attempt", (l) => l.type === "attempt");
    record("the link up without an address", a);
    expect(a).toMatchObject({ reasonName: "NO_IP_ADDRESS", layer: "ip" });
    expect(a.ms).toBeGreaterThanOrEqual(BOOT_WINDOW_MS - 100);
    // The program's own attempt now waits for an address; it arrives, as a DHCP lease would.
    await run.until("the program", (l) => l.type === "boot");
    await sleep(1_000);
    await bed.exec(bed.device.ns, "ip", "addr", "add", "10.77.0.2/24", "dev", bed.device.iface);
    const late = await run.until("the program's attempt", (l) => l.type === "attempt" && l !== a);
    await run.stop();
    expect(late).toMatchObject({ reasonName: "SERVER_CONNECTED" });
    expect((late.layers as { layer: string; ms: number }[]).find((l) => l.layer === "ip")!.ms).toBeGreaterThanOrEqual(100); // it waited: without an address at its start, it did not fail
  });

  it("R10 a DNS server that says nothing: NOT_RESOLVED at the deadline", { timeout: 60_000 }, async () => {
    const bed = await makeNetBed();
    await bed.drop("udp dport 53 drop");
    await bed.drop("tcp dport 53 drop");
    const a = await firstAttempt(bed.run(BOOT, ["--server", PLAIN]));
    record("a silent DNS server", a);
    expect(a).toMatchObject({ reasonName: "NOT_RESOLVED", layer: "dns" });
    expect(a.ms).toBeGreaterThanOrEqual(BOOT_WINDOW_MS - 100);
  });

  it("R10 a broker whose packets are dropped: NO_SERVER at the deadline", { timeout: 60_000 }, async () => {
    const bed = await makeNetBed();
    await bed.drop(`tcp dport ${MQTT_PORT} drop`);
    const a = await firstAttempt(bed.run(BOOT, ["--server", PLAIN]));
    record("the broker's packets dropped", a);
    expect(a).toMatchObject({ reasonName: "NO_SERVER", layer: "tcp" });
    expect(a.ms).toBeGreaterThanOrEqual(BOOT_WINDOW_MS - 100);
  });
});

describe.concurrent("a connected device on a real network: losses and RETURN_ON_ERROR's silent recovery", { timeout: 60_000 }, () => {
  /** Runs STAY_ONLINE until connected, makes the fault, checks the loss, heals it, and checks the device is back with no callback (R23). */
  async function lossAndRecovery(fault: (bed: NetBed) => Promise<void> | void, heal: (bed: NetBed) => Promise<void> | void, name: string) {
    const bed = await makeNetBed();
    const run = bed.run(STAY_ONLINE, ["--server", PLAIN, "--for", "40s"]);
    const online = await run.until("connected", (l) => l.type === "connected");
    await fault(bed);
    const lost = await run.until("the loss", (l) => l.type === "disconnected");
    measured.push(`| ${name} (connected) | ${String(lost.reasonName)} | | ${Number(lost.t) - Number(online.t)} ms after connecting |`);
    await heal(bed);
    const back = await run.until("back online", (l) => l.type === "connected" && Number(l.t) > Number(lost.t));
    const r = await run.stop();
    expect(r.lines.filter((l) => l.type === "callback")).toEqual([]); // healed inside the window: no callback (R23)
    return { lost, back, lines: r.lines };
  }

  it("R27 R23 the link pulled: seen at once by the interface watcher (NO_LINK, not keepalive's NO_SERVER); back by itself when the link returns", { timeout: 60_000 }, async () => {
    const { lost } = await lossAndRecovery(
      async (bed) => void (await bed.exec(bed.device.ns, "ip", "link", "set", bed.device.iface, "down")),
      async (bed) => void (await bed.exec(bed.device.ns, "ip", "link", "set", bed.device.iface, "up")),
      "the link pulled",
    );
    expect(lost).toMatchObject({ expected: false, reasonName: "NO_LINK" });
    expect(lost.detail).toMatch(/operstate down|no carrier/); // what the watcher read in /sys: the loss came from the poll
  });

  it("R27 R23 the address removed: seen at once (NO_IP_ADDRESS); back when it returns", { timeout: 60_000 }, async () => {
    const { lost } = await lossAndRecovery(
      async (bed) => void (await bed.exec(bed.device.ns, "ip", "addr", "flush", "dev", bed.device.iface)),
      async (bed) => void (await bed.exec(bed.device.ns, "ip", "addr", "add", "10.77.0.2/24", "dev", bed.device.iface)),
      "the address removed",
    );
    expect(lost).toMatchObject({ expected: false, reasonName: "NO_IP_ADDRESS" });
  });

  it("R10 R27 mosquitto on the network side: the device connects, and a mosquitto killed under it is seen at once (NO_SERVER)", { timeout: 60_000 }, async () => {
    const bed = await makeNetBed();
    const run = bed.run(STAY_ONLINE, ["--server", `mqtt://${CLOUD_NAME}:${MOSQUITTO_PORT}`, "--for", "30s"]);
    const online = await run.until("connected", (l) => l.type === "connected");
    bed.mosquitto.kill("SIGKILL");
    const lost = await run.until("the loss", (l) => l.type === "disconnected");
    await run.stop();
    measured.push(`| mosquitto killed (connected) | ${String(lost.reasonName)} | | ${Number(lost.t) - Number(online.t)} ms after connecting |`);
    expect(lost).toMatchObject({ expected: false, reasonName: "NO_SERVER" });
  });

  it("R27 R23 the broker killed: its closed socket seen at once; back when it is restarted", { timeout: 60_000 }, async () => {
    const { lost } = await lossAndRecovery(
      (bed) => void bed.cloud.kill("SIGKILL"),
      (bed) => bed.restartCloud(),
      "the broker killed",
    );
    expect(lost).toMatchObject({ expected: false });
  });
});

describe.concurrent("a connected device on a real network: the slow failures, at the spec's own timings", { timeout: 60_000 }, () => {
  it("R27 a broker frozen (SIGSTOP) is found by keepalive: 60 s of silence, then 45 s without an answer; back when it thaws", { timeout: 180_000 }, async () => {
    const bed = await makeNetBed();
    const run = bed.run(STAY_ONLINE, ["--server", PLAIN, "--for", "150s"]);
    const online = await run.until("connected", (l) => l.type === "connected");
    bed.cloud.kill("SIGSTOP");
    const lost = await run.until("the loss", (l) => l.type === "disconnected");
    const after = Number(lost.t) - Number(online.t);
    measured.push(`| the broker frozen (connected) | ${String(lost.reasonName)} | | ${after} ms after connecting |`);
    expect(lost).toMatchObject({ expected: false, reasonName: "NO_SERVER" });
    expect(after).toBeGreaterThanOrEqual(105_000 - 100); // never before keepalive says so
    expect(lost.detail).toBe("keepalive: no answer within 45 s"); // found by keepalive, nothing else
    bed.cloud.kill("SIGCONT");
    await run.until("back online", (l) => l.type === "connected" && Number(l.t) > Number(lost.t));
    const r = await run.stop();
    expect(r.lines.filter((l) => l.type === "callback")).toEqual([]);
  });

  it("R23 RETURN_ON_ERROR: a loss longer than the 60 s window gives exactly one callback, then nothing reconnects by itself", { timeout: 120_000 }, async () => {
    const bed = await makeNetBed();
    const run = bed.run(STAY_ONLINE, ["--server", PLAIN, "--for", "90s"]);
    await run.until("connected", (l) => l.type === "connected");
    bed.cloud.kill("SIGKILL");
    const lost = await run.until("the loss", (l) => l.type === "disconnected");
    const callback = await run.until("the callback", (l) => l.type === "callback");
    expect(callback).toMatchObject({ api: "onunexpecteddisconnect", reasonName: "NO_SERVER" });
    expect(Number(callback.t) - Number(lost.t)).toBeGreaterThanOrEqual(60_000 - 100);
    await bed.restartCloud();
    await sleep(5_000); // time enough for a reconnect, if anything were still trying
    const r = await run.stop();
    expect(r.lines.filter((l) => l.type === "callback")).toHaveLength(1);
    expect(r.lines.filter((l) => l.type === "connected")).toHaveLength(1);
    const last = r.lines.filter((l) => l.type === "attempt").at(-1)!;
    expect(Number(last.t)).toBeLessThanOrEqual(Number(callback.t)); // no attempt after the window closed
  });

  it("R20 SUSPEND_ON_ERROR: a loss suspends the program; back within 60 s, it resumes where it was", { timeout: 120_000 }, async () => {
    const bed = await makeNetBed();
    const run = bed.run(program(`server.log("booted");`), ["--server", PLAIN, "--for", "40s"]);
    await run.until("connected", (l) => l.type === "connected");
    bed.cloud.kill("SIGKILL");
    const suspended = await run.until("suspend", (l) => l.type === "suspend");
    await sleep(3_000);
    await bed.restartCloud();
    const resumed = await run.until("resume", (l) => l.type === "resume");
    const r = await run.stop();
    expect(Number(resumed.t)).toBeGreaterThan(Number(suspended.t));
    expect(r.lines.filter((l) => l.type === "boot")).toHaveLength(1); // resumed, not restarted
  });
});
