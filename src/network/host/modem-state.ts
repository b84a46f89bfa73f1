import { execFile } from "node:child_process";
import { findTool, TOOL_DIRS } from "./host-tool.js";
import type { ExecFileException } from "node:child_process";

/**
 * The cellular layers below PPP as ModemManager sees them, one verdict per layer
 * so each can fail with its own code (R10): modem NO_MODEM, SIM SIM_ERROR,
 * registration NO_REGISTRATION or REGISTRATION_DENIED. A failing verdict's
 * `detail` names what mmcli said; a layer above a failed one is "not read".
 */
export type ModemVerdict = { ok: true; path: string } | { ok: false; detail: string };
export type SimVerdict = { ok: true } | { ok: false; detail: string };
export type RegistrationVerdict = { ok: true; state: string } | { ok: false; denied: boolean; detail: string };

export interface ModemState {
  modem: ModemVerdict;
  sim: SimVerdict;
  registration: RegistrationVerdict;
}

export interface ReadModemOptions {
  /** The mmcli binary; by default the one mmcliPath() finds. */
  mmcli?: string;
  /** Bound on each mmcli run (default 5000 ms). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The installed mmcli, or undefined when ModemManager's CLI is not on this host. */
export function mmcliPath(dirs: readonly string[] = TOOL_DIRS): string | undefined {
  return findTool("mmcli", dirs);
}

/** `mmcli -L -J`, then `mmcli -m <first modem> -J`, judged layer by layer. Never rejects. */
export async function readModem(options: ReadModemOptions = {}): Promise<ModemState> {
  try {
    const bin = options.mmcli ?? mmcliPath();
    if (bin === undefined) return unread("mmcli: not installed");
    const list = await run(bin, ["-L", "-J"], options);
    if (!list.ok) return unread(list.detail);
    const found = parseModemList(list.out);
    if (!found.ok) return unread(found.detail);
    const modem = await run(bin, ["-m", found.path, "-J"], options);
    if (!modem.ok) return unread(modem.detail);
    return judgeModem(found.path, modem.out);
  } catch (e) {
    // The judging is written not to throw; this keeps a caller's attempt alive if it ever does.
    return unread(`mmcli: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The first modem in `mmcli -L -J` output: `{"modem-list": ["/org/freedesktop/ModemManager1/Modem/0", ...]}`. */
export function parseModemList(out: string): ModemVerdict {
  const json = parseJson(out);
  if (!json.ok) return json;
  const list = field(json.value, "modem-list");
  if (!Array.isArray(list)) return { ok: false, detail: 'mmcli: no "modem-list" in its list of modems' };
  const first: unknown = list[0];
  if (first === undefined) return { ok: false, detail: "mmcli: no modem" };
  // The path goes back to mmcli as an argument: one starting with "-" would be read as an option.
  if (typeof first !== "string" || !first.startsWith("/"))
    return { ok: false, detail: `mmcli: modem list entry ${clip(JSON.stringify(first) ?? "")} is not a path` };
  return { ok: true, path: first };
}

// mmcli -J prints every value as a string, and an unknown or none value as "--".
const SIM_FAILURES: Readonly<Record<string, string>> = {
  "sim-missing": "SIM missing",
  "sim-error": "SIM error",
  "esim-without-profiles": "eSIM without a profile",
};
// ModemManager itself runs on with only PIN2/PUK2 pending: they guard SIM records, not the network.
const NOT_BLOCKING = new Set(["--", "none", "sim-pin2", "sim-puk2"]);
// The csfb-not-preferred states are home and roaming on an LTE-only attach: data works.
const REGISTERED = new Set(["home", "roaming", "home-csfb-not-preferred", "roaming-csfb-not-preferred"]);
const ATTACHED = new Set(["registered", "connecting", "connected", "disconnecting"]);

/** The layers from `mmcli -m <path> -J` output: `{"modem": {"generic": {...}, "3gpp": {...}}}`. */
export function judgeModem(modemPath: string, out: string): ModemState {
  const json = parseJson(out);
  if (!json.ok) return unread(json.detail);
  const modem = field(json.value, "modem");
  const generic = field(modem, "generic");
  if (!isObject(generic)) return unread(`mmcli: no "modem.generic" for ${clip(modemPath)}`);
  const state = text(generic, "state");
  const reason = text(generic, "state-failed-reason");
  if (state === "failed" && (reason === undefined || SIM_FAILURES[reason] === undefined))
    return unread(`mmcli: modem failed (state-failed-reason ${shown(reason)})`);
  const sim = judgeSim(generic, state, reason);
  const okModem: ModemVerdict = { ok: true, path: modemPath };
  if (!sim.ok) return { modem: okModem, sim, registration: { ok: false, denied: false, detail: "not read: SIM not ready" } };
  return { modem: okModem, sim, registration: judgeRegistration(field(modem, "3gpp"), state) };
}

function judgeSim(generic: Record<string, unknown>, state: string | undefined, reason: string | undefined): SimVerdict {
  const failure = reason === undefined ? undefined : SIM_FAILURES[reason];
  if (state === "failed" && failure !== undefined) return { ok: false, detail: `mmcli: ${failure} (state-failed-reason ${reason})` };
  const sim = text(generic, "sim");
  if (sim === undefined || sim === "--" || sim === "") return { ok: false, detail: "mmcli: SIM missing (no SIM path)" };
  const lock = text(generic, "unlock-required");
  if (lock !== undefined && lock !== "" && !NOT_BLOCKING.has(lock)) return { ok: false, detail: `mmcli: SIM locked (${clip(lock)})` };
  if (state === "locked") return { ok: false, detail: `mmcli: SIM locked (state locked, unlock-required ${shown(lock)})` };
  return { ok: true };
}

function judgeRegistration(gpp: unknown, state: string | undefined): RegistrationVerdict {
  if (!isObject(gpp)) return { ok: false, denied: false, detail: 'mmcli: registration unknown (no "modem.3gpp")' };
  const reg = text(gpp, "registration-state");
  if (reg === undefined) return { ok: false, denied: false, detail: "mmcli: registration unknown (no 3gpp.registration-state)" };
  if (reg === "denied") return { ok: false, denied: true, detail: "mmcli: registration denied" };
  if (!REGISTERED.has(reg))
    return { ok: false, denied: false, detail: `mmcli: registration ${reg === "--" || reg === "" ? "unknown" : clip(reg)}` };
  // A registration the modem's own state does not back (say, still "enabling") is not one yet.
  if (state === undefined || !ATTACHED.has(state))
    return { ok: false, denied: false, detail: `mmcli: registration ${reg} but modem state ${shown(state)}` };
  return { ok: true, state: reg };
}

type Ran = { ok: true; out: string } | { ok: false; detail: string };

function run(bin: string, args: string[], options: ReadModemOptions): Promise<Ran> {
  // execFile's timeout 0 means none: keep every run bounded.
  const timeoutMs = options.timeoutMs !== undefined && options.timeoutMs >= 1 ? Math.floor(options.timeoutMs) : 5000;
  if (options.signal?.aborted) return Promise.resolve({ ok: false, detail: "mmcli: aborted" });
  return new Promise((resolve) => {
    try {
      execFile(
        bin,
        args,
        // LC_ALL=C: mmcli's error lines are translated, and the detail should read the same everywhere.
        { timeout: timeoutMs, signal: options.signal, encoding: "utf8", maxBuffer: 1 << 20, env: { ...process.env, LC_ALL: "C" } },
        (error, stdout, stderr) =>
          resolve(error ? { ok: false, detail: runFailure(bin, error, stderr, timeoutMs, options.signal) } : { ok: true, out: stdout }),
      );
    } catch (e) {
      // execFile throws at once on arguments it refuses (a NUL in the path, say).
      resolve({ ok: false, detail: `mmcli: cannot run ${clip(bin)} (${e instanceof Error ? e.message : String(e)})` });
    }
  });
}

function runFailure(bin: string, error: ExecFileException, stderr: string, timeoutMs: number, signal?: AbortSignal): string {
  if (signal?.aborted || error.name === "AbortError") return "mmcli: aborted";
  if (error.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return "mmcli: output too large";
  if (error.code === "ENOENT") return `mmcli: not found at ${clip(bin)}`;
  if (typeof error.code === "string") return `mmcli: cannot run ${clip(bin)} (${error.code})`;
  if (error.killed) return `mmcli: timed out after ${timeoutMs} ms`;
  // mmcli says why on stderr, e.g. "error: couldn't find the ModemManager process in the bus".
  const said = (stderr.split("\n").find((line) => line.trim() !== "") ?? "").trim().replace(/^error:\s*/, "");
  if (typeof error.code === "number") return `mmcli: exited ${error.code}${said === "" ? "" : ` (${clip(said, 120)})`}`;
  if (error.signal) return `mmcli: killed by ${error.signal}`;
  return `mmcli: ${error.message}`;
}

function unread(detail: string): ModemState {
  return {
    modem: { ok: false, detail },
    sim: { ok: false, detail: "not read: no modem" },
    registration: { ok: false, denied: false, detail: "not read: no modem" },
  };
}

function parseJson(out: string): { ok: true; value: unknown } | { ok: false; detail: string } {
  try {
    const value: unknown = JSON.parse(out);
    return { ok: true, value };
  } catch {
    return { ok: false, detail: out.trim() === "" ? "mmcli: printed nothing" : `mmcli: output is not JSON (${clip(out.trim())})` };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// Own keys only: JSON may carry "__proto__" and friends, and a prototype's members are not mmcli's.
function field(v: unknown, key: string): unknown {
  return isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

function text(v: Record<string, unknown>, key: string): string | undefined {
  const value = field(v, key);
  return typeof value === "string" ? value : undefined;
}

function shown(value: string | undefined): string {
  return value === undefined || value === "" ? "absent" : clip(value);
}

function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
