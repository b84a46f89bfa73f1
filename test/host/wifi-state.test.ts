import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { checkSsid, isWireless, iwPath, readAssociation } from "../../src/network/host/wifi-state.js";
import type { Association } from "../../src/network/host/wifi-state.js";

/**
 * A fake iw: `iw dev <if> link` runs <if>.sh, written by `canned`, which prints
 * with the shell's builtin printf only, so a property's many runs cost one
 * process each. "slow" sleeps in a child of the shell, so killing the shell
 * alone would leave the pipe open: the timeout must still bound the answer.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), "impnet-iw-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const iw = path.join(dir, "iw");
writeFileSync(
  iw,
  `#!/bin/sh
[ "$1 $3 $#" = "dev link 3" ] || { echo "fake iw: unexpected arguments: $*" >&2; exit 2; }
[ "$2" = slow ] && { sleep 3; exit 0; }
. '${dir}'/"$2.sh"
`,
);
chmodSync(iw, 0o755);

/** Every byte as an octal escape: printf then writes exactly these bytes, NULs and all. */
const octal = (data: string | Uint8Array) => [...Buffer.from(data)].map((b) => `\\${b.toString(8).padStart(3, "0")}`).join("");

function canned(ifName: string, out: string | Uint8Array, err = "", code = 0): void {
  writeFileSync(path.join(dir, `${ifName}.sh`), `printf '${octal(out)}'\nprintf '${octal(err)}' >&2\nexit ${code}\n`);
}

/** iw's rendering of SSID bytes (util.c print_ssid_escaped; older iw left space and backslash alone). */
function iwEscape(ssid: string): string {
  const bytes = [...Buffer.from(ssid, "utf8")];
  return bytes
    .map((b, i) => {
      const plain = b >= 0x21 && b <= 0x7e && b !== 0x5c;
      const innerSpace = b === 0x20 && i !== 0 && i !== bytes.length - 1;
      return plain || innerSpace ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
    })
    .join("");
}

const linked = (ssidAsIwPrintsIt: string, on = "wlan0") =>
  `Connected to 00:11:22:aa:bb:cc (on ${on})\n\tSSID: ${ssidAsIwPrintsIt}\n\tfreq: 2412.0\n` +
  "\tRX: 51234 bytes (310 packets)\n\tTX: 8812 bytes (77 packets)\n\tsignal: -47 dBm\n" +
  "\trx bitrate: 65.0 MBit/s MCS 7\n\ttx bitrate: 72.2 MBit/s MCS 7 short GI\n" +
  "\tbss flags: short-slot-time\n\tdtim period: 2\n\tbeacon int: 100\n";

canned("wlan0", linked("Caf\\xc3\\xa9 Wi Fi \\x5c 2"));
canned("wlan1", "Not connected.\n");
canned("eth0", "", "command failed: No such device (-19)\n", 1);
// Real iw exits with its negative errno, so the shell sees 161 here.
canned("veth0", "", "command failed: Operation not supported (-95)\n", 161);

const associated = (ssid: string): Association => ({ associated: true, ssid, detail: `wlan0 is associated with ${JSON.stringify(ssid)}` });

describe("readAssociation: iw dev <if> link", () => {
  it("R10 R18 associated: the SSID, spaces and escaped bytes decoded, is the network's real name", async () => {
    const a = await readAssociation("wlan0", { iw });
    expect(a).toEqual({ associated: true, ssid: "Café Wi Fi \\ 2", detail: 'wlan0 is associated with "Café Wi Fi \\\\ 2" (00:11:22:aa:bb:cc, 2412 MHz)' });
    expect(checkSsid(a, "Café Wi Fi \\ 2")).toEqual({ ok: true });
  });

  it("R10 not connected: the wifi layer fails, saying the interface is associated with nothing", async () => {
    const a = await readAssociation("wlan1", { iw });
    expect(a).toEqual({ associated: false, detail: "wlan1 is not associated with any network" });
    expect(checkSsid(a, undefined)).toEqual({ ok: false, detail: "wlan1 is not associated with any network" });
  });

  it("R10 an interface iw cannot ask: iw's own error is the cause, with its exit status", async () => {
    expect(await readAssociation("eth0", { iw })).toEqual({ associated: false, detail: "iw: command failed: No such device (-19) (exit 1)" });
    expect(await readAssociation("veth0", { iw })).toEqual({ associated: false, detail: "iw: command failed: Operation not supported (-95) (exit 161)" });
  });

  it("R10 iw that does not answer is cut off at timeoutMs, even with a child holding its output open", { timeout: 2000 }, async () => {
    expect(await readAssociation("slow", { iw, timeoutMs: 149.2 })).toEqual({ associated: false, detail: "iw: no answer within 150 ms" });
    expect(await readAssociation("wlan0", { iw, timeoutMs: 0 })).toEqual({ associated: false, detail: "iw: no time left to ask" });
  });

  it("R10 an aborted attempt stops iw at once; an already aborted one does not start it", { timeout: 2000 }, async () => {
    const running = new AbortController();
    const pending = readAssociation("slow", { iw, signal: running.signal });
    running.abort();
    expect(await pending).toEqual({ associated: false, detail: "iw: aborted" });
    expect(await readAssociation("wlan0", { iw, signal: AbortSignal.abort() })).toEqual({ associated: false, detail: "iw: aborted" });
  });

  it("R10 iw that cannot be run, and output that is not iw's, are causes too", async () => {
    expect(await readAssociation("wlan0", { iw: path.join(dir, "missing") })).toEqual({
      associated: false,
      detail: `iw: cannot run ${path.join(dir, "missing")} (ENOENT)`,
    });
    canned("odd", "hello\n");
    expect(await readAssociation("odd", { iw })).toEqual({ associated: false, detail: 'iw: unexpected output for odd: "hello"' });
    canned("nossid", "Connected to 00:11:22:aa:bb:cc (on nossid)\n\tfreq: 2412\n");
    expect(await readAssociation("nossid", { iw })).toEqual({ associated: false, detail: "iw: nossid is connected to 00:11:22:aa:bb:cc but iw names no SSID" });
  });

  it("R10 iw's other shapes: half-connected and ad-hoc are not associated; a multi-link (MLO) connection is", async () => {
    canned("auth", "Authenticated with 00:11:22:AA:BB:CC (on auth)\nNot connected.\n");
    expect(await readAssociation("auth", { iw })).toEqual({ associated: false, detail: "auth is authenticated with 00:11:22:aa:bb:cc but not associated" });
    canned("ibss", "Joined IBSS 02:11:22:aa:bb:cc (on ibss)\n\tSSID: cell\n\tfreq: 2412\n");
    expect(await readAssociation("ibss", { iw })).toEqual({ associated: false, detail: 'ibss joined the ad-hoc network "cell" (IBSS), not an access point' });
    canned("mlo", "Connected to 00:11:22:aa:bb:00 (on mlo)\n\tSSID: Home\n\tLink 0 BSSID 00:11:22:aa:bb:01\n\t\tfreq: 5180.0\nMLD 00:11:22:aa:bb:00 stats:\n\tsignal: -50 dBm\n");
    expect(await readAssociation("mlo", { iw })).toMatchObject({ associated: true, ssid: "Home" });
    canned("latin1", linked("Caf\\xe9", "latin1"));
    expect(await readAssociation("latin1", { iw })).toMatchObject({ associated: true, ssid: "Caf\\xe9", detail: expect.stringContaining("(not UTF-8)") as string });
  });

  it.skipIf(iwPath() !== undefined)("R10 without iw installed the wifi layer says so", async () => {
    expect((await readAssociation("wlan0")).detail).toMatch(/^iw: not installed/);
  });

  it("iwPath finds an executable iw or nothing", () => {
    const found = iwPath();
    if (found !== undefined) expect(["/usr/sbin/iw", "/usr/bin/iw", "/sbin/iw", "/usr/local/sbin/iw", "/usr/local/bin/iw"]).toContain(found);
  });

  it("R10 any output at all: readAssociation never throws, and a failure always says why", { timeout: 15_000 }, async () => {
    const line = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("Connected to 00:11:22:aa:bb:cc (on x)", "\tSSID: ", "\tSSID: \\x", "\tfreq: 2412", "Not connected.", "Joined IBSS 00:11:22:aa:bb:cc (on x)"),
    );
    const output = fc.oneof(fc.array(line, { maxLength: 6 }).map((ls) => ls.join("\n")), fc.uint8Array({ maxLength: 64 }));
    await fc.assert(
      fc.asyncProperty(output, fc.constantFrom(0, 0, 1, 255), async (out, code) => {
        canned("fuzz", out, code === 0 ? "" : "command failed: whatever\n", code);
        const a = await readAssociation("fuzz", { iw });
        if (a.associated) expect(typeof a.ssid).toBe("string");
        expect(a.detail.length).toBeGreaterThan(0);
      }),
      { numRuns: 20 },
    );
  });

  it("R18 any SSID, as iw escapes it, is read back as exactly that SSID", { timeout: 15_000 }, async () => {
    const ssid = fc
      .oneof(fc.string({ unit: "binary", maxLength: 32 }), fc.string({ unit: fc.constantFrom("\\", "x", "4", "1", " ", "é"), maxLength: 12 }))
      .filter((s) => Buffer.from(s, "utf8").toString("utf8") === s && Buffer.byteLength(s, "utf8") <= 32);
    await fc.assert(
      fc.asyncProperty(ssid, async (s) => {
        canned("prop", linked(iwEscape(s), "prop"));
        const a = await readAssociation("prop", { iw });
        expect(a).toMatchObject({ associated: true, ssid: s });
        expect(checkSsid(a, s)).toEqual({ ok: true });
      }),
      { numRuns: 20 },
    );
  });
});

describe("isWireless: how the kernel marks a WiFi interface", () => {
  it("a wireless/ or phy80211 entry makes it wireless; a veth or ethernet has neither", () => {
    const sys = mkdtempSync(path.join(os.tmpdir(), "impnet-sys-"));
    try {
      mkdirSync(path.join(sys, "wlan0", "wireless"), { recursive: true });
      mkdirSync(path.join(sys, "wlp2s0", "phy80211"), { recursive: true });
      mkdirSync(path.join(sys, "veth0"), { recursive: true });
      expect(isWireless("wlan0", sys)).toBe(true);
      expect(isWireless("wlp2s0", sys)).toBe(true);
      expect(isWireless("veth0", sys)).toBe(false);
      expect(isWireless("absent", sys)).toBe(false);
    } finally {
      rmSync(sys, { recursive: true, force: true });
    }
  });
});

describe("checkSsid: the wifi layer's verdict", () => {
  it("R10 not associated: fails with the association's own detail", () => {
    expect(checkSsid({ associated: false, detail: "wlan0 is not associated with any network" }, "Home")).toEqual({
      ok: false,
      detail: "wlan0 is not associated with any network",
    });
  });

  it("R10 associated and no network configured: any network will do", () => {
    expect(checkSsid(associated("CafeNet"), undefined)).toEqual({ ok: true });
  });

  it("R18 associated with the network the device is configured for: ok", () => {
    expect(checkSsid(associated("Home"), "Home")).toEqual({ ok: true });
  });

  it("R10 R18 associated with another network than the one configured: the wifi layer fails, naming both", () => {
    expect(checkSsid(associated("CafeNet"), "Home")).toEqual({
      ok: false,
      detail: 'wlan0 is associated with "CafeNet", the device is configured for "Home"',
    });
  });

  it("R18 the names compare exactly: case and spaces count", () => {
    expect(checkSsid(associated("home"), "Home").ok).toBe(false);
    expect(checkSsid(associated("Home "), "Home").ok).toBe(false);
    expect(checkSsid(associated("Café"), "Cafe\u0301").ok).toBe(false);
  });
});
