import { BuilderFunction, BuilderRecord, checkLength, ExpressionError, kindOf, stringify, toNumber, truthy } from "./builder-value.js";
import type { Value } from "./builder-value.js";
import type { Expr } from "./parse-expression.js";

/** Where an expression finds its names. */
export interface Scope {
  /** The value of a variable, or undefined when nothing defines it (then it is null). */
  lookup(name: string): Value | undefined;
  /** `defined(NAME)`: set by `@set`, a macro, a macro argument or `--var`; not the environment (as Builder). */
  isDefined(name: string): boolean;
}

/** Evaluates a parsed Builder expression with JavaScript's semantics, as Builder does. */
export function evaluateExpression(expr: Expr, scope: Scope): Value {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "identifier":
      return scope.lookup(expr.name) ?? null;
    case "array":
      return expr.elements.map((e) => evaluateExpression(e, scope));
    case "conditional":
      return truthy(evaluateExpression(expr.test, scope))
        ? evaluateExpression(expr.consequent, scope)
        : evaluateExpression(expr.alternate, scope);
    case "unary": {
      const v = evaluateExpression(expr.argument, scope);
      return expr.op === "!" ? !truthy(v) : expr.op === "-" ? -toNumber(v) : toNumber(v);
    }
    case "member":
      return member(evaluateExpression(expr.object, scope), evaluateExpression(expr.property, scope), expr);
    case "call":
      return call(expr.callee, expr.args, expr.pos, scope);
    case "binary":
      return binary(expr, scope);
  }
}

function binary(expr: Extract<Expr, { kind: "binary" }>, scope: Scope): Value {
  const { op } = expr;
  if (op === "|") {
    // value | filter  ≡ filter(value); value | filter(a) ≡ filter(value, a)
    const r = expr.right;
    return r.kind === "call" ? call(r.callee, [expr.left, ...r.args], r.pos, scope) : call(r, [expr.left], r.pos, scope);
  }
  const left = evaluateExpression(expr.left, scope);
  if (op === "||") return truthy(left) ? left : evaluateExpression(expr.right, scope);
  if (op === "&&") return truthy(left) ? evaluateExpression(expr.right, scope) : left;
  const right = evaluateExpression(expr.right, scope);
  switch (op) {
    case "+":
      if (typeof left === "number" && typeof right === "number") return left + right;
      if (isPrimitiveNumeric(left) && isPrimitiveNumeric(right)) return toNumber(left) + toNumber(right);
      return concat(stringify(left), stringify(right), expr.pos);
    case "-":
      return toNumber(left) - toNumber(right);
    case "*":
      return toNumber(left) * toNumber(right);
    case "/":
    case "%": {
      const d = toNumber(right);
      if (d === 0) throw new ExpressionError("division by zero", expr.pos);
      return op === "/" ? toNumber(left) / d : toNumber(left) % d;
    }
    case "==":
      return looseEquals(left, right);
    case "!=":
      return !looseEquals(left, right);
    case "<":
    case ">":
    case "<=":
    case ">=":
      return compare(left, right, op);
  }
}

function concat(a: string, b: string, pos: number): string {
  checkLength(a.length + b.length, `the result of "+"`, pos);
  return a + b;
}

function isPrimitiveNumeric(v: Value): v is null | boolean | number {
  return v === null || typeof v === "boolean" || typeof v === "number";
}

// JavaScript's == over Builder's values.
function looseEquals(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === typeof b && typeof a !== "object") return a === b;
  if (typeof a === "object" && typeof b === "object") return a === b;
  if (typeof a === "object") return looseEquals(Array.isArray(a) ? stringify(a) : "[object Object]", b);
  if (typeof b === "object") return looseEquals(a, Array.isArray(b) ? stringify(b) : "[object Object]");
  return toNumber(a) === toNumber(b);
}

// JavaScript's relational operators: strings compare as strings, the rest as numbers.
function compare(a: Value, b: Value, op: "<" | ">" | "<=" | ">="): boolean {
  const as = typeof a === "object" && a !== null ? stringify(a) : a;
  const bs = typeof b === "object" && b !== null ? stringify(b) : b;
  if (typeof as === "string" && typeof bs === "string") {
    return op === "<" ? as < bs : op === ">" ? as > bs : op === "<=" ? as <= bs : as >= bs;
  }
  const x = toNumber(as);
  const y = toNumber(bs);
  return op === "<" ? x < y : op === ">" ? x > y : op === "<=" ? x <= y : x >= y;
}

function member(object: Value, property: Value, expr: Extract<Expr, { kind: "member" }>): Value {
  const name = typeof property === "number" ? String(property) : stringify(property);
  if (object === null) throw new ExpressionError(`the owner of "${name}" is undefined`, expr.pos);
  if (typeof object === "string" || Array.isArray(object)) {
    const seq = object as string | readonly Value[];
    if (name === "length") return seq.length;
    if (/^(0|[1-9]\d*)$/.test(name) && Number(name) < seq.length) {
      return typeof seq === "string" ? seq.charAt(Number(name)) : seq[Number(name)]!;
    }
  } else if (object instanceof BuilderRecord) {
    const v = object.fields.get(name);
    if (v !== undefined) return v;
  }
  throw new ExpressionError(`property "${name}" is not defined`, expr.pos);
}

function call(calleeExpr: Expr, argExprs: readonly Expr[], pos: number, scope: Scope): Value {
  if (calleeExpr.kind === "identifier" && calleeExpr.name === "defined") {
    // defined(NAME) names a variable; it does not evaluate it
    const arg = argExprs[0];
    if (argExprs.length !== 1 || arg?.kind !== "identifier") {
      throw new ExpressionError("defined() takes one variable name", pos);
    }
    return scope.isDefined(arg.name);
  }
  const callee = evaluateExpression(calleeExpr, scope);
  if (!(callee instanceof BuilderFunction)) {
    if (calleeExpr.kind === "identifier" && callee === null) {
      throw new ExpressionError(`function "${calleeExpr.name}" is not defined`, pos);
    }
    throw new ExpressionError(`cannot call ${kindOf(callee)}`, pos);
  }
  const args = argExprs.map((a) => evaluateExpression(a, scope));
  try {
    return callee.impl(args);
  } catch (e) {
    if (e instanceof ExpressionError && e.pos < 0) throw new ExpressionError(`${callee.name}(): ${e.message}`, pos);
    throw e;
  }
}
