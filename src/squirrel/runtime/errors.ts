import { ImpnetError } from "../../errors.js";
import { SqError } from "../values.js";
import type { SqValue } from "../values.js";

/** Raises a runtime error with Squirrel's stock text. */
export function raise(message: string): never {
  throw new SqError(message);
}

/** A turn ran more operations than its budget: it is an endless loop (S7). Squirrel code cannot catch it. */
export class RunawayError extends SqError {
  constructor(limit: number) {
    super(`the program ran more than ${limit} loop iterations and calls in one turn without returning (an endless loop?)`);
  }
}

/**
 * The most elements (array) or bytes (blob, string) one allocation may ask
 * for. The imp has well under a megabyte; past this, a program gets Squirrel's
 * catchable error instead of taking the whole host process down with it.
 */
export const MAX_ALLOCATION = 1 << 24;

export function checkAllocation(n: number, what: string): void {
  if (n > MAX_ALLOCATION) raise(`not enough memory: ${what} of ${n} (impnet allows ${MAX_ALLOCATION} at once)`);
}

/** Errors that pass through Squirrel's try/catch untouched: the host stopping the program, a runaway. */
export function uncatchable(e: unknown): boolean {
  return e instanceof RunawayError || (e instanceof ImpnetError && (e.code === "IMPNET_PROGRAM_STOPPED" || e.code === "IMPNET_RUNAWAY_TIMERS"));
}

/** The value a Squirrel `catch (e)` receives for a JS-side error. */
export function caughtValue(e: unknown): SqValue {
  if (e instanceof SqError) return e.value;
  if (e instanceof RangeError) return isStackOverflow(e) ? "stack overflow" : `not enough memory (${e.message})`;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * V8's stack overflow. A plain substring test: it runs where the stack is all
 * but spent, and a regular expression compiled there for the first time can
 * overflow itself (seen after a program restart).
 */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message.includes("Maximum call stack size exceeded");
}
