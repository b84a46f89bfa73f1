import { SqError } from "../values.js";
import type { FunctionInfo, SqValue } from "../values.js";
import { caughtValue, uncatchable } from "./errors.js";

/** Frames kept on one error: deep recursion would otherwise list thousands. */
const MAX_FRAMES = 64;

/**
 * Called by every compiled function's catch as an error leaves it: turns a
 * JS-side error into a Squirrel one and adds this function's frame, so an
 * uncaught error carries the Squirrel stack innermost first (S7).
 */
export function frame(e: unknown, info: FunctionInfo, line: number): unknown {
  let err: SqError;
  if (e instanceof SqError) err = e;
  else if (uncatchable(e)) return e; // the host stopped the program, or it ran away: nothing of Squirrel may catch it
  else {
    err = new SqError(caughtValue(e));
    (err as { cause?: unknown }).cause = e;
  }
  if (err.frames.length < MAX_FRAMES) err.frames.push({ fn: info.name === "" ? "unknown" : info.name, file: info.file, line });
  return err;
}

/** What `catch (e)` binds. */
export function caught(e: unknown): SqValue {
  if (uncatchable(e)) throw e;
  return caughtValue(e);
}
