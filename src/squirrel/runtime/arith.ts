import type { SqValue } from "../values.js";
import { add, div, mod, mul, sub } from "./ops.js";

const OPS: Record<string, (a: SqValue, b: SqValue) => SqValue> = { "+": add, "-": sub, "*": mul, "/": div, "%": mod };

/** The operator of a compound assignment (`+=` …). */
export function arith(op: string, a: SqValue, b: SqValue): SqValue {
  return OPS[op]!(a, b);
}
