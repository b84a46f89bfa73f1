import { reasonName } from "../constants.js";
import type { TimelineEvent } from "./events.js";
import { jsonValue } from "./json.js";

export interface HumanOptions {
  /** Plain ANSI colours; the caller decides (TTY, NO_COLOR, --color). */
  color: boolean;
  /** Pad device ids to this width so the columns line up; the runner knows the longest id. */
  deviceWidth?: number;
  /** The time column (default: `mm:ss.mmm` since the start; a server prints the wall clock). */
  time?: (t: number) => string;
}

const DEFAULT_DEVICE_WIDTH = 8;
/** "disconnected", the longest type name. */
const TYPE_WIDTH = 12;
/** Message data and world values are summarised: one event, one line. */
const MAX_VALUE_CHARS = 60;

const RED = "\x1b[31m";
const GREEN = "\x1b[32m";
const YELLOW = "\x1b[33m";
const DEFAULT_FG = "\x1b[39m";
const DIM = "\x1b[2m";
const NORMAL = "\x1b[22m";

const LINE_COLOR: Partial<Record<TimelineEvent["type"], string>> = { error: RED, connected: GREEN, online: GREEN, warning: YELLOW, refused: YELLOW };

/**
 * One timeline line for people, without the newline:
 * `02:31.280  dev-a     attempt       wl0 wifi  NO_SERVER  after 3.280s at server  (connection refused)`.
 * Not a contract: tools read `--json`.
 */
export function formatHuman(e: TimelineEvent, options: HumanOptions): string {
  const time = (options.time ?? formatTime)(e.t);
  const device = clean(e.device).padEnd(options.deviceWidth ?? DEFAULT_DEVICE_WIDTH);
  const rest = `${e.type.padEnd(TYPE_WIDTH)}  ${details(e)}`.trimEnd();
  if (!options.color) return `${time}  ${device}  ${rest}`;
  const color = LINE_COLOR[e.type];
  return color === undefined
    ? `${DIM}${time}${NORMAL}  ${device}  ${rest}`
    : `${color}${time}  ${device}  ${rest}${DEFAULT_FG}`;
}

/** `mm:ss.mmm`, or `h:mm:ss.mmm` from one hour on. */
export function formatTime(t: number): string {
  const ms = Number.isFinite(t) && t > 0 ? Math.floor(t) : 0;
  const h = Math.floor(ms / 3_600_000);
  const mmss = `${pad(Math.floor(ms / 60_000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** Local wall-clock time, `YYYY-MM-DD HH:MM:SS.mmm`: what a server's log is read against. */
export function formatWallTime(ms: number): string {
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
  return `${date} ${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(d.getMilliseconds(), 3)}`;
}

function details(e: TimelineEvent): string {
  switch (e.type) {
    case "boot":
      return e.cause;
    case "attempt": {
      const at = e.layer === undefined ? "" : ` at ${clean(e.layer)}`;
      const detail = e.detail === undefined ? "" : `  (${clean(e.detail)})`;
      return `${e.interface} ${e.interfaceType}  ${clean(e.reasonName)}  after ${seconds(e.ms)}${at}${detail}`;
    }
    case "connected":
      return e.interface;
    case "disconnected":
      if (e.expected) return "expected";
      if (e.reason === undefined) return "unexpected";
      return `unexpected  ${e.reasonName ?? reasonName(e.reason)}${e.detail === undefined ? "" : `  (${clean(e.detail)})`}`;
    case "callback":
      return `${e.api} ${e.reasonName}`;
    case "log":
      return `${e.error ? "[error] " : ""}${clean(JSON.stringify(e.text))}`;
    case "message":
      return `from ${e.from}  ${clean(e.name)}  ${summary(e.data)}`;
    case "suspend":
    case "resume":
      return "";
    case "sleep":
      return `for ${e.seconds}s`;
    case "warning":
      return clean(e.text);
    case "error": {
      // The whole stack would break the one-line-per-event layout; its first frame says where.
      const frame = e.stack.split("\n").find((line) => /^\s*at\s/.test(line));
      return frame === undefined ? clean(e.text) : `${clean(e.text)}  ${clean(frame.trim())}`;
    }
    case "world":
      return Object.entries(e.set)
        .map(([path, v]) => `${clean(path)}=${summary(v)}`)
        .join("  ");
    case "online":
      return [e.kind === "service" ? "service" : "", e.from === undefined ? "" : `from ${e.from}`].filter((s) => s !== "").join("  ");
    case "offline":
      return `${e.kind === "service" ? "service  " : ""}${clean(e.why)}`;
    case "refused":
      return `${clean(e.why)}${e.from === undefined ? "" : `  from ${e.from}`}`;
  }
}

function summary(v: unknown): string {
  if (v instanceof Uint8Array) return `<${v.byteLength} bytes>`;
  const text = clean(jsonValue(v) ?? "undefined");
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/**
 * Program-supplied text must not move the cursor, recolour the terminal or split
 * a line: control characters (C0, DEL, C1) are shown escaped.
 */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
