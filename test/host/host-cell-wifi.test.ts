import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realTarget } from "../../src/cli/run-command.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import * as C from "../../src/constants.js";
import { mmcliPath } from "../../src/network/host/modem-state.js";
import { attempt, makeLink } from "./harness.js";
import { tempDir } from "./real-parts.js";
import { startCloud } from "./support-cloud.js";

/**
 * The host stack's wl0 and cell0 layers read the real state: the association
 * from iw, the modem, SIM and registration from ModemManager's mmcli (issue 9
 * point 4: no made-up success). Here iw and mmcli are scripts answering as the
 * real ones print, and lo plays the interface, marked wireless in a sysfs tree
 * the test writes; the rest of the path (address, TCP, MQTT) is real.
 */

function executable(name: string, body: string): string {
  const file = path.join(tempDir("impnet-fake-"), name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** iw answering `dev lo link` with this association. */
const iw = (ssid: string | null) =>
  executable("iw", ssid === null ? `echo "Not connected."` : `printf 'Connected to 00:11:22:aa:bb:cc (on lo)\\n\\tSSID: ${ssid}\\n\\tfreq: 2412\\n'`);

const MODEM = "/org/freedesktop/ModemManager1/Modem/0";
/** mmcli answering `-L -J` and `-m MODEM -J` as ModemManager would. */
function mmcli(modem: { present?: boolean; sim?: string; state?: string; failed?: string; registration?: string }): string {
  const list = JSON.stringify({ "modem-list": modem.present === false ? [] : [MODEM] });
  const detail = JSON.stringify({
    modem: {
      generic: { state: modem.state ?? "registered", "state-failed-reason": modem.failed ?? "--", sim: modem.sim ?? "/org/freedesktop/ModemManager1/SIM/0", "unlock-required": "--" },
      "3gpp": { "registration-state": modem.registration ?? "home" },
    },
  });
  return executable("mmcli", `case "$1" in -L) echo '${list}' ;; *) echo '${detail}' ;; esac`);
}

/** A sysfs tree where lo is up, and wireless when asked. */
function sys(wireless: boolean): string {
  const root = tempDir("impnet-sys-");
  mkdirSync(path.join(root, "lo"));
  writeFileSync(path.join(root, "lo", "operstate"), "up\n");
  writeFileSync(path.join(root, "lo", "carrier"), "1\n");
  if (wireless) mkdirSync(path.join(root, "lo", "wireless"));
  return root;
}

describe("the host stack's wl0 and cell0 read the real state", () => {
  let cloud: EmbeddedCloud;
  beforeAll(async () => {
    cloud = await startCloud();
  });
  afterAll(() => cloud.stop());

  function wifiLink(id: string, extra: { iw: string; sysRoot: string }, configured = "Home") {
    const parts = makeLink({ id, secret: cloud.registry.addDevice(id), server: { host: "127.0.0.1", port: cloud.port, tls: false }, iface: "wifi", extra });
    parts.model.wifi = { ssid: configured, key: "k" };
    return parts;
  }

  it("R10 a wireless wl0 associated with the configured network connects", async () => {
    const outcome = await attempt(wifiLink("wl-home", { iw: iw("Home"), sysRoot: sys(true) }), 5000, "wifi");
    expect(outcome).toMatchObject({ ok: true, reason: C.SERVER_CONNECTED });
  });

  it("R10 a wireless wl0 associated with another network: NO_WIFI at once, naming both", async () => {
    const outcome = await attempt(wifiLink("wl-cafe", { iw: iw("CafeNet"), sysRoot: sys(true) }), 5000, "wifi");
    expect(outcome).toMatchObject({ ok: false, reason: C.NO_WIFI, layer: "wifi" });
    expect(outcome.detail).toBe('lo is associated with "CafeNet" (00:11:22:aa:bb:cc, 2412 MHz), the device is configured for "Home"');
  });

  it("R18 connectwith's wificonfig names the network for its attempt only", async () => {
    const parts = wifiLink("wl-with", { iw: iw("CafeNet"), sysRoot: sys(true) });
    const now = parts.clock.now();
    parts.link.startAttempt({ id: 900, iface: "wifi", startedAt: now, deadline: now + 5000, wps: false, wifi: { ssid: "CafeNet", key: "k" } });
    await parts.recorder.until(() => parts.recorder.ended.some((e) => e.id === 900));
    expect(parts.recorder.ended.find((e) => e.id === 900)!.outcome).toMatchObject({ ok: true });
  });

  it("R10 a wireless wl0 not associated: NO_WIFI at the deadline, the last answer in the detail", async () => {
    const outcome = await attempt(wifiLink("wl-none", { iw: iw(null), sysRoot: sys(true) }), 1500, "wifi");
    expect(outcome).toMatchObject({ ok: false, reason: C.NO_WIFI, layer: "wifi" });
    expect(outcome.detail).toMatch(/not associated.*\(timed out\)$/);
    expect(outcome.layers.at(-1)!.ms).toBeGreaterThanOrEqual(1400);
  });

  it("R10 an interface configured as wl0 that is not wireless has only its carrier to read: iw is not asked", async () => {
    const outcome = await attempt(wifiLink("wl-cable", { iw: "/nonexistent/iw", sysRoot: sys(false) }), 5000, "wifi");
    expect(outcome).toMatchObject({ ok: true });
  });

  function cellLink(id: string, fake: string) {
    return makeLink({ id, secret: cloud.registry.addDevice(id), server: { host: "127.0.0.1", port: cloud.port, tls: false }, iface: "cell", extra: { mmcli: fake } });
  }

  it.each([
    { what: "a registered modem", modem: {}, reason: C.SERVER_CONNECTED, layer: undefined, detail: undefined },
    { what: "roaming", modem: { registration: "roaming" }, reason: C.SERVER_CONNECTED, layer: undefined, detail: undefined },
    { what: "no modem", modem: { present: false }, reason: C.NO_MODEM, layer: "modem", detail: /no modem/ },
    { what: "no SIM", modem: { sim: "--", state: "failed", failed: "sim-missing" }, reason: C.SIM_ERROR, layer: "sim", detail: /SIM missing/ },
    { what: "registration denied", modem: { state: "enabled", registration: "denied" }, reason: C.REGISTRATION_DENIED, layer: "registration", detail: /denied/ },
  ])("R10 cell0 with $what: ModemManager's state decides", async ({ modem, reason, layer, detail }) => {
    const outcome = await attempt(cellLink(`cell-${String(reason)}-${layer ?? "ok"}-${Object.values(modem).join("")}`, mmcli(modem)), 5000, "cell");
    expect(outcome).toMatchObject({ reason, ...(layer === undefined ? {} : { layer }) });
    if (detail !== undefined) expect(outcome.detail).toMatch(detail);
  });

  it("R10 cell0 still searching for a network: NO_REGISTRATION at the deadline", async () => {
    const outcome = await attempt(cellLink("cell-searching", mmcli({ state: "searching", registration: "searching" })), 2500, "cell");
    expect(outcome).toMatchObject({ ok: false, reason: C.NO_REGISTRATION, layer: "registration" });
    expect(outcome.layers.at(-1)!.ms).toBeGreaterThanOrEqual(2000);
  });

  it("R10 impnet run with cell0 needs ModemManager's mmcli: refused with what to install when it is missing", () => {
    const options = { server: "mqtt://127.0.0.1:1883", id: "d", interface: ["cell0=lo"] };
    const env = { IMPNET_DEVICE_SECRET: "s" };
    if (mmcliPath() === undefined) expect(() => realTarget(options, env, "p.nut")).toThrow(/cell0=lo: impnet reads the modem, SIM and registration from ModemManager, whose mmcli is not installed \(apt-get install modemmanager\)/);
    else expect(realTarget(options, env, "p.nut").linkOptions.mmcli).toBe(mmcliPath());
  });
});
