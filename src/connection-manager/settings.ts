import { describe } from "../errors.js";
import { BLINKUP_BEHAVIORS, CM_BLINK_ON_DISCONNECT, CM_START_NO_ACTION, START_BEHAVIORS } from "./constants.js";
import type { BlinkUpBehavior, StartBehavior } from "./constants.js";
import { InvalidSettingError, UnknownSettingError } from "./setting-errors.js";

/** Backoff between retries (beyond the original, which retried at once). Seconds. */
export interface RetrySettings {
  /** The first retry's delay, and the floor of every later one; > 0. */
  minDelay: number;
  /** The cap; >= minDelay. */
  maxDelay: number;
  /** "full" (the default): a uniform draw under the exponential ceiling; "none": the ceiling itself. */
  jitter?: "full" | "none";
}

/** `new ConnectionManager(root, settings)`: every key optional (connection-manager.md, "Settings"). */
export interface ConnectionManagerSettings {
  startBehavior?: StartBehavior;
  stayConnected?: boolean;
  retryOnTimeout?: boolean;
  blinkupBehavior?: BlinkUpBehavior;
  /** Seconds between watchdog checks. */
  checkTimeout?: number;
  /** Seconds, passed to server.connect(). */
  connectTimeout?: number;
  errorPolicy?: number;
  waitPolicy?: number;
  ackTimeout?: number;
  retry?: RetrySettings | null;
}

export interface ResolvedRetry {
  minDelay: number;
  maxDelay: number;
  jitter: "full" | "none";
}

export interface ResolvedSettings {
  startBehavior: StartBehavior;
  stayConnected: boolean;
  retryOnTimeout: boolean;
  blinkupBehavior: BlinkUpBehavior;
  checkTimeout: number;
  connectTimeout: number;
  errorPolicy: number;
  waitPolicy: number;
  ackTimeout: number;
  retry: ResolvedRetry | null;
}

const KEYS = [
  "startBehavior",
  "stayConnected",
  "retryOnTimeout",
  "blinkupBehavior",
  "checkTimeout",
  "connectTimeout",
  "errorPolicy",
  "waitPolicy",
  "ackTimeout",
  "retry",
] as const satisfies readonly (keyof ConnectionManagerSettings)[];

const RETRY_KEYS = ["minDelay", "maxDelay", "jitter"] as const satisfies readonly (keyof RetrySettings)[];

/**
 * Checks every key before anything happens, so a bad settings object changes
 * nothing on the device. The policies' defaults are the device's own constants
 * (R02: compare by name, never by literal), hence passed in.
 */
export function resolveSettings(raw: unknown, policies: { errorPolicy: number; waitPolicy: number }): ResolvedSettings {
  if (raw === undefined) raw = {};
  if (!isPlainObject(raw)) throw new InvalidSettingError("settings", "an object", describe(raw));
  checkKeys(raw, KEYS, "");
  const s = raw as Record<string, unknown>;
  return {
    startBehavior: oneOf(s, "startBehavior", START_BEHAVIORS, "CM_START_NO_ACTION, CM_START_CONNECTED or CM_START_DISCONNECTED") ?? CM_START_NO_ACTION,
    stayConnected: bool(s, "stayConnected") ?? false,
    retryOnTimeout: bool(s, "retryOnTimeout") ?? true,
    blinkupBehavior: oneOf(s, "blinkupBehavior", BLINKUP_BEHAVIORS, "CM_BLINK_ALWAYS, CM_BLINK_NEVER, CM_BLINK_ON_CONNECT or CM_BLINK_ON_DISCONNECT") ?? CM_BLINK_ON_DISCONNECT,
    checkTimeout: seconds(s, "checkTimeout") ?? 5,
    connectTimeout: seconds(s, "connectTimeout") ?? 60,
    // Which policy values exist depends on the release: setsendtimeoutpolicy checks them (R03).
    errorPolicy: integer(s, "errorPolicy") ?? policies.errorPolicy,
    waitPolicy: integer(s, "waitPolicy") ?? policies.waitPolicy,
    ackTimeout: seconds(s, "ackTimeout") ?? 1,
    retry: retry(s.retry),
  };
}

function retry(v: unknown): ResolvedRetry | null {
  if (v === undefined || v === null) return null;
  if (!isPlainObject(v)) throw new InvalidSettingError("retry", "an object { minDelay, maxDelay, jitter }", describe(v));
  checkKeys(v, RETRY_KEYS, "retry.");
  const r = v as Record<string, unknown>;
  const minDelay = seconds(r, "minDelay", "retry.");
  const maxDelay = seconds(r, "maxDelay", "retry.");
  if (minDelay === undefined) throw new InvalidSettingError("retry.minDelay", "a number of seconds > 0", "undefined");
  if (maxDelay === undefined) throw new InvalidSettingError("retry.maxDelay", "a number of seconds > 0", "undefined");
  if (maxDelay < minDelay) throw new InvalidSettingError("retry.maxDelay", `at least retry.minDelay (${minDelay})`, String(maxDelay));
  const jitter = oneOf(r, "jitter", ["full", "none"] as const, '"full" or "none"', "retry.") ?? "full";
  return { minDelay, maxDelay, jitter };
}

function checkKeys(obj: object, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new UnknownSettingError(prefix + key, known.map((k) => prefix + k), suggest(key, known, prefix));
  }
}

// An explicit `undefined` reads as absent, as an optional TypeScript property would.

function bool(s: Record<string, unknown>, key: string): boolean | undefined {
  const v = s[key];
  if (v === undefined || typeof v === "boolean") return v;
  throw new InvalidSettingError(key, "a boolean", describe(v));
}

function seconds(s: Record<string, unknown>, key: string, prefix = ""): number | undefined {
  const v = s[key];
  if (v === undefined) return undefined;
  if (typeof v === "number" && Number.isFinite(v) && v > 0) return v;
  throw new InvalidSettingError(prefix + key, "a number of seconds > 0", describe(v));
}

function integer(s: Record<string, unknown>, key: string): number | undefined {
  const v = s[key];
  if (v === undefined) return undefined;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new InvalidSettingError(key, "an integer policy constant", describe(v));
}

function oneOf<T>(s: Record<string, unknown>, key: string, allowed: readonly T[], names: string, prefix = ""): T | undefined {
  const v = s[key];
  if (v === undefined) return undefined;
  if (allowed.includes(v as T)) return v as T;
  throw new InvalidSettingError(prefix + key, `one of ${names}`, describe(v));
}

function isPlainObject(v: unknown): v is object {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The known key nearest to a misspelt one, if it is near enough to be a typo. */
function suggest(key: string, known: readonly string[], prefix: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? prefix + best : undefined;
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}
