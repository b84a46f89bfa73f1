import { InvalidArgumentError } from "../../errors.js";

/** Argument checks shared by the device API: each names the call and the argument. */

export function checkFunction(api: string, name: string, v: unknown): asserts v is (...args: never[]) => unknown {
  if (typeof v !== "function") throw new InvalidArgumentError(api, name, "a function", v);
}

export function checkPositiveSeconds(api: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new InvalidArgumentError(api, name, "a number of seconds > 0", v);
}

export function checkNonNegativeSeconds(api: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError(api, name, "a number of seconds >= 0", v);
}

export function checkString(api: string, name: string, v: unknown, maxLength = Infinity): asserts v is string {
  if (typeof v !== "string") throw new InvalidArgumentError(api, name, "a string", v);
  if (v.length > maxLength) throw new InvalidArgumentError(api, name, `a string of at most ${maxLength} characters`, v);
}

/** A secret (a proxy password, R29): checked like checkString, but its value never goes into the error. */
export function checkSecret(api: string, name: string, v: unknown, maxLength: number): asserts v is string {
  if (typeof v === "string" && v.length <= maxLength) return;
  const hidden = `[not shown: ${typeof v === "string" ? `${v.length} characters` : typeof v}]`;
  throw new InvalidArgumentError(api, name, `a string of at most ${maxLength} characters`, hidden);
}

export function checkInteger(api: string, name: string, v: unknown, min: number, max: number): asserts v is number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw new InvalidArgumentError(api, name, `an integer from ${min} to ${max}`, v);
}

export function checkOneOf<T>(api: string, name: string, v: unknown, allowed: readonly T[], names: string): asserts v is T {
  if (!allowed.includes(v as T)) throw new InvalidArgumentError(api, name, `one of ${names}`, v);
}

export function checkObject(api: string, name: string, v: unknown): asserts v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new InvalidArgumentError(api, name, "an object", v);
}
