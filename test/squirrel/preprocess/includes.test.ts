import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PreprocessError, preprocess } from "../../../src/squirrel/preprocess/index.js";
import type { Preprocessed, PreprocessOptions } from "../../../src/squirrel/preprocess/index.js";
import { removeTrees, tree } from "./tree.js";
import type { Tree } from "./tree.js";

let t: Tree;
afterEach(removeTrees);

type Options = Partial<PreprocessOptions> | ((t: Tree) => Partial<PreprocessOptions>);

function run(files: Record<string, string>, options: Options = {}, main = "main.nut"): Preprocessed {
  t = tree(files);
  return preprocess(t.at(main), { libs: [], env: {}, cwd: t.dir, ...(typeof options === "function" ? options(t) : options) });
}

function fails(files: Record<string, string>, options: Options = {}, main = "main.nut"): PreprocessError {
  try {
    run(files, options, main);
  } catch (e) {
    if (e instanceof PreprocessError) return e;
    throw e;
  }
  throw new Error("no error");
}

/** Every output line with where it came from: "text  ← file:line", file relative to the tree. */
function mapped(r: Preprocessed): string[] {
  const lines = r.code.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((text, i) => {
    const at = r.map.lookup(i + 1);
    return `${text}  ← ${path.relative(t.dir, at.file)}:${at.line}`;
  });
}

describe("S6 @include", () => {
  it("nested includes: directive lines leave no line, and the map is exact through every level", () => {
    const r = run({
      "main.nut": 'm1\n@include "a.nut"\nm3\n@set X 1\n@include "lib/b.nut"\nm6 @{X}\n',
      "a.nut": 'a1\n@include "lib/b.nut"\na3', // no last newline: one is added
      "lib/b.nut": "b1\n@if X\nb3\n@end\nb5\n",
    });
    expect(mapped(r)).toEqual([
      "m1  ← main.nut:1",
      "a1  ← a.nut:1",
      "b1  ← lib/b.nut:1",
      "b5  ← lib/b.nut:5",
      "a3  ← a.nut:3",
      "m3  ← main.nut:3",
      "b1  ← lib/b.nut:1",
      "b3  ← lib/b.nut:3",
      "b5  ← lib/b.nut:5",
      "m6 1  ← main.nut:6",
    ]);
    expect(r.map.lines).toBe(10);
  });

  it("the lines an inline macro expands to all map to its line; an included macro's lines to its body", () => {
    const r = run({ "main.nut": "@macro m()\nx\ny\n@end\nv <- @\"@{m()}\";\n@include m()\nlast" });
    expect(mapped(r)).toEqual(['v <- @"x  ← main.nut:5', 'y";  ← main.nut:5', "x  ← main.nut:2", "y  ← main.nut:3", "last  ← main.nut:7"]);
    expect(r.code.endsWith("last")).toBe(true); // the top file's last line keeps having no newline
  });

  it("a relative include is found beside the including file, then beside the top file, then in the working folder", () => {
    const files = {
      "top/main.nut": '@include "sub/inc.nut"\n@include "only-top.nut"\n@include "only-cwd.nut"\n',
      "top/sub/inc.nut": '@include "x.nut"\n',
      "top/sub/x.nut": "beside the includer\n",
      "top/x.nut": "beside the top file\n",
      "x.nut": "in the working folder\n",
      "top/only-top.nut": "only beside the top\n",
      "only-cwd.nut": "only in the working folder\n",
    };
    expect(run(files, {}, "top/main.nut").code).toBe("beside the includer\nonly beside the top\nonly in the working folder\n");
    t.remove();
    const { "top/sub/x.nut": _, ...withoutBeside } = files;
    expect(run(withoutBeside, {}, "top/main.nut").code).toMatch(/^beside the top file\n/);
    t.remove();
    const { "top/x.nut": __, ...onlyCwd } = withoutBeside;
    expect(run(onlyCwd, {}, "top/main.nut").code).toMatch(/^in the working folder\n/);
  });

  it("an include is a Builder expression: __PATH__ + a relative path, an absolute path", () => {
    const r = run({ "tests/sub/main.nut": '@include __PATH__ + "/../Base.nut"\n', "tests/Base.nut": "base\n" }, {}, "tests/sub/main.nut");
    expect(r.code).toBe("base\n");
    expect(r.map.lookup(1)).toEqual({ file: t.at("tests/Base.nut"), line: 1 });
    t.remove();
    t = tree({ "abs.nut": "abs\n" });
    const abs = t.at("abs.nut");
    const main = t.write("main.nut", `@include "${abs}"\n`);
    expect(preprocess(main, { libs: [] }).code).toBe("abs\n");
  });

  it("@include once skips a file already included (by path or identical content); plain @include repeats", () => {
    const r = run({
      "main.nut": '@include "a.nut"\n@include once "a.nut"\n@include once "copy-of-a.nut"\n@include once "b.nut"\n@include "b.nut"\n',
      "a.nut": "a\n",
      "copy-of-a.nut": "a\n",
      "b.nut": "b\n",
    });
    expect(r.code).toBe("a\nb\nb\n");
  });

  it("a file that includes itself once is fine; recursion guarded by @if ends", () => {
    expect(run({ "main.nut": 'top\n@include once "main.nut"\n' }).code).toBe("top\n");
    t.remove();
    const r = run({ "main.nut": '@set N 0\n@include "count.nut"\n', "count.nut": '@set N N + 1\nn@{N}\n@if N < 3\n@include "count.nut"\n@end\n' });
    expect(r.code).toBe("n1\nn2\nn3\n");
  });
});

describe("S6 github: includes resolve offline from the library folders", () => {
  const include = '@include "github:electricimp/Promise/promise.class.nut@v4.0.0"\n';

  it("the first library folder holding OWNER/REPO/PATH, before any file named like PATH's last part; the REF is not checked", () => {
    const r = run(
      {
        "main.nut": include,
        "libs1/other.nut": "",
        "libs2/promise.class.nut": "// by name in libs2\n",
        "libs3/electricimp/Promise/promise.class.nut": "// OWNER/REPO/PATH in libs3\n",
        "libs4/electricimp/Promise/promise.class.nut": "// OWNER/REPO/PATH in libs4\n",
      },
      (t) => ({ libs: ["libs1", "libs2", "libs3", "libs4"].map((d) => t.at(d)) }),
    );
    expect(r.code).toBe("// OWNER/REPO/PATH in libs3\n");
    expect(r.map.lookup(1)).toEqual({ file: t.at("libs3/electricimp/Promise/promise.class.nut"), line: 1 });
  });

  it("else the first folder holding a file named like PATH's last part; its own relative includes resolve beside it", () => {
    const r = run(
      {
        "main.nut": include,
        "libs1/other.nut": "",
        "libs2/promise.class.nut": '// by name in libs2\n@include "helper.nut"\n',
        "libs2/helper.nut": "// helper beside it\n",
        "libs3/promise.class.nut": "// by name in libs3\n",
      },
      (t) => ({ libs: ["libs1", "libs2", "libs3"].map((d) => t.at(d)) }),
    );
    expect(r.code).toBe("// by name in libs2\n// helper beside it\n");
  });

  it("missing: one error naming the include and the folders searched", () => {
    const e = fails({ "main.nut": "\n  " + include, "libs1/x.nut": "" }, (t) => ({ libs: [t.at("libs1"), t.at("libs2")] }));
    expect([e.line, e.column]).toEqual([2, 12]);
    expect(e.reason).toBe(
      `cannot include "github:electricimp/Promise/promise.class.nut@v4.0.0" not found in the library folders ` +
        `${t.at("libs1")}, ${t.at("libs2")} (looked for electricimp/Promise/promise.class.nut, then promise.class.nut); impnet never downloads`,
    );
  });

  it("other remote includes are refused: nothing is ever downloaded", () => {
    expect(fails({ "main.nut": '@include "https://example.com/a.nut"\n' }).reason).toMatch(/impnet reads no remote files/);
  });
});

describe("S6 #require", () => {
  it("is replaced by the library: NAME@VERSION in any folder before NAME; required twice, included once", () => {
    const r = run(
      {
        "main.nut": '#require "ConnectionManager.lib.nut:3.1.1"\n#require "Promise.lib.nut:4.0.0" // a comment\n\n#require "ConnectionManager.lib.nut:3.1.1"\ncode\n',
        "a/ConnectionManager.lib.nut": "// unversioned CM\n",
        "a/Promise.lib.nut": "// unversioned Promise\n",
        "b/ConnectionManager.lib.nut@3.1.1": "// CM 3.1.1, line 1\n// CM line 2", // no last newline
      },
      (t) => ({ libs: [t.at("a"), t.at("b")] }),
    );
    expect(mapped(r)).toEqual([
      "// CM 3.1.1, line 1  ← b/ConnectionManager.lib.nut@3.1.1:1",
      "// CM line 2  ← b/ConnectionManager.lib.nut@3.1.1:2",
      "// unversioned Promise  ← a/Promise.lib.nut:1",
      "  ← main.nut:3",
      "code  ← main.nut:5",
    ]);
  });

  it("a required library's Builder directives and own #require are processed", () => {
    const r = run(
      { "main.nut": '#require "A.lib.nut:1.0.0"\n', "libs/A.lib.nut": '#require "B.lib.nut:2.0.0"\n@set V 2\nA v@{V}\n', "libs/B.lib.nut@2.0.0": "B\n" },
      (t) => ({ libs: [t.at("libs")] }),
    );
    expect(r.code).toBe("B\nA v2\n");
  });

  it("a missing library: one error naming NAME, VERSION and the folders searched", () => {
    const e = fails({ "main.nut": 'x\n#require "Rocky.class.nut:2.0.1"\n' }, (t) => ({ libs: [t.at("one"), t.at("two")] }));
    expect([e.file, e.line, e.column]).toEqual([t.at("main.nut"), 2, 1]);
    expect(e.reason).toBe(
      `library Rocky.class.nut version 2.0.1 not found: looked for Rocky.class.nut@2.0.1, then Rocky.class.nut, in ${t.at("one")}, ${t.at("two")}; impnet never downloads`,
    );
    expect(fails({ "main.nut": '#require "Rocky.class.nut:2.0.1"\n' }).reason).toMatch(/no library folders given/);
  });

  it("two versions of one library, no version, a semicolon: errors", () => {
    const files = { "libs/L.nut": "", "libs/L.nut@1.0.0": "", "libs/L.nut@2.0.0": "" };
    let e = fails({ ...files, "main.nut": '#require "L.nut:1.0.0"\n#require "L.nut:2.0.0"\n' }, (t) => ({ libs: [t.at("libs")] }));
    expect([e.line, e.reason]).toEqual([2, `library L.nut is required as version 2.0.0 here and as 1.0.0 at ${t.at("main.nut")}:1`]);
    e = fails({ "main.nut": '#require "L.nut"\n' });
    expect(e.reason).toBe('#require "L.nut" needs a version: #require "L.nut:1.0.0"');
    e = fails({ "main.nut": '#require "L.nut:1.0.0";\n' });
    expect(e.reason).toMatch(/no semicolon/);
  });

  it("#require in a block comment is not a require; #requireX is a comment", () => {
    const src = '/*\n#require "Gone.lib.nut:1.0.0"\n*/\n#requirements are met\n';
    expect(run({ "main.nut": src }).code).toBe(src);
  });
});

describe("S6 include cycles", () => {
  it("an include that includes itself without once is an error naming the cycle", () => {
    const e = fails({ "main.nut": '@include "a.nut"\n', "a.nut": 'a\n@include "b.nut"\n', "b.nut": 'b\n  @include "a.nut"\n' });
    expect([e.file, e.line, e.column]).toEqual([t.at("b.nut"), 2, 12]);
    expect(e.reason).toBe(
      `includes nest more than 256 deep, an include cycle: ${t.at("a.nut")}:2 includes ${t.at("b.nut")}, ${t.at("b.nut")}:2 includes ${t.at("a.nut")} (use @include once, or guard the include with @if)`,
    );
  });

  it("a macro that includes itself is one too", () => {
    expect(fails({ "main.nut": "@macro m()\n@include m()\n@end\n@include m()\n" }).reason).toMatch(/^includes nest more than 256 deep, an include cycle: .*includes macro m/);
  });
});

describe("S7 include errors name the place and what was searched", () => {
  it("a missing relative include lists every place looked at, at the include's line and column", () => {
    const e = fails({ "src/main.nut": '\n@include once "lib/missing.nut" // comment\n' }, {}, "src/main.nut");
    expect([e.file, e.line, e.column]).toEqual([t.at("src/main.nut"), 2, 15]);
    expect(e.reason).toBe(`cannot include "lib/missing.nut" not found (looked for ${t.at("src/lib/missing.nut")}, ${t.at("lib/missing.nut")})`);
    expect(e.message).toBe(`${t.at("src/main.nut")}:2:15: ${e.reason}`);
  });

  it("an include of something not a string", () => {
    expect(fails({ "main.nut": "@include 42\n" }).reason).toBe("@include needs a file name (a string), got a number");
  });

  it("a missing top file", () => {
    t = tree();
    expect(() => preprocess(t.at("nope.nut"), { libs: [] })).toThrow(`${t.at("nope.nut")}:1:1: file not found`);
  });
});
