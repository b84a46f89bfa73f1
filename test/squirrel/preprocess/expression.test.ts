import { describe, expect, it } from "vitest";
import { ExpressionError } from "../../../src/squirrel/preprocess/builder-value.js";
import type { Value } from "../../../src/squirrel/preprocess/builder-value.js";
import { builtinFunctions } from "../../../src/squirrel/preprocess/builtin-functions.js";
import { evaluateExpression } from "../../../src/squirrel/preprocess/evaluate-expression.js";
import { parseExpression } from "../../../src/squirrel/preprocess/parse-expression.js";

function evaluate(text: string, vars: Record<string, Value> = {}): Value {
  const scope = {
    lookup: (name: string): Value | undefined => vars[name] ?? builtinFunctions.get(name),
    isDefined: (name: string): boolean => name in vars,
  };
  return evaluateExpression(parseExpression(text, 0).expr, scope);
}

function syntaxError(text: string): [number, string] {
  try {
    parseExpression(text, 0);
  } catch (e) {
    if (e instanceof ExpressionError) return [e.pos, e.message];
    throw e;
  }
  throw new Error("parsed");
}

describe("S6 Builder expressions", () => {
  it("precedence and associativity as Builder's (jsep's): * over +, + over comparisons, && over ||, ?: last", () => {
    expect(evaluate("10 - 4 - 3")).toBe(3);
    expect(evaluate("2 + 3 * 4 == 14 && 1 < 2 || false ? 'y' : 'n'")).toBe("y");
    expect(evaluate("true ? false ? 1 : 2 : 3")).toBe(2);
    expect(evaluate("-2 * -(3)")).toBe(6);
    expect(evaluate("!!'x'")).toBe(true);
  });

  it("JavaScript's values: + joins strings, == is loose, undefined variables are null", () => {
    expect(evaluate("'v' + 1.5")).toBe("v1.5");
    expect(evaluate("null + 1")).toBe(1);
    expect(evaluate("'2' == 2")).toBe(true);
    expect(evaluate("'10' < '9'")).toBe(true);
    expect(evaluate("'10' < 9")).toBe(false);
    expect(evaluate("nothing")).toBe(null);
    expect(evaluate("nothing == null")).toBe(true);
  });

  it("|| and && short-circuit: defined(X) && X.y is safe", () => {
    expect(evaluate("defined(X) && X.y")).toBe(false);
  });

  it("filters: value | f and value | f(args)", () => {
    expect(evaluate("'a b' | S.split(' ') | max")).toBe(Number.NaN);
    expect(evaluate("-3 | abs")).toBe(3);
    expect(evaluate("'abc' | S.substring(1)")).toBe("bc");
  });

  it("syntax errors carry the character where they are", () => {
    expect(syntaxError("1 +")).toEqual([2, '"+" needs a right-hand side']);
    expect(syntaxError("a b")).toEqual([2, 'unexpected "b"']);
    expect(syntaxError("a = 1")).toEqual([2, '"=" is not an operator here (compare with "==")']);
    expect(syntaxError("x & 1")).toEqual([2, 'Builder has no "&" operator']);
    expect(syntaxError("'open")).toEqual([0, "unterminated string"]);
    expect(syntaxError("f(1, 2")).toEqual([6, 'expected ")"']);
    expect(syntaxError("this")).toEqual([0, '"this" is not supported']);
  });

  it("nesting (brackets, prefix operators, chains) is at most 200 deep: deeper is an error where it passes", () => {
    const deep = "expression nested too deeply (more than 200 levels)";
    expect(syntaxError("(".repeat(201) + "1" + ")".repeat(201))).toEqual([200, deep]);
    expect(syntaxError("-".repeat(300) + "1")).toEqual([200, deep]);
    expect(syntaxError("1" + " + 1".repeat(300))).toEqual([1 + 4 * 199 + 1, deep]);
    expect(syntaxError("a" + ".b".repeat(300))).toEqual([1 + 2 * 199, deep]);
    expect(evaluate("(".repeat(150) + "1" + ")".repeat(150) + " + 1".repeat(150))).toBe(151);
  });

  it("min and max of thousands of arguments (no spread into a call: it overflows the stack)", () => {
    expect(evaluate("min(" + "1, ".repeat(200_000) + "0)")).toBe(0);
    expect(evaluate("max(" + "1, ".repeat(200_000) + "2)")).toBe(2);
  });

  it("inline mode stops at the closing brace, a brace in a string is no end", () => {
    expect(parseExpression('"}" + x} rest', 0, "}").end).toBe(7);
  });
});
