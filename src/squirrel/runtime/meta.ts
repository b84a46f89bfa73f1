import { SqTable } from "../table.js";
import { Block, SqError, SqInstance, SqUserData } from "../values.js";
import type { SqClass } from "../values.js";
import type { SqValue } from "../values.js";
import { call } from "./calls.js";

/** A table's (through its delegate) or an instance's (through its class) metamethod, or null. */
export function metamethod(v: SqValue, name: string): SqValue {
  if (v instanceof SqTable) {
    const d = v.delegate;
    if (d === null) return null;
    return d.get(name) ?? null;
  }
  if (v instanceof SqInstance) return classMetamethod(v.cls, name);
  if (v instanceof SqUserData) return null;
  return null;
}

/** A class's metamethod, or null. */
export function classMetamethod(cls: SqClass, name: string): SqValue {
  return cls.metamethods.get(name) ?? null;
}

/**
 * Runs a metamethod to completion from inside an operator. Operators are
 * plain functions (that keeps arithmetic fast), so a metamethod cannot block:
 * a blocking call inside one is a clear error instead of a silent hang.
 */
export function callMeta(fn: SqValue, self: SqValue, args: SqValue[]): SqValue {
  return runSync(call(fn, self, args), "a metamethod");
}

export function runSync(it: Generator<unknown, SqValue, SqValue>, where: string): SqValue {
  const r = it.next();
  if (r.done) return r.value;
  if (r.value instanceof Block) void r.value.promise.catch(() => undefined);
  throw new SqError(`cannot block or yield inside ${where}`);
}
