import type { SqTable } from "../table.js";

/**
 * The VM whose code is running. Squirrel runs one turn at a time on one
 * thread, so the runtime's operations read the running VM from here rather
 * than carrying it through every call; the VM sets it when a turn starts.
 */
export interface VmContext {
  root: SqTable;
  consts: SqTable;
  /** Loop iterations and calls left in this turn before it is a runaway (S7). */
  budget: number;
  /** Default delegates per type name, e.g. "array" → its methods. */
  delegates: Map<string, SqTable>;
  /** Host hook: names of emulated-but-absent things, etc. */
}

export let ctx: VmContext = null as unknown as VmContext;

export function setContext(c: VmContext): VmContext {
  const before = ctx;
  ctx = c;
  return before;
}
