import { describe, expect, it } from "vitest";
import { IMP_TEST_CASE_NUT } from "../../src/impunit/framework/imp-test-case-nut.js";
import { squirrelFromText } from "../../src/programs/squirrel/load-squirrel.js";
import { squirrelDeviceProgram } from "../../src/programs/squirrel/squirrel-program.js";
import { simulate } from "../support/simulate.js";
import type { Program } from "../support/simulate.js";

/**
 * The program under test runs after the framework, with a test case `t`
 * whose runner is a stub that logs its calls, and `check(label, fn)` which
 * logs "label ok|fail COUNT[ MESSAGE]": COUNT is how much `t.assertions`
 * grew across the call, MESSAGE what it threw (or returned, after "->").
 */
const HARNESS = `
class StubRunner {
    function info(v) { server.log("info " + typeof v + " " + v); }
    function runCommand(c) { server.log("cmd [" + c + "]"); }
}
class MyCase extends ImpTestCase {}
local t = MyCase();
t.runner = StubRunner();
t.session = "s1";
function check(label, fn) {
    local before = t.assertions;
    try {
        local r = fn();
        server.log(label + " ok " + (t.assertions - before) + (r == null ? "" : " -> " + r));
    } catch (e) {
        server.log(label + " fail " + (t.assertions - before) + " " + e);
    }
}
`;

function nut(code: string): Program {
  const entry = squirrelDeviceProgram(squirrelFromText(IMP_TEST_CASE_NUT + "\n" + HARNESS + "\n" + code, "test.nut"));
  return (root, host) => entry(root, host!);
}

/** Runs the program; returns its log lines, failing on any runtime error outside `check`. */
async function run(code: string): Promise<string[]> {
  const sim = await simulate({ duration: "10s" }, nut(code));
  expect(sim.of("error").map((e) => e.text)).toEqual([]);
  return sim.of("log").map((l) => l.text);
}

/** The line of a check, by label. */
function line(lines: string[], label: string): string {
  const found = lines.filter((l) => l.startsWith(label + " "));
  expect(found, label).toHaveLength(1);
  return found[0]!.slice(label.length + 1);
}

describe("T2 ImpTestCase: the class and its fields", () => {
  it("T2 is a root-table class with session, runner and assertions; a subclass is an instance of it", async () => {
    const lines = await run(`
      local u = MyCase();
      server.log("root " + ("ImpTestCase" in getroottable()) + " " + typeof ::ImpTestCase);
      server.log("fields " + u.session + " " + u.runner + " " + u.assertions);
      server.log("is " + (u instanceof ImpTestCase));
      u.assertTrue(true);
      server.log("own " + u.assertions + " " + MyCase().assertions);
    `);
    expect(lines).toEqual([
      "root true class",
      "fields (null : 0x00000000) (null : 0x00000000) 0",
      "is true",
      "own 1 0",
    ]);
  });
});

describe("T2 info and runCommand call into the runner", () => {
  it("T2 info passes any value as it is, defaults to an empty string, and is not counted", async () => {
    const lines = await run(`
      check("info", function () { t.info("hello"); t.info(42); t.info(null); t.info({}); t.info(); });
      check("cmd", function () { t.runCommand("echo hi"); t.runCommand(); });
    `);
    expect(lines).toEqual([
      "info string hello",
      "info integer 42",
      "info null (null : 0x00000000)",
      expect.stringMatching(/^info table \(table : 0x[0-9a-f]{8}\)$/) as string,
      "info string ",
      "info ok 0",
      "cmd [echo hi]",
      "cmd []",
      "cmd ok 0",
    ]);
  });
});

describe("T2 assertTrue, assertEqual, assertGreater, assertLess", () => {
  it("T2 pass and fail with the default texts, custom messages, one assertion per call", async () => {
    const lines = await run(`
      check("true-pass", @() t.assertTrue(1));
      check("true-pass-str", @() t.assertTrue(""));
      check("true-fail", @() t.assertTrue(0));
      check("true-fail-null", @() t.assertTrue(null));
      check("true-custom", @() t.assertTrue(false, "not %s formatted"));
      check("eq-pass", @() t.assertEqual(1, 1));
      check("eq-pass-mixed", @() t.assertEqual(1, 1.0));
      check("eq-pass-str", @() t.assertEqual("a", "a"));
      check("eq-fail", @() t.assertEqual(1, 2));
      check("eq-fail-float", @() t.assertEqual(2.0, 0.5));
      check("eq-fail-null", @() t.assertEqual(null, false));
      check("eq-fail-table", @() t.assertEqual({}, {}));
      check("eq-custom", @() t.assertEqual("x", "y", "wanted <%s> but saw <%s>"));
      check("eq-custom-plain", @() t.assertEqual("x", "y", "plain text"));
      check("gt-pass", @() t.assertGreater(2, 1));
      check("gt-fail", @() t.assertGreater(1, 2));
      check("gt-fail-equal", @() t.assertGreater(2, 2));
      check("gt-custom", @() t.assertGreater(1, 2.5, "%s should exceed %s"));
      check("lt-pass", @() t.assertLess(1, 2));
      check("lt-fail", @() t.assertLess(3, 2));
      check("lt-fail-equal", @() t.assertLess(2, 2));
      check("lt-custom", @() t.assertLess("b", "a", "%s !< %s"));
      check("gt-bad-types", @() t.assertGreater(1, "a"));
      server.log("total " + t.assertions);
    `);
    expect(line(lines, "true-pass")).toBe("ok 1");
    expect(line(lines, "true-pass-str")).toBe("ok 1");
    expect(line(lines, "true-fail")).toBe("fail 1 Failed to assert that condition is true");
    expect(line(lines, "true-fail-null")).toBe("fail 1 Failed to assert that condition is true");
    expect(line(lines, "true-custom")).toBe("fail 1 not %s formatted");
    expect(line(lines, "eq-pass")).toBe("ok 1");
    expect(line(lines, "eq-pass-mixed")).toBe("ok 1");
    expect(line(lines, "eq-pass-str")).toBe("ok 1");
    expect(line(lines, "eq-fail")).toBe("fail 1 Expected value: 1, got: 2");
    expect(line(lines, "eq-fail-float")).toBe("fail 1 Expected value: 2, got: 0.5");
    expect(line(lines, "eq-fail-null")).toBe("fail 1 Expected value: (null : 0x00000000), got: false");
    expect(line(lines, "eq-fail-table")).toMatch(/^fail 1 Expected value: \(table : 0x[0-9a-f]{8}\), got: \(table : 0x[0-9a-f]{8}\)$/);
    expect(line(lines, "eq-custom")).toBe("fail 1 wanted <x> but saw <y>");
    expect(line(lines, "eq-custom-plain")).toBe("fail 1 plain text");
    expect(line(lines, "gt-pass")).toBe("ok 1");
    expect(line(lines, "gt-fail")).toBe("fail 1 Failed to assert that 1 > 2");
    expect(line(lines, "gt-fail-equal")).toBe("fail 1 Failed to assert that 2 > 2");
    expect(line(lines, "gt-custom")).toBe("fail 1 1 should exceed 2.5");
    expect(line(lines, "lt-pass")).toBe("ok 1");
    expect(line(lines, "lt-fail")).toBe("fail 1 Failed to assert that 3 < 2");
    expect(line(lines, "lt-fail-equal")).toBe("fail 1 Failed to assert that 2 < 2");
    expect(line(lines, "lt-custom")).toBe("fail 1 b !< a");
    // Values that do not compare raise Squirrel's own error, after counting.
    expect(line(lines, "gt-bad-types")).toBe("fail 1 comparison between '1' and 'a'");
    expect(line(lines, "total")).toBe("23");
  });

  it("T2 any value is printed as Squirrel prints it with + \"\": null, instances, blobs, classes, functions", async () => {
    const lines = await run(`
      class Thing {}
      local inst = Thing();
      local b = blob(4);
      local f = function () {};
      local fails = [
        [null, inst], [b, null], [Thing, f], [true, 1.5],
      ];
      foreach (i, pair in fails) {
        local want = "Expected value: " + pair[0] + ", got: " + pair[1];
        local got = null;
        try { t.assertEqual(pair[0], pair[1]); } catch (e) { got = e; }
        server.log("pair" + i + " " + (got == want) + " " + got);
      }
    `);
    expect(line(lines, "pair0")).toMatch(/^true Expected value: \(null : 0x00000000\), got: \(instance : 0x[0-9a-f]{8}\)$/);
    expect(line(lines, "pair1")).toMatch(/^true Expected value: \(instance : 0x[0-9a-f]{8}\), got: \(null : 0x00000000\)$/);
    expect(line(lines, "pair2")).toMatch(/^true Expected value: \(class : 0x[0-9a-f]{8}\), got: \(function : 0x[0-9a-f]{8}\)$/);
    expect(line(lines, "pair3")).toBe("true Expected value: true, got: 1.5");
  });
});

describe("T2 assertClose and assertBetween", () => {
  it("T2 assertClose: |expected - actual| > maxDiff fails with expected±maxDiff; custom messages take three values", async () => {
    const lines = await run(`
      check("close-pass", @() t.assertClose(1.0, 1.2, 0.5));
      check("close-pass-edge", @() t.assertClose(10, 12, 2));
      check("close-pass-neg", @() t.assertClose(5, 4, 1));
      check("close-fail", @() t.assertClose(1, 2, 0.5));
      check("close-fail-neg", @() t.assertClose(10, 7.5, 2));
      check("close-custom", @() t.assertClose(1, 3, 1, "%s within %s of %s"));
    `);
    expect(line(lines, "close-pass")).toBe("ok 1");
    expect(line(lines, "close-pass-edge")).toBe("ok 1");
    expect(line(lines, "close-pass-neg")).toBe("ok 1");
    expect(line(lines, "close-fail")).toBe("fail 1 Expected value: 1±0.5, got: 2");
    expect(line(lines, "close-fail-neg")).toBe("fail 1 Expected value: 10±2, got: 7.5");
    expect(line(lines, "close-custom")).toBe("fail 1 1 within 1 of 3");
  });

  it("T2 assertBetween: inclusive bounds, min and max swapped when reversed, range printed low..high", async () => {
    const lines = await run(`
      check("between-pass", @() t.assertBetween(3, 1, 5));
      check("between-low", @() t.assertBetween(1, 1, 5));
      check("between-high", @() t.assertBetween(5, 1, 5));
      check("between-swapped", @() t.assertBetween(3, 5, 1));
      check("between-fail", @() t.assertBetween(7, 1, 5));
      check("between-fail-swapped", @() t.assertBetween(0, 5, 1));
      check("between-fail-float", @() t.assertBetween(0.5, 1.5, 2.5));
      check("between-custom", @() t.assertBetween(9, 1, 5, "[%s, %s] lacks %s"));
    `);
    expect(line(lines, "between-pass")).toBe("ok 1");
    expect(line(lines, "between-low")).toBe("ok 1");
    expect(line(lines, "between-high")).toBe("ok 1");
    expect(line(lines, "between-swapped")).toBe("ok 1");
    expect(line(lines, "between-fail")).toBe("fail 1 Expected value the range of 1..5, got 7");
    expect(line(lines, "between-fail-swapped")).toBe("fail 1 Expected value the range of 1..5, got 0");
    expect(line(lines, "between-fail-float")).toBe("fail 1 Expected value the range of 1.5..2.5, got 0.5");
    expect(line(lines, "between-custom")).toBe("fail 1 [1, 5] lacks 9");
  });
});

describe("T2 assertThrowsError", () => {
  it("T2 returns what the function threw, calls it with ctx as this and the args; fails with its message when nothing is thrown", async () => {
    const lines = await run(`
      local ctx = { name = "ctx" };
      local thrower = function (a, b) { throw this.name + ":" + a + "+" + b; };
      local quiet = function () { return 1; };
      check("throws", @() t.assertThrowsError(thrower, ctx, [1, 2]));
      check("throws-runtime", @() t.assertThrowsError(function () { local x = {}; return x.missing; }, null, []));
      check("throws-value", function () { local e = t.assertThrowsError(function () { throw 42; }, this, []); return typeof e + " " + e; });
      check("quiet", @() t.assertThrowsError(quiet, this, []));
      check("quiet-custom", @() t.assertThrowsError(quiet, this, [], "no %s error"));
      local args = [7, 8];
      t.assertThrowsError(thrower, ctx, args);
      server.log("args " + args.len() + " " + (args[0] == ctx) + " " + args[1] + " " + args[2]);
    `);
    expect(line(lines, "throws")).toBe("ok 1 -> ctx:1+2");
    expect(line(lines, "throws-runtime")).toBe("ok 1 -> the index 'missing' does not exist");
    expect(line(lines, "throws-value")).toBe("ok 1 -> integer 42");
    expect(line(lines, "quiet")).toBe("fail 1 Function was expected to throw an error");
    expect(line(lines, "quiet-custom")).toBe("fail 1 no %s error");
    // As impUnit: ctx goes in front of the caller's own args array.
    expect(line(lines, "args")).toBe("3 true 7 8");
  });

  it("T2 the default args array is made once with the method and shared by every call that omits it (as on the imp)", async () => {
    const lines = await run(`
      check("first", @() t.assertThrowsError(function () { throw "own"; }, this));
      check("second", @() t.assertThrowsError(function () { throw "own"; }, this));
    `);
    expect(line(lines, "first")).toBe("ok 1 -> own");
    // The shared default array now holds two contexts: the call itself fails.
    expect(line(lines, "second")).toBe("ok 1 -> wrong number of parameters");
  });
});

describe("T2 assertDeepEqual", () => {
  it("T2 equal values pass, one assertion a call: scalars, nested tables and arrays, blobs, classes, the same instance or function", async () => {
    const lines = await run(`
      class A { x = 1; y = [1, 2]; }
      class B { x = 1; y = [1, 2]; }
      local inst = A();
      local f = function () {};
      local b1 = blob(3); b1.writen(0x010203, 'w'); b1.resize(3);
      local b2 = blob(3); b2.writen(0x010203, 'w'); b2.resize(3);
      check("scalars", function () { t.assertDeepEqual(1, 1); t.assertDeepEqual("s", "s"); t.assertDeepEqual(null, null); t.assertDeepEqual(1.5, 1.5); });
      check("nested", @() t.assertDeepEqual({ a = [1, { b = 2, c = [] }], d = "x", e = null }, { d = "x", e = null, a = [1, { c = [], b = 2 }] }));
      check("blobs", @() t.assertDeepEqual(b1, b2));
      check("classes", @() t.assertDeepEqual(A, B));
      check("same-instance", @() t.assertDeepEqual({ i = inst, f = f }, { i = inst, f = f }));
    `);
    expect(line(lines, "scalars")).toBe("ok 4");
    expect(line(lines, "nested")).toBe("ok 1");
    expect(line(lines, "blobs")).toBe("ok 1");
    expect(line(lines, "classes")).toBe("ok 1");
    expect(line(lines, "same-instance")).toBe("ok 1");
  });

  it("T2 failures: type mismatch (0 vs 0.0), nested path joined with '.', missing key 'none' both ways, custom message", async () => {
    const lines = await run(`
      check("int-float", @() t.assertDeepEqual(0, 0.0));
      check("null-int", @() t.assertDeepEqual({ a = null }, { a = 0 }));
      check("table-array", @() t.assertDeepEqual({}, []));
      check("top", @() t.assertDeepEqual("a", "b"));
      check("path", @() t.assertDeepEqual({ a = [{ b = 1 }] }, { a = [{ b = 2 }] }));
      check("missing-actual", @() t.assertDeepEqual({ x = 5, y = 1 }, { y = 1 }));
      check("missing-expected", @() t.assertDeepEqual({ y = 1 }, { y = 1, z = 6 }));
      check("missing-null", @() t.assertDeepEqual({ n = null }, {}));
      check("array-longer", @() t.assertDeepEqual([1, 2], [1, 2, 3]));
      check("array-shorter", @() t.assertDeepEqual([1, [2, 3]], [1, [2]]));
      check("custom", @() t.assertDeepEqual({ k = { v = 1 } }, { k = { v = 3 } }, "at %s: %s != %s"));
      check("custom-missing", @() t.assertDeepEqual({ k = {} }, { k = { v = 3 } }, "at %s: %s != %s"));
      check("custom-type", @() t.assertDeepEqual({ k = 1 }, { k = "1" }, "at %s: %s != %s"));
      check("int-keys", @() t.assertDeepEqual({ [5] = { [1.5] = "p" } }, { [5] = { [1.5] = "q" } }));
    `);
    expect(line(lines, "int-float")).toBe("fail 1 Values are not the same type, typeof lhs = integer, typeof rhs = float");
    expect(line(lines, "null-int")).toBe("fail 1 Values are not the same type, typeof lhs = null, typeof rhs = integer");
    expect(line(lines, "table-array")).toBe("fail 1 Values are not the same type, typeof lhs = table, typeof rhs = array");
    expect(line(lines, "top")).toBe("fail 1 Comparison failed on '': expected a, got b");
    expect(line(lines, "path")).toBe("fail 1 Comparison failed on 'a.0.b': expected 1, got 2");
    expect(line(lines, "missing-actual")).toBe("fail 1 Comparison failed on 'x': expected 5, got none");
    expect(line(lines, "missing-expected")).toBe("fail 1 Comparison failed on 'z': expected none, got 6");
    expect(line(lines, "missing-null")).toBe("fail 1 Comparison failed on 'n': expected (null : 0x00000000), got none");
    expect(line(lines, "array-longer")).toBe("fail 1 Comparison failed on '2': expected none, got 3");
    expect(line(lines, "array-shorter")).toBe("fail 1 Comparison failed on '1.1': expected 3, got none");
    expect(line(lines, "custom")).toBe("fail 1 at k.v: 1 != 3");
    expect(line(lines, "custom-missing")).toBe("fail 1 at k.v: none != 3");
    expect(line(lines, "custom-type")).toBe("fail 1 Values are not the same type, typeof lhs = integer, typeof rhs = string");
    expect(line(lines, "int-keys")).toBe("fail 1 Comparison failed on '5.1.5': expected p, got q");
  });

  it("T2 blobs compare by length, then content; instances and functions by identity; classes member by member", async () => {
    const lines = await run(`
      class A { x = 1; }
      class B { x = 2; }
      class C { x = 1; z = 0; }
      local b2 = blob(2);
      local b3 = blob(3);
      local c1 = blob(2); c1[0] = 1;
      local c2 = blob(2); c2[0] = 2;
      check("blob-len", @() t.assertDeepEqual({ b = b2 }, { b = b3 }));
      check("blob-content", @() t.assertDeepEqual([c1], [c2]));
      check("blob-custom", @() t.assertDeepEqual(c1, c2, "custom %s %s %s"));
      check("blob-string", @() t.assertDeepEqual(b2, "\\x00\\x00"));
      check("instances", @() t.assertDeepEqual(A(), A()));
      check("functions", @() t.assertDeepEqual({ f = function () {} }, { f = function () {} }));
      check("class-value", @() t.assertDeepEqual(A, B));
      check("class-member", @() t.assertDeepEqual(A, C));
    `);
    expect(line(lines, "blob-len")).toBe("fail 1 Blob lengths unequal, lhs.len() == 2, rhs.len() == 3");
    expect(line(lines, "blob-content")).toBe("fail 1 Blobs are the same length (2 bytes), but the contents are not identical.");
    expect(line(lines, "blob-custom")).toBe("fail 1 Blobs are the same length (2 bytes), but the contents are not identical.");
    expect(line(lines, "blob-string")).toBe("fail 1 Values are not the same type, typeof lhs = blob, typeof rhs = string");
    expect(line(lines, "instances")).toMatch(/^fail 1 Comparison failed on '': expected \(instance : 0x[0-9a-f]{8}\), got \(instance : 0x[0-9a-f]{8}\)$/);
    expect(line(lines, "functions")).toMatch(/^fail 1 Comparison failed on 'f': expected \(function : 0x[0-9a-f]{8}\), got \(function : 0x[0-9a-f]{8}\)$/);
    expect(line(lines, "class-value")).toBe("fail 1 Comparison failed on 'x': expected 1, got 2");
    expect(line(lines, "class-member")).toBe("fail 1 Comparison failed on 'z': expected none, got 0");
  });

  it("T2 deeper than 32 levels fails with 'Possible cyclic reference at PATH'", async () => {
    const lines = await run(`
      local cyc = {};
      cyc.a <- cyc;
      local arr = [];
      arr.append(arr);
      local deep = {};
      local cur = deep;
      for (local i = 0; i < 32; i++) { cur.n <- {}; cur = cur.n; }
      local deeper = { n = deep };
      check("cyclic", @() t.assertDeepEqual(cyc, cyc));
      check("cyclic-array", @() t.assertDeepEqual([arr], [arr]));
      check("depth-32", @() t.assertDeepEqual(deep, deep));
      check("depth-33", @() t.assertDeepEqual(deeper, deeper));
    `);
    const path33 = Array.from({ length: 33 }, () => "a").join(".");
    expect(line(lines, "cyclic")).toBe(`fail 1 Possible cyclic reference at ${path33}`);
    const arrPath = Array.from({ length: 33 }, () => "0").join(".");
    expect(line(lines, "cyclic-array")).toBe(`fail 1 Possible cyclic reference at ${arrPath}`);
    // 32 nested tables put the innermost at level 32: still compared.
    expect(line(lines, "depth-32")).toBe("ok 1");
    const nPath = Array.from({ length: 33 }, () => "n").join(".");
    expect(line(lines, "depth-33")).toBe(`fail 1 Possible cyclic reference at ${nPath}`);
  });
});
