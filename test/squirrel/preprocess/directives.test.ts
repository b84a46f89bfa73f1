import { afterEach, describe, expect, it } from "vitest";
import { PreprocessError, preprocess } from "../../../src/squirrel/preprocess/index.js";
import type { PreprocessOptions } from "../../../src/squirrel/preprocess/index.js";
import { removeTrees, tree } from "./tree.js";
import type { Tree } from "./tree.js";

let t: Tree;
afterEach(removeTrees);

/** Preprocesses `main.nut` holding `src` (plus other files) and returns the code. */
function run(src: string, files: Record<string, string> = {}, options: Partial<PreprocessOptions> = {}): string {
  t = tree({ "main.nut": src, ...files });
  return preprocess(t.at("main.nut"), { libs: [], env: {}, cwd: t.dir, ...options }).code;
}

describe("S6 plain Squirrel passes through unchanged", () => {
  it("byte-for-byte: CRLF, no last newline, non-UTF-8 bytes, lambdas, verbatim strings, # comments", () => {
    const bytes = Buffer.concat([
      Buffer.from('local f = @(a) a + 1;\r\n@(x) x;\nlocal s = @"a ""quoted"" @ sign\n  @ "; # comment\n'),
      Buffer.from([0xff, 0xfe, 0x80, 0x0a]),
      Buffer.from("local email = \"me@example.com\"; // @todo\nserver.log(\"°C ✓\")"),
    ]);
    t = tree({ "main.nut": bytes });
    const { code, map } = preprocess(t.at("main.nut"), { libs: [], env: {} });
    expect(code).toBe(bytes.toString("latin1"));
    expect(Buffer.from(code, "latin1").equals(bytes)).toBe(true);
    expect(map.ranges).toBe(1);
    expect(map.lines).toBe(7);
    expect(map.lookup(7)).toEqual({ file: t.at("main.nut"), line: 7 });
  });

  it("a large file is one map range and quick", () => {
    const src = Array.from({ length: 50_000 }, (_, i) => `local v${i} = @(a) a + ${i}; // line ${i + 1}`).join("\n") + "\n";
    t = tree({ "main.nut": src });
    const { code, map } = preprocess(t.at("main.nut"), { libs: [], env: {} });
    expect(code).toBe(src);
    expect(map.ranges).toBe(1);
    expect(map.lookup(31_337)).toEqual({ file: t.at("main.nut"), line: 31_337 });
  });

  it("Builder comments (`@ text`, a lone `@`) leave no line; `@(`, `@\"`, `@@` stay", () => {
    expect(run('@ a Builder comment\n@\n  @\tindented comment\n@(a) a;\n@"v";\n@@\nx;\n')).toBe('@(a) a;\n@"v";\n@@\nx;\n');
  });

  it("`@word` that is no directive passes inside block comments and verbatim strings", () => {
    const src = '/**\n@param x the thing\n */\nlocal s = @"\n@returns nothing\n";\n';
    expect(run(src)).toBe(src);
  });
});

describe("S6 @set and @{expression}", () => {
  it("both @set forms, and @{} anywhere in a line, strings included", () => {
    expect(run('@set A 10\n@set B = "two"\nx <- @{A * 4 + 2}; y <- "@{B}-@{B}";\n')).toBe('x <- 42; y <- "two-two";\n');
  });

  it("Builder's expression language: arithmetic, ternary, comparisons, arrays, members, filters, functions", () => {
    const lines = [
      "@{1 + 2 * 3 - 4 / 2 % 3}",
      "@{(1 + 2) * 3}",
      "@{'a' + 1 + 2}",
      "@{1 + 2 + 'a'}",
      "@{3 > 2 && 2 >= 2 ? 'yes' : 'no'}",
      "@{!true || null}",
      "@{[10, 20, 30][1]}",
      "@{'abc'.length}",
      "@{min(3, 1, 2)} @{max(3, 1, 2)} @{abs(-5)}",
      "@{S.toUpperCase('abc')} @{S.split('a,b', ',')[1]} @{S.repeat('ab', 2)} @{S.trim('  x ')}",
      "@{'a\"b' | escape} @{'hi' | base64} @{'x' | S.concat('y', 'z')}",
      "@{1e3} @{-1.5} @{.5} @{'\\t'.length} @{null} @{1 == '1'} @{1 != 1}",
    ];
    expect(run(lines.join("\n") + "\n")).toBe(
      ["5", "9", "a12", "3a", "yes", "null", "20", "3", "1 3 5", "ABC b abab x", 'a\\"b aGk= xyz', "1000 -1.5 0.5 1 null true false"].join("\n") +
        "\n",
    );
  });

  it("S6 T1 variables resolve as Builder resolves them: --var, then @set, then the environment; unset is null; defined() ignores the environment", () => {
    const src = [
      "@{A} @{B} @{C} @{D}",
      "@set A 'set'",
      "@{A} @{B} @{C} @{D}",
      "@{defined(A)} @{defined(B)} @{defined(C)} @{defined(D)}",
      "",
    ].join("\n");
    const out = run(src, {}, { vars: { A: "var", B: "var" }, env: { A: "env", B: "env", C: "env" } });
    expect(out).toBe("var var env null\nvar var env null\ntrue true false false\n");
  });

  it("__FILE__, __LINE__ and __PATH__ name the file where they appear", () => {
    const out = run('@include "sub/b.nut"\n@{__FILE__}:@{__LINE__}\n', { "sub/b.nut": "\n@{__PATH__}/@{__FILE__}:@{__LINE__}\n" });
    expect(out).toBe(`\n${t.at("sub")}/b.nut:2\nmain.nut:2\n`);
  });

  it("comments in a directive's argument are dropped, // inside strings kept", () => {
    const out = run('@set URL "http://x/y" // a comment with "quotes"\n@set N /* two */ 2 // n\n@{URL} @{N}\n');
    expect(out).toBe("http://x/y 2\n");
  });

  it("CRLF files: directive lines vanish whole, other lines keep their \\r", () => {
    expect(run('@set A 1 // c\r\nx @{A}\r\n@if A\r\ny\r\n@end\r\n')).toBe("x 1\r\ny\r\n");
  });

  it("text in expressions is UTF-8: it arrives in the code as its bytes", () => {
    const code = run('@set G "héllo ✓"\nserver.log("@{G}");\n@{S.toUpperCase("é")}\n');
    expect(Buffer.from(code, "latin1").toString("utf8")).toBe('server.log("héllo ✓");\nÉ\n');
  });
});

describe("S6 @if / @elseif / @else / @endif", () => {
  it("takes the first true branch, nests, and @end closes too", () => {
    const src = [
      "@set P 'two'",
      "@if P == 'one'",
      "one",
      "@elseif P == 'two'",
      "two",
      "@if false",
      "never",
      "@else",
      "inner else",
      "@end",
      "@elseif true",
      "not reached",
      "@else",
      "else",
      "@endif",
      "after",
      "",
    ].join("\n");
    expect(run(src)).toBe("two\ninner else\nafter\n");
  });

  it("a variable from --var is a string: any non-empty value is true (as Builder)", () => {
    expect(run("@if DEBUG\ndebug\n@endif\n@if MISSING\nmissing\n@endif\n", {}, { vars: { DEBUG: "false" } })).toBe("debug\n");
  });
});

describe("S6 @macro", () => {
  const macro = ["@macro poem(a, b, c)", "  Hello, @{a}!", "  Roses are @{b}, violets @{defined(c) ? c : 'unknown'}", "@end", ""].join("\n");

  it("@include NAME(args) writes the body; a missing argument is undefined", () => {
    expect(run(macro + '@include poem("you", "red")\n')).toBe("  Hello, you!\n  Roses are red, violets unknown\n");
  });

  it("@{NAME(args)} inline: the body without its last newline", () => {
    expect(run(macro + 's <- @"@{poem("me", "red", "blue")}";\n')).toBe('s <- @"  Hello, me!\n  Roses are red, violets blue";\n');
  });

  it("@endmacro closes too; __FILE__ and __LINE__ in a body are where it is declared", () => {
    const out = run('@include "m.nut"\n@include where()\n@{where()}\n', { "m.nut": "\n@macro where()\n@{__FILE__}:@{__LINE__}\n@endmacro\n" });
    expect(out).toBe("\nm.nut:3\nm.nut:3\n");
  });

  it("@include once never skips a macro", () => {
    expect(run("@macro m()\nm\n@end\n@include once m()\n@include once m()\n")).toBe("m\nm\n");
  });

  it("parameters shadow @set variables without changing them", () => {
    expect(run("@set a 1\n@macro m(a)\n@{a}\n@end\n@include m(2)\n@{a}\n")).toBe("2\n1\n");
  });
});

describe("S6 @while, @repeat, @error, @warning, include()", () => {
  it("@while and @repeat with loop.index and loop.iteration", () => {
    expect(run("@set n 3\n@while n > 1\n@set n = n - 1\nw@{n}:@{loop.index}\n@end\n@repeat 2\nr@{loop.iteration}\n@endrepeat\n")).toBe(
      "w2:0\nw1:1\nr1\nr2\n",
    );
  });

  it("@error stops with its message at its place", () => {
    expect(() => run("\n  @error 'no platform ' + PLATFORM\n")).toThrow(/main\.nut:2:3: no platform null$/);
  });

  it("@warning is collected, not output", () => {
    t = tree({ "main.nut": "a\n@warning 'careful: ' + 1\nb\n" });
    const r = preprocess(t.at("main.nut"), { libs: [] });
    expect(r.code).toBe("a\nb\n");
    expect(r.warnings).toEqual([{ file: t.at("main.nut"), line: 2, column: 1, message: "careful: 1" }]);
  });

  it("include(FILE) in an expression gives the file's output as text", () => {
    expect(run('s <- "@{include("msg.txt") | escape}";\n', { "msg.txt": 'say "hi"\n@{1 + 1}\n' })).toBe('s <- "say \\"hi\\"\\n2";\n');
  });
});

describe("S7 errors in directives and expressions", () => {
  function error(src: string, files: Record<string, string> = {}): PreprocessError {
    try {
      run(src, files);
    } catch (e) {
      if (e instanceof PreprocessError) return e;
      throw e;
    }
    throw new Error("no error");
  }

  it("a PreprocessError: ImpnetError code, file, line, column, FILE:LINE:COLUMN: message", () => {
    const e = error("ok\n  @bogus thing\n");
    expect(e.code).toBe("IMPNET_SQUIRREL_PREPROCESS");
    expect([e.file, e.line, e.column]).toEqual([t.at("main.nut"), 2, 3]);
    expect(e.message).toBe(`${t.at("main.nut")}:2:3: ${e.reason}`);
    expect(e.reason).toMatch(/^unknown directive "@bogus"/);
  });

  it("an unterminated @if points at the @if", () => {
    const e = error("a\n\t@if true\nb\n");
    expect([e.line, e.column, e.reason]).toEqual([2, 2, "@if is never closed (by @endif or @end)"]);
  });

  it("an unterminated @macro, @else without @if, a second @else, @endif closing a macro", () => {
    expect(error("@macro m()\nx\n").reason).toMatch(/@macro is never closed/);
    expect(error("@else\n").reason).toBe("@else without @if");
    expect(error("@if 1\n@else\n@else\n@end\n").reason).toBe("a second @else for one @if");
    expect(error("@macro m()\n@endif\n").reason).toBe("@endif closes @macro (line 1)");
    expect(error("@endif x\n").reason).toBe("@endif takes no argument");
    expect(error("@set X\n").reason).toMatch(/needs a value/);
  });

  it("a bad expression: the column of the fault, in directives and in @{}", () => {
    let e = error("@set X 1 +\n");
    expect([e.line, e.column, e.reason]).toEqual([1, 10, '@set: "+" needs a right-hand side']);
    e = error("x\nlocal a = @{1 + * 2};\n");
    expect([e.line, e.column]).toEqual([2, 17]);
    e = error("@if A === 1\n@end\n");
    expect([e.column, e.reason]).toEqual([7, '@if: Builder has no "===" operator']);
    e = error("@{foo(1)}\n");
    expect([e.column, e.reason]).toEqual([3, 'function "foo" is not defined']);
    e = error("@{1 / 0}\n");
    expect([e.column, e.reason]).toEqual([5, "division by zero"]);
  });

  it("@error and @warning of a function (or an array holding one): the expression's error, where it is", () => {
    let e = error("@warning S.substr\n");
    expect([e.line, e.column, e.reason]).toEqual([1, 11, '"S.substr" is a function; call it']); // a member is placed at its "."
    e = error("x\n  @error [1, min]\n");
    expect([e.line, e.column, e.reason]).toEqual([2, 10, '"min" is a function; call it']);
    e = error("@set F = min\n@repeat F\n@end\n");
    expect([e.line, e.column, e.reason]).toEqual([2, 9, "@repeat needs a whole number of times, got a function"]);
  });

  it("directives or expressions nested more than 200 deep: an error at the level too deep, not a stack overflow", () => {
    expect(run("@if 1\n".repeat(200) + "x\n" + "@endif\n".repeat(200))).toBe("x\n");
    let e = error("@if 1\n".repeat(2000) + "@endif\n".repeat(2000));
    expect([e.line, e.column, e.reason]).toEqual([201, 1, "@if nested too deeply (more than 200 blocks open)"]);
    e = error("@{" + "(".repeat(2110) + "1" + ")".repeat(2110) + "}\n");
    expect([e.line, e.column, e.reason]).toEqual([1, 203, "@{…}: expression nested too deeply (more than 200 levels)"]);
    e = error("@set A = [1]\n@repeat 300\n@set A = [A]\n@end\n@{A}\n");
    expect([e.line, e.column, e.reason]).toEqual([5, 3, "arrays nested too deeply to write (more than 200 levels)"]);
  });

  it("a string over 2^24 characters (the runtime's allocation cap), in an expression or as the output: an error before it is built", () => {
    const limit = "more than the preprocessor's limit of 16777216";
    let e = error('\nx = @{S.repeat("x", 1e9)};\n');
    expect([e.line, e.column, e.reason]).toEqual([2, 8, `S.repeat(): the result would be 1000000000 characters long, ${limit}`]);
    e = error('@set a = "xxxxxxxx"\n@repeat 40\n@set a = a + a\n@endrepeat\n');
    expect([e.line, e.column, e.reason]).toEqual([3, 12, `the result of "+" would be 33554432 characters long, ${limit}`]);
    e = error('@set a = S.repeat("x", 1e7)\n@{[a, a]}\n');
    expect([e.line, e.column, e.reason]).toEqual([2, 3, `an array written as a string would be 20000001 characters long, ${limit}`]);
    e = error('@set a = S.repeat("x", 1e6)\n@repeat 20\nx = "@{a}";\n@endrepeat\n');
    expect([e.line, e.column, e.reason]).toEqual([3, 8, "the preprocessed program would be more than 16777216 bytes long, the preprocessor's limit"]);
  });

  it("an error inside an included file or a macro body is reported where it is", () => {
    let e = error('\n@include "b.nut"\n', { "b.nut": "b\n\nx @{nope(}\n" });
    expect([e.file, e.line, e.column]).toEqual([t.at("b.nut"), 3, 10]);
    e = error("@macro m(x)\n@error 'bad ' + x\n@end\n\n@include m(1)\n");
    expect([e.line, e.column, e.reason]).toEqual([2, 1, "bad 1"]);
  });
});
