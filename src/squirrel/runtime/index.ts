import { SqFloat } from "../values.js";
import type { SqClass, SqValue } from "../values.js";
import type { SqTable } from "../table.js";
import { cloneOf, compound, compoundName, del, get, getName, has, incMember, incName, instOf, newslot, root, set, setName, table, typeOf, classNewSlot } from "./access.js";
import { baseOf, call, callMember, closure, genYield, newClass, resume, thrown, tick } from "./calls.js";
import { caught, frame } from "./frames.js";
import { iter } from "./iterate.js";
import { add, band, bnot, bor, bxor, cmp3, div, eq, ge, gt, le, lt, mod, mul, neg, shl, shr, sub, t, ushr } from "./ops.js";

function classMember(cls: SqClass, key: SqValue, value: SqValue, isStatic: boolean, attrs: SqTable | null): void {
  classNewSlot(cls, key, value, isStatic);
  if (attrs !== null) cls.memberAttributes.set(key, attrs);
}

/** Everything compiled code calls (codegen's RUNTIME_NAMES), shared by every VM: the running VM comes from context.ts. */
export const runtime = {
  add, sub, mul, div, mod, neg, band, bor, bxor, shl, shr, ushr, bnot,
  eq, lt, le, gt, ge, cmp3, t, typeOf, cloneOf, has, instOf,
  get, set, newslot, del, getName, setName, compound, compoundName, incMember, incName,
  call, callMember, resume, closure, newClass, classMember, table, iter,
  frame, caught, tick, root, baseOf, genYield, thrown,
};

export function floats(values: number[]): SqFloat[] {
  return values.map((v) => new SqFloat(v));
}
