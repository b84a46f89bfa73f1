import type { RUNTIME_NAMES } from "../compiler/codegen.js";
import { SqFloat } from "../values.js";
import type { SqClass, SqValue } from "../values.js";
import type { SqTable } from "../table.js";
import { cloneOf, compound, compoundName, del, get, getName, has, incMember, incName, instOf, newslot, root, set, setName, table, typeOf, classNewSlot, setMemberAttributes } from "./access.js";
import { baseOf, calleeCall, closure, genYield, invoke, invokeMember, newClass, PENDING, resume, take, thrown, tick } from "./calls.js";
import { caught, frame } from "./frames.js";
import { callMeta } from "./meta.js";
import { iter } from "./iterate.js";
import { add, band, bnot, bor, bxor, cmp3, div, eq, ge, gt, le, lt, mod, mul, neg, shl, shr, sub, t, ushr } from "./ops.js";

/** A member declared in a class body (NewSlotA): the class's `_newmember` (inherited from its base) takes it over when there is one. */
function classMember(cls: SqClass, key: SqValue, value: SqValue, isStatic: boolean, attrs: SqTable | null): void {
  const mm = cls.metamethods.get("_newmember");
  if (mm !== undefined) {
    callMeta(mm, cls, [key, value, attrs, isStatic]);
    return;
  }
  classNewSlot(cls, key, value, isStatic);
  if (attrs !== null) setMemberAttributes(cls, key, attrs);
}

/** Everything compiled code calls (codegen's RUNTIME_NAMES), shared by every VM: the running VM comes from context.ts. */
export const runtime = {
  add, sub, mul, div, mod, neg, band, bor, bxor, shl, shr, ushr, bnot,
  eq, lt, le, gt, ge, cmp3, t, typeOf, cloneOf, has, instOf,
  get, set, newslot, del, getName, setName, compound, compoundName, incMember, incName,
  calleeCall, invoke, invokeMember, take, PENDING, resume, closure, newClass, classMember, table, iter,
  frame, caught, tick, root, baseOf, genYield, thrown,
};

export function floats(values: number[]): SqFloat[] {
  return values.map((v) => new SqFloat(v));
}

// Every name the code generator emits exists here.
const _provided: Record<(typeof RUNTIME_NAMES)[number], unknown> = runtime;
