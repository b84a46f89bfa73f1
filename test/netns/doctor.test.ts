import { beforeAll, describe, expect, it } from "vitest";
import type { DoctorReport } from "../../src/cli/doctor-command.js";
import { CLOUD_NAME, makeNetBed, MQTT_PORT, MQTTS_PORT, PROXY_NAME, PROXY_PASSWORD, PROXY_PORT, PROXY_USER } from "./netbed.js";
import type { NetBed } from "./netbed.js";

/**
 * `impnet doctor` on the real network of the namespace test bed, against the
 * faults of real-faults.test.ts (issue 9 point 3): the layer, the reason a
 * device there gets, the raw cause and a hint for the failing layer; exit 0
 * when the path works, 1 when it fails.
 */

const PLAIN = `mqtt://${CLOUD_NAME}:${MQTT_PORT}`;
const proxy = (port: number) => ["--proxy", `http://${PROXY_USER}@${PROXY_NAME}:${port}`];

async function doctor(bed: NetBed, args: string[], env: NodeJS.ProcessEnv = {}, iface = "eth0"): Promise<{ code: number | null; report: DoctorReport; stderr: string }> {
  const r = await bed.doctor(["--json", "--timeout", "3s", "--interface", `${iface}=${bed.device.iface}`, ...args], env);
  const lines = r.stdout.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1); // exactly one object
  return { code: r.code, report: JSON.parse(lines[0]!) as DoctorReport, stderr: r.stderr };
}

describe.concurrent("impnet doctor on a real network: the faults that leave the network as it is", { timeout: 60_000 }, () => {
  let bed: NetBed;
  beforeAll(async () => {
    bed = await makeNetBed();
  }, 60_000);

  it.each([
    { fault: "a healthy path, with the device's credentials", args: ["--server", PLAIN, "--id", "(device)"], reason: "SERVER_CONNECTED", layer: undefined, hint: /gets online/ },
    { fault: "a healthy path without credentials", args: ["--server", PLAIN], reason: "SERVER_CONNECTED", layer: undefined, hint: /credentials were not checked/ },
    { fault: "a wrong device secret", args: ["--server", PLAIN, "--id", "(device)"], env: { IMPNET_DEVICE_SECRET: "wrong" }, reason: "NO_SERVER", layer: "session", hint: /refused the device's credentials/ },
    { fault: "a name the DNS server does not know", args: ["--server", `mqtt://unknown.test:${MQTT_PORT}`], reason: "NOT_RESOLVED", layer: "dns", hint: /name does not exist/ },
    { fault: "the broker's port closed", args: ["--server", `mqtt://${CLOUD_NAME}:1999`], reason: "NO_SERVER", layer: "tcp", hint: /nothing listens on the server's port/ },
    { fault: "the proxy's port closed", args: ["--server", PLAIN, ...proxy(9999)], reason: "NO_PROXY", layer: "proxy", hint: /nothing listens on the proxy's port/ },
    { fault: "the proxy refusing the credentials", args: ["--server", PLAIN, ...proxy(PROXY_PORT)], env: { IMPNET_PROXY_PASSWORD: "wrong" }, reason: "NOT_AUTHORISED", layer: "proxy", hint: /check the user and password given to imp.setproxy/ },
    { fault: "the proxy unable to reach the broker", args: ["--server", "mqtt://10.77.0.99:1883", ...proxy(PROXY_PORT)], env: { IMPNET_PROXY_PASSWORD: PROXY_PASSWORD }, reason: "NO_SERVER", layer: "tcp", hint: /proxy could not reach the server/ },
    { fault: "an untrusted certificate", args: ["--server", `mqtts://${CLOUD_NAME}:${MQTTS_PORT}`, "--ca", "(other CA)"], reason: "NO_SERVER", layer: "tls", hint: /not trusted here: give its CA with --ca/ },
    { fault: "TLS with the right CA", args: ["--server", `mqtts://${CLOUD_NAME}:${MQTTS_PORT}`, "--ca", "(CA)"], reason: "SERVER_CONNECTED", layer: undefined, hint: /credentials were not checked/ },
  ])("R10 R11 R12 $fault: $reason", async ({ args, env, reason, layer, hint }) => {
    const filled = args.map((a) => (a === "(device)" ? bed.deviceId : a === "(CA)" ? bed.caFile : a === "(other CA)" ? bed.otherCaFile : a));
    const { code, report } = await doctor(bed, filled, { IMPNET_DEVICE_SECRET: bed.secret, ...env });
    expect(report.reasonName).toBe(reason);
    expect(report.layer).toBe(layer);
    expect(report.hint).toMatch(hint);
    expect(code).toBe(reason === "SERVER_CONNECTED" ? 0 : 1);
    if (layer !== undefined) expect(report.layers.at(-1)).toMatchObject({ layer, ok: false });
  });

  it("prints one row per layer, the failing one with its raw cause, and the hint", async () => {
    const r = await bed.doctor(["--server", `mqtt://${CLOUD_NAME}:1999`, "--interface", `eth0=${bed.device.iface}`], {});
    expect(r.code).toBe(1);
    const rows = r.stdout.trimEnd().split("\n");
    expect(rows[0]).toBe(`impnet doctor: mqtt://${CLOUD_NAME}:1999 over eth0=${bed.device.iface}`);
    expect(rows.slice(1, 6).map((row) => row.trim().split(/\s+/).slice(0, 2))).toEqual([
      ["link", "ok"],
      ["ip", "ok"],
      ["dns", "ok"],
      ["tcp", "FAILED"],
      ["session", "-"],
    ]);
    expect(rows[4]).toMatch(/server 10\.77\.0\.1:1999: ECONNREFUSED$/);
    expect(rows.at(-2)).toBe("a device here gets NO_SERVER (4) at the tcp layer");
    expect(rows.at(-1)).toMatch(/^hint: nothing listens on the server's port/);
  });
});

describe.concurrent("impnet doctor on a real network: faults made in the network", { timeout: 60_000 }, () => {
  it.each([
    { fault: "the link down", make: (b: NetBed) => b.exec(b.device.ns, "ip", "link", "set", b.device.iface, "down"), reason: "NO_LINK", layer: "link", hint: /no link/ },
    { fault: "the link down on a WiFi interface", iface: "wl0", make: (b: NetBed) => b.exec(b.device.ns, "ip", "link", "set", b.device.iface, "down"), reason: "NO_WIFI", layer: "wifi", hint: /not associated/ },
    { fault: "no address", make: (b: NetBed) => b.exec(b.device.ns, "ip", "addr", "flush", "dev", b.device.iface), reason: "NO_IP_ADDRESS", layer: "ip", hint: /no IPv4 address/ },
    { fault: "a silent DNS server", make: (b: NetBed) => b.drop("udp dport 53 drop"), reason: "NOT_RESOLVED", layer: "dns", hint: /no DNS server answered/ },
    { fault: "the broker's packets dropped", make: (b: NetBed) => b.drop(`tcp dport ${MQTT_PORT} drop`), reason: "NO_SERVER", layer: "tcp", hint: /does not answer/ },
    { fault: "the broker frozen", make: (b: NetBed) => void b.cloud.kill("SIGSTOP"), reason: "NO_SERVER", layer: "session", hint: /never answered the MQTT CONNECT/ },
  ])("R10 $fault: $reason at the $layer layer", { timeout: 60_000 }, async ({ make, reason, layer, hint, iface }) => {
    const bed = await makeNetBed();
    await make(bed);
    const { code, report } = await doctor(bed, ["--server", PLAIN], {}, iface);
    expect(report).toMatchObject({ reasonName: reason, layer });
    expect(report.hint).toMatch(hint);
    expect(code).toBe(1);
    bed.cloud.kill("SIGCONT");
  });
});
