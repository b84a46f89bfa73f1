import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { findTool, TOOL_DIRS } from "./host-tool.js";
import path from "node:path";

/**
 * Which network a host WiFi interface is associated with, for the attempt's
 * `wifi` layer (R10, R18). The kernel exposes the association only through
 * nl80211, so we ask `iw` (Debian package iw) rather than speak netlink.
 */

/**
 * The kernel gives a cfg80211 interface a `phy80211` link and a wext one a
 * `wireless` directory; a veth or ethernet configured as wl0 has neither, and
 * only its carrier can be checked.
 */
export function isWireless(ifName: string, sysRoot = "/sys/class/net"): boolean {
  const dir = path.join(sysRoot, ifName);
  return existsSync(path.join(dir, "wireless")) || existsSync(path.join(dir, "phy80211"));
}

/** The installed iw, or undefined. */
export function iwPath(): string | undefined {
  return findTool("iw");
}

export type Association = { associated: true; ssid: string; detail: string } | { associated: false; detail: string };

/**
 * `iw dev <if> link`, parsed. Never throws: whatever goes wrong becomes a
 * non-association whose detail starts with "iw:", the cause for the layer.
 */
export async function readAssociation(
  ifName: string,
  options: { iw?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Association> {
  const iw = options.iw ?? iwPath();
  if (iw === undefined) return { associated: false, detail: `iw: not installed (looked in ${TOOL_DIRS.join(", ")})` };
  // The caller passes the attempt's time left: fractional, or none at all.
  const timeoutMs = Math.ceil(options.timeoutMs ?? 3000);
  if (!(timeoutMs > 0)) return { associated: false, detail: "iw: no time left to ask" };
  if (options.signal?.aborted) return { associated: false, detail: "iw: aborted" };
  try {
    const run = await runIw(iw, ["dev", ifName, "link"], timeoutMs, options.signal);
    if (!run.ok) return { associated: false, detail: `iw: ${run.why}` };
    return parseLink(ifName, run.stdout);
  } catch (e) {
    // execFile throws synchronously on arguments it refuses (a NUL in ifName).
    return { associated: false, detail: `iw: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The wifi layer's verdict: associated, and with the configured network when there is one (R18). */
export function checkSsid(association: Association, wanted: string | undefined): { ok: true } | { ok: false; detail: string } {
  if (!association.associated) return { ok: false, detail: association.detail };
  if (wanted === undefined || association.ssid === wanted) return { ok: true };
  return { ok: false, detail: `${association.detail}, the device is configured for ${JSON.stringify(wanted)}` };
}

type Run = { ok: true; stdout: Buffer } | { ok: false; why: string };

function runIw(iw: string, args: string[], timeoutMs: number, signal: AbortSignal | undefined): Promise<Run> {
  return new Promise((resolve) => {
    // execFile closes our end of the pipes when it kills iw on timeout or
    // abort, so a child that inherited them cannot stretch the wait.
    execFile(
      iw,
      args,
      { encoding: "buffer", timeout: timeoutMs, killSignal: "SIGKILL", signal, windowsHide: true },
      (err, stdout, stderr) => {
        if (err === null) return resolve({ ok: true, stdout });
        if (err.name === "AbortError") return resolve({ ok: false, why: "aborted" });
        if (err.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return resolve({ ok: false, why: "output too long" });
        if (err.killed === true) return resolve({ ok: false, why: `no answer within ${timeoutMs} ms` });
        if (typeof err.code === "string") return resolve({ ok: false, why: `cannot run ${iw} (${err.code})` });
        const said = firstLine(stderr.toString("utf8")) ?? firstLine(stdout.toString("utf8"));
        const how = typeof err.code === "number" ? `exit ${err.code}` : `signal ${err.signal ?? "?"}`;
        resolve({ ok: false, why: said === undefined ? how : `${said} (${how})` });
      },
    );
  });
}

const CONNECTED = /^Connected to ([0-9a-f:]{17}) \(on .*\)$/i;
const JOINED_IBSS = /^Joined IBSS ([0-9a-f:]{17}) \(on .*\)$/i;
const AUTHENTICATED = /^Authenticated with ([0-9a-f:]{17}) \(on .*\)$/i;
const SSID_LINE = /^\s+SSID: (.*)$/;
const FREQ_LINE = /^\s+freq: (\d+)/;

/**
 * iw's link.c prints "Connected to <bssid> (on <if>)" and then tab-indented
 * "SSID: …", "freq: …" (and, for an MLO link, "Link N BSSID …" lines); an
 * ad-hoc cell is "Joined IBSS", a half-done connection "Authenticated with";
 * nothing at all is "Not connected.".
 */
function parseLink(ifName: string, stdout: Buffer): Association {
  // latin1 keeps one char per byte, so the SSID's raw bytes survive until decodeSsid.
  const lines = stdout.toString("latin1").split("\n");
  const connected = findLine(lines, CONNECTED);
  if (connected !== undefined) {
    const ssidText = firstMatch(connected.after, SSID_LINE);
    if (ssidText === undefined) return { associated: false, detail: `iw: ${ifName} is connected to ${connected.mac} but iw names no SSID` };
    const { ssid, utf8 } = decodeSsid(ssidText);
    const freq = firstMatch(connected.after, FREQ_LINE);
    const where = freq === undefined ? connected.mac : `${connected.mac}, ${freq} MHz`;
    return { associated: true, ssid, detail: `${ifName} is associated with ${JSON.stringify(ssid)}${utf8 ? "" : " (not UTF-8)"} (${where})` };
  }
  const ibss = findLine(lines, JOINED_IBSS);
  if (ibss !== undefined) {
    const ssidText = firstMatch(ibss.after, SSID_LINE);
    const name = ssidText === undefined ? "an ad-hoc network" : `the ad-hoc network ${JSON.stringify(decodeSsid(ssidText).ssid)}`;
    return { associated: false, detail: `${ifName} joined ${name} (IBSS), not an access point` };
  }
  const auth = findLine(lines, AUTHENTICATED);
  if (auth !== undefined) return { associated: false, detail: `${ifName} is authenticated with ${auth.mac} but not associated` };
  if (lines.some((l) => l.trim() === "Not connected.")) return { associated: false, detail: `${ifName} is not associated with any network` };
  const said = firstLine(stdout.toString("utf8"));
  return { associated: false, detail: `iw: unexpected output for ${ifName}: ${said === undefined ? "(nothing)" : JSON.stringify(said.slice(0, 120))}` };
}

/** The first line the pattern matches: its MAC address and the lines below it. */
function findLine(lines: string[], re: RegExp): { mac: string; after: string[] } | undefined {
  for (const [i, line] of lines.entries()) {
    const m = re.exec(line);
    if (m?.[1] !== undefined) return { mac: m[1].toLowerCase(), after: lines.slice(i + 1) };
  }
  return undefined;
}

/**
 * iw prints an SSID byte that is not printable ASCII (and a backslash, and a
 * leading or trailing space) as \xNN. Undo that to get the SSID's bytes; they
 * are UTF-8 text for any network a device can be configured for. Bytes that
 * are not UTF-8 keep iw's escaped form, which no configured name can equal by
 * accident short of spelling out the escapes.
 */
function decodeSsid(text: string): { ssid: string; utf8: boolean } {
  const bytes = Buffer.from(
    text.replace(/\\x([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  );
  try {
    return { ssid: new TextDecoder("utf-8", { fatal: true }).decode(bytes), utf8: true };
  } catch {
    return { ssid: text, utf8: false };
  }
}

function firstMatch(lines: string[], re: RegExp): string | undefined {
  for (const line of lines) {
    const m = re.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

function firstLine(text: string): string | undefined {
  return text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "");
}
