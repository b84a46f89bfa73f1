import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { wallMs } from "../../src/clock/real-clock.js";
import { compileScript } from "../../src/squirrel/compile.js";
import { CompileError } from "../../src/squirrel/compiler/compile-error.js";
import { KEYWORDS, PUNCTUATION } from "../../src/squirrel/compiler/tokens.js";
import { PreprocessError, preprocess } from "../../src/squirrel/preprocess/index.js";
import { explain, fuzz, reportTried, TEST_MS } from "./fuzz-support.js";

/*
 * Hardening, point 4: the Squirrel front end on hostile source. compileScript
 * and the preprocessor either succeed or throw their own error (CompileError,
 * PreprocessError) placed at FILE:LINE:COLUMN inside the source; never a
 * JavaScript TypeError, RangeError or SyntaxError from the generated code; and
 * a few KB compile in bounded time.
 */

const CONFORMANCE = fileURLToPath(new URL("../squirrel/conformance/", import.meta.url));
/** Small valid programs to mutate: the conformance suite's shortest files. */
const PROGRAMS = readdirSync(CONFORMANCE)
  .filter((f) => f.endsWith(".nut"))
  .map((f) => readFileSync(path.join(CONFORMANCE, f), "latin1"))
  .filter((src) => src.length <= 2500);

const dir = mkdtempSync(path.join(tmpdir(), "impnet-fuzz-squirrel-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  reportTried("squirrel-front-end.fuzz.test.ts");
});

/** Longest a compile or a preprocess of a few KB may take. Typical is well under 10 ms. */
const BOUND_MS = 1000;

const lineCount = (src: string) => src.split("\n").length;

/** `e` is `cls` at FILE:LINE:COLUMN within `src` (both 1-based), with its message in that form. */
function expectPlaced(e: unknown, cls: typeof CompileError | typeof PreprocessError, code: string, file: string, src: string): void {
  if (!(e instanceof cls)) throw new Error(`expected a ${cls.name}, got ${explain(e)}`);
  const where = `${e.message} (the source has ${lineCount(src)} lines)`;
  expect(e.code, where).toBe(code);
  expect(e.file, where).toBe(file);
  expect(Number.isInteger(e.line) && e.line >= 1 && e.line <= lineCount(src), where).toBe(true);
  expect(Number.isInteger(e.column) && e.column >= 1, where).toBe(true);
  expect(e.message).toBe(`${file}:${e.line}:${e.column}: ${e.reason}`);
  expect(e.reason.trim(), where).not.toBe("");
}

function compileOutcome(src: string): void {
  const start = wallMs();
  let script: ReturnType<typeof compileScript> | undefined;
  try {
    script = compileScript(src, "fuzz.nut");
  } catch (e) {
    expectPlaced(e, CompileError, "IMPNET_SQUIRREL_COMPILE", "fuzz.nut", src);
  }
  if (script !== undefined) expect(script.main).toBeDefined();
  const took = wallMs() - start;
  if (took > BOUND_MS) throw new Error(`compiling ${src.length} bytes took ${Math.round(took)} ms`);
}

let fileNo = 0;
function preprocessOutcome(src: string): void {
  const file = path.join(dir, `p${fileNo++}.nut`);
  writeFileSync(file, Buffer.from(src, "latin1"));
  const start = wallMs();
  let code: unknown = "";
  try {
    code = preprocess(file, { libs: [], env: {}, cwd: dir, vars: { V: "1" } }).code;
  } catch (e) {
    expectPlaced(e, PreprocessError, "IMPNET_SQUIRREL_PREPROCESS", file, src);
  } finally {
    rmSync(file, { force: true });
  }
  expect(typeof code).toBe("string");
  const took = wallMs() - start;
  if (took > BOUND_MS) throw new Error(`preprocessing ${src.length} bytes took ${Math.round(took)} ms`);
}

// ---- sources ----

/** Any bytes, as the byte string the compiler reads. */
const byteString = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b).toString("latin1"));

const LITERALS = ["0", "1", "-1", "0x7fffffff", "0x80000000", "0xffffffffff", "2147483648", "1.5", "1e308", "1e309", ".5", "1.", "0777", "'a'", "'ab'", "''", "'\\n'", '"s"', '"\\x41"', '"\\u00e9"', '"unterminated', '@"verbatim ""q"""', '@"', "/* c */", "/*", "// c\n", "# c\n", "null", "__LINE__", "__FILE__"];
const IDENTS = ["a", "b", "x", "foo", "server", "imp", "log", "constructor", "this", "base", "_", "getroottable", "Foo"];
const keyword = fc.constantFrom(...KEYWORDS);
const token = fc.oneof(keyword, fc.constantFrom(...PUNCTUATION), fc.constantFrom(...LITERALS), fc.constantFrom(...IDENTS));
const separator = fc.constantFrom(" ", " ", " ", "", "\n", "\t", "\r\n");
/** Tokens of Squirrel in random order: reaches the parser's every production, and most of its error paths. */
const tokenSoup = fc.array(fc.tuple(token, separator), { maxLength: 120 }).map((parts) => parts.map(([t, s]) => t + s).join(""));

type Edit = { at: number; kind: "delete" | "duplicate" | "swap" | "insert"; len: number; text: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("delete" as const, "duplicate" as const, "swap" as const, "insert" as const),
  len: fc.integer({ min: 1, max: 3 }),
  text: fc.oneof(token, fc.string({ maxLength: 2 })),
});
function applyEdits(text: string, edits: readonly Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % t.length;
    if (e.kind === "delete") t = t.slice(0, at) + t.slice(at + e.len);
    else if (e.kind === "duplicate") t = t.slice(0, at) + t.slice(at, at + e.len).repeat(2) + t.slice(at + e.len);
    else if (e.kind === "swap" && at + 1 < t.length) t = t.slice(0, at) + t[at + 1]! + t[at]! + t.slice(at + 2);
    else if (e.kind === "insert") t = t.slice(0, at) + Buffer.from(e.text, "utf8").toString("latin1") + t.slice(at);
  }
  return t;
}
/** A valid program with a few characters deleted, duplicated, swapped or inserted. */
const mutatedProgram = fc.tuple(fc.constantFrom(...PROGRAMS), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([src, edits]) => applyEdits(src, edits));

/** Deep nesting: hundreds to thousands of levels, a few KB. */
const NESTERS: [string, string][] = [
  ["(", ")"],
  ["[", "]"],
  ["{", "}"],
  ["function(){", "}"],
  ["-", ""],
  ["!", ""],
  ["a.", "b"],
  ["a=", "1"],
  ["if(1)", ";"],
  ["x?", ":0"],
  ["1+", "1"],
  ["class A{", "}"],
  ["@(a)", "a"],
];
const deep = fc.tuple(fc.constantFrom(...NESTERS), fc.integer({ min: 50, max: 2500 }), fc.boolean()).map(([[open, close], n, closed]) => `local v = ${open.repeat(n)}1${closed ? close.repeat(n) : ""};\n`);

// ---- preprocessor sources ----

const DIRECTIVES = [
  "@set X = 1", "@set X 2", "@set S2 \"str\"", "@set A [1, 2, 3]", "@set F = min", "@if X", "@if !defined(X)", "@elseif X == 2", "@else", "@endif", "@end",
  "@macro m(a, b)", "@macro m()", "@endmacro", "@include m(1, 2)", "@include m", "@include \"missing.nut\"", "@include once \"missing.nut\"",
  "@include \"github:owner/repo/file.nut@v1\"", "@include \"https://example.com/x.nut\"", "@while X < 3", "@endwhile", "@repeat 3", "@repeat -1",
  "@endrepeat", "@error \"stop\"", "@warning \"careful\"", "@error 42", "@warning", "@error F", "@warning S.substr", "@repeat F", "@", "@ comment", "@unknown", "#require \"Lib.lib.nut:1.0.0\"",
  "#require \"Lib.lib.nut\"", "local x = @{X};", "x <- \"@{S2}\";", "@{__LINE__} @{__FILE__} @{__PATH__}", "@{loop.index}", "@{m(1)}", "/*", "*/", "@\"", "\"", "server.log(1);",
];
const EXPR_TOKENS = ["1", "0", "-1", "1.5", "1e400", "'s'", "\"t\"", "true", "false", "null", "X", "S2", "A", "V", "F", "m", "undefined", "loop", "__LINE__", "defined", "include", "escape", "base64", "min", "max", "abs", "S", "S.concat", "S.split", "S.substr", "S.trim", "S.repeat", "+", "-", "*", "/", "%", "!", "||", "&&", "==", "!=", "<", ">", "<=", ">=", "?", ":", "|", "(", ")", "[", "]", ".", ",", "length"];
const expression = fc.array(fc.constantFrom(...EXPR_TOKENS), { minLength: 1, maxLength: 12 }).map((ts) => ts.join(" "));
const directiveLine = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...DIRECTIVES) },
  { weight: 2, arbitrary: expression.map((e) => `x <- @{${e}};`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("@set X =", "@if", "@elseif", "@while", "@repeat", "@include", "@error", "@warning"), expression).map(([d, e]) => `${d} ${e}`) },
  { weight: 1, arbitrary: tokenSoup.map((s) => s.replace(/\n/g, " ")) },
);
const directiveSoup = fc.array(fc.tuple(fc.constantFrom("", "", "  ", "\t"), directiveLine), { maxLength: 30 }).map((lines) => lines.map(([indent, l]) => indent + l).join("\n") + "\n");
const BUILDER_PROGRAM = '@set N = 3\n@macro greet(who)\nserver.log("hello @{who}");\n@endmacro\n@if N > 2\n@repeat N\nlocal v@{loop.index} = @{loop.index * 2};\n@include greet("x")\n@endrepeat\n@else\n@error "small"\n@endif\n// @{__LINE__} @{S.concat("a", "b")}\n';
const mutatedBuilder = fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => applyEdits(BUILDER_PROGRAM, edits));

describe("hostile input: the Squirrel front end (Hardening 4)", () => {
  const sources = fc.oneof({ weight: 1, arbitrary: byteString(400) }, { weight: 3, arbitrary: tokenSoup }, { weight: 3, arbitrary: mutatedProgram });

  it("compileScript on random bytes, token soups and mutated valid programs: compiles, or a CompileError at FILE:LINE:COLUMN within the source", async () => {
    await fuzz("compileScript", fc.property(sources, (src) => compileOutcome(src)), { numRuns: 1200, ms: 2500 });
  }, TEST_MS);

  it("compileScript on nesting thousands of levels deep: a CompileError, not a stack overflow, in bounded time", async () => {
    await fuzz("compileScript(deep)", fc.property(deep, (src) => compileOutcome(src)), { numRuns: 60, ms: 1500 });
  }, TEST_MS);

  // The lexer once reported a /* comment left open across lines at its start's offset on the
  // last line ("/*\n" at fuzz.nut:2:-2); it now reports where the comment (or string) opened.
  it("compileScript on a comment or string left open across lines: a CompileError where it opened, column 1 or more", async () => {
    for (const src of ["/*\n", "x\n  /* a\nb", 'local s = @"a\nb', "'"]) compileOutcome(src);
    const opener = fc.constantFrom("/*", '@"', '"', "'");
    const unclosed = fc.tuple(fc.constantFrom(...PROGRAMS), fc.nat(), opener).map(([src, at, open]) => {
      const i = at % (src.length + 1);
      return src.slice(0, i) + open + src.slice(i);
    });
    await fuzz("compileScript unclosed", fc.property(unclosed, (src) => compileOutcome(src)), { numRuns: 300, ms: 1000 });
  }, TEST_MS);

  // break/continue outside a loop once reached V8 in the generated code (SyntaxError "Illegal
  // break statement"); the parser now refuses them as the reference does.
  it("compileScript on sources with break and continue anywhere: compiles, or a CompileError", async () => {
    for (const src of ["break", "continue", "function f() { break; }", "try {} catch(e) { break }", "switch (1) { case 1: continue; }"]) {
      expect(() => compileScript(src, "fuzz.nut")).toThrow(/^fuzz\.nut:1:\d+: '(break|continue)' has to be in a loop block$/);
    }
    const exits = fc.array(fc.tuple(fc.oneof(token, fc.constantFrom("break", "continue")), separator), { maxLength: 60 }).map((parts) => parts.map(([t, s]) => t + s).join(""));
    await fuzz("compileScript break/continue", fc.property(fc.oneof(exits, mutatedProgram), (src) => compileOutcome(src)), { numRuns: 1200, ms: 2500 });
  }, TEST_MS);

  it("the preprocessor on random bytes, directive soups and a mutated Builder program: code, or a PreprocessError at FILE:LINE:COLUMN", async () => {
    await fuzz(
      "preprocess",
      fc.property(fc.oneof({ weight: 1, arbitrary: byteString(400) }, { weight: 4, arbitrary: directiveSoup }, { weight: 2, arbitrary: mutatedBuilder }), (src) => preprocessOutcome(src)),
      { numRuns: 800, ms: 2000 },
    );
  }, TEST_MS);

  // @error and @warning of a function once leaked the evaluator's bare ExpressionError.
  it("the preprocessor on @error and @warning with any expression: a PreprocessError at FILE:LINE:COLUMN", async () => {
    preprocessOutcome("@warning S.substr\n");
    const messageDirective = fc.tuple(fc.constantFrom("@error", "@warning"), expression).map(([d, e]) => `@set F = min\n${d} ${e}\n`);
    await fuzz("preprocess @error/@warning", fc.property(messageDirective, (src) => preprocessOutcome(src)), { numRuns: 300, ms: 1000 });
  }, TEST_MS);

  // Expressions and blocks thousands deep once overflowed the preprocessor's recursion (RangeError).
  it("the preprocessor on expressions and directives nested thousands deep: a PreprocessError, not a stack overflow", async () => {
    preprocessOutcome("@{" + "(".repeat(2110) + "1" + ")".repeat(2110) + "}\n");
    const nestedExpr = fc.tuple(fc.constantFrom<[string, string]>(["(", ")"], ["[", "]"], ["-", ""], ["!", ""], ["1 + ", ""], ["a.", "b"], ["x ? 1 : ", "0"]), fc.integer({ min: 50, max: 10_000 })).map(([[open, close], n]) => `@{${open.repeat(n)}1${close.repeat(n)}}\n`);
    const nestedBlocks = fc.tuple(fc.constantFrom<[string, string]>(["@if 1", "@endif"], ["@repeat 1", "@endrepeat"], ["@macro m()", "@end"]), fc.integer({ min: 50, max: 5000 })).map(([[open, close], n]) => `${open}\n`.repeat(n) + "x\n" + `${close}\n`.repeat(n));
    await fuzz("preprocess(deep)", fc.property(fc.oneof(nestedExpr, nestedBlocks), (src) => preprocessOutcome(src)), { numRuns: 60, ms: 1500 });
  }, TEST_MS);

  // S.repeat and "+" doubling in a @repeat once built strings past V8's limit (RangeError "Invalid string length").
  it("the preprocessor on expressions that build huge strings: a PreprocessError, not a RangeError", async () => {
    const huge = fc.oneof(
      fc.integer({ min: 6e8, max: 2 ** 31 }).map((n) => `@{S.repeat("x", ${n})}\n`),
      fc.integer({ min: 30, max: 40 }).map((n) => `@set a = "xxxxxxxx"\n@repeat ${n}\n@set a = a + a\n@endrepeat\n`),
      fc.integer({ min: 2, max: 60 }).map((n) => `@set a = S.repeat("x", 1e7)\n@{S.concat(${Array(n).fill("a").join(", ")})} @{[${Array(n).fill("a").join(", ")}]}\n`),
      fc.integer({ min: 20, max: 1000 }).map((n) => `@set a = S.repeat("x", 1e6)\n@repeat ${n}\n@{a}\n@endrepeat\n`),
    );
    await fuzz("preprocess(huge)", fc.property(huge, (src) => preprocessOutcome(src)), { numRuns: 20, ms: 2000 });
  }, TEST_MS);
});
