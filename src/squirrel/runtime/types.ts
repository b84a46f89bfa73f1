import { SqTable } from "../table.js";
import { SqClass, SqClosure, SqFloat, SqGenerator, SqInstance, SqNative, SqUserData, SqWeakRef } from "../values.js";
import type { SqValue } from "../values.js";

/** Squirrel's type names, as type() and error texts give them. */
export function typeName(v: SqValue): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "number":
      return "integer";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    default:
      break;
  }
  if (v instanceof SqFloat) return "float";
  if (Array.isArray(v)) return "array";
  if (v instanceof SqTable) return "table";
  if (v instanceof SqClosure || v instanceof SqNative) return "function";
  if (v instanceof SqInstance) return "instance";
  if (v instanceof SqClass) return "class";
  if (v instanceof SqGenerator) return "generator";
  if (v instanceof SqWeakRef) return "weakref";
  if (v instanceof SqUserData) return "userdata";
  return "userdata";
}

export function isNumber(v: SqValue): v is number | SqFloat {
  return typeof v === "number" || v instanceof SqFloat;
}

/**
 * A number's value as a float operand: C converts an integer to SQFloat
 * (float32) before any mixed operation or comparison, so 16777217 == 16777217.0.
 */
export function num(v: number | SqFloat): number {
  return typeof v === "number" ? Math.fround(v) : v.v;
}
