import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Regexp } from "../../src/squirrel/regexp.js";
import { SqError } from "../../src/squirrel/values.js";

/** match, search and capture from `start`, written as the reference harness prints them. */
function run(pattern: string, subject: string, start: number): string {
  let r: Regexp;
  try {
    r = new Regexp(pattern);
  } catch (e) {
    if (e instanceof SqError) return `E ${e.message}`;
    throw e;
  }
  // The order matters: captures persist from call to call, as in C.
  const m = r.match(subject);
  const se = r.search(subject, start);
  const c = r.capture(subject, start);
  return [
    `n=${r.subexpcount()}`,
    `m=${m ? 1 : 0}`,
    se ? `s=${se.begin},${se.end}` : "s=null",
    c ? `c=${c.map((x) => `[${x.begin},${x.end}]`).join("")}` : "c=null",
  ].join(" ");
}

function compileError(pattern: string): string | null {
  try {
    new Regexp(pattern);
    return null;
  } catch (e) {
    if (e instanceof SqError) return e.message;
    throw e;
  }
}

/**
 * [pattern, subject, start, expected]. Every expected line is the output of
 * Squirrel's own sqstdrex.cpp (3.1's first commit, identical to 3.0.4's),
 * built with unsigned chars (the imp's ARM) and Electric Imp's end-of-text
 * fix, driven by a C harness that calls match, search and capture as the
 * regexp class does; cases that do not touch the end of the text agree with
 * the stock x86 interpreter too. The two C-undefined cases are marked.
 */
const CASES: [string, string, number, string][] = [
  ["abc", "xabc", 0, "n=1 m=0 s=1,4 c=[1,4]"],
  ["abc", "abcabc", 1, "n=1 m=0 s=3,6 c=[3,6]"],
  ["abc", "abc", 3, "n=1 m=1 s=null c=null"],
  ["abc", "ab", 0, "n=1 m=0 s=null c=null"],
  ["^abc$", "abc", 0, "n=1 m=1 s=0,3 c=[0,3]"],
  ["^b", "ab", 0, "n=1 m=0 s=null c=null"],
  ["^b", "ab", 1, "n=1 m=0 s=1,2 c=[1,2]"],
  ["a$", "aa", 0, "n=1 m=0 s=1,2 c=[1,2]"],
  ["a$b", "ab", 0, "n=1 m=0 s=null c=null"],
  ["a^b", "a^b", 0, "n=1 m=1 s=0,3 c=[0,3]"],
  ["(^a)", "a", 0, "n=2 m=1 s=0,1 c=[0,1][0,1]"],
  ["^a|b", "xb", 0, "n=1 m=0 s=1,2 c=[1,2]"],
  ["$", "abc", 0, "n=1 m=0 s=null c=null"],
  ["a.", "a", 0, "n=1 m=0 s=null c=null"],
  ["a.", "ab", 0, "n=1 m=1 s=0,2 c=[0,2]"],
  [".", "", 0, "n=1 m=0 s=null c=null"],
  ["a[^x]", "a", 0, "n=1 m=0 s=null c=null"],
  ["a\\W", "a", 0, "n=1 m=0 s=null c=null"],
  ["a.b", "a\x00b", 0, "n=1 m=0 s=null c=null"],
  ["b", "a\x00b", 0, "n=1 m=0 s=null c=null"],
  ["b", "a\x00b", 2, "n=1 m=0 s=2,3 c=[2,3]"],
  ["x.*", "x\x00abc", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["a*a", "aaa", 0, "n=1 m=0 s=0,2 c=[0,2]"],
  ["(b+)(bbb)", "bbbbbbb", 0, "n=3 m=0 s=0,4 c=[0,4][0,1][1,4]"],
  ["(a*)(b)", "aab", 0, "n=3 m=1 s=0,3 c=[0,3][0,2][2,3]"],
  [".*c", "abcabc", 0, "n=1 m=0 s=0,3 c=[0,3]"],
  ["(.*)c", "abcabc", 0, "n=2 m=0 s=0,3 c=[0,3][0,2]"],
  ["a.*b", "axxbyyb", 0, "n=1 m=0 s=0,4 c=[0,4]"],
  ["a?a", "a", 0, "n=1 m=0 s=null c=null"],
  ["a*b?a", "aaa", 0, "n=1 m=0 s=null c=null"],
  ["x*", "abc", 1, "n=1 m=0 s=1,1 c=[0,0]"],
  ["x*", "abc", 0, "n=1 m=0 s=0,0 c=[0,0]"],
  ["a+", "baaab", 0, "n=1 m=0 s=1,4 c=[1,4]"],
  ["a{2,3}", "aaaa", 0, "n=1 m=0 s=0,3 c=[0,3]"],
  ["a{2,}", "aaaa", 0, "n=1 m=1 s=0,4 c=[0,4]"],
  ["a{2}", "aaa", 0, "n=1 m=0 s=0,2 c=[0,2]"],
  ["a{0}b", "ab", 0, "n=1 m=0 s=1,2 c=[1,2]"],
  ["a{3,2}", "aaa", 0, "n=1 m=0 s=null c=null"],
  ["a{65536}b", "b", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["a{123456789}", "a", 0, "n=1 m=0 s=null c=null"],
  ["a*?", "a?", 0, "n=1 m=1 s=0,2 c=[0,2]"],
  ["*a", "*a", 0, "n=1 m=1 s=0,2 c=[0,2]"],
  ["+", "+", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["a{x", "a{x", 0, "E number expected"],
  ["|a", "|a", 0, "n=1 m=1 s=0,2 c=[0,2]"],
  ["a]}", "a]}", 0, "n=1 m=1 s=0,3 c=[0,3]"],
  ["a|b|c", "xxc", 0, "n=1 m=0 s=2,3 c=[2,3]"],
  ["(a|ab)(c|bcd)", "abcd", 0, "n=3 m=1 s=0,4 c=[0,4][0,1][1,4]"],
  ["(a)|(b)", "b", 0, "n=3 m=1 s=0,1 c=[0,1][0,0][0,1]"],
  ["(a)x|b", "ab", 0, "n=2 m=0 s=1,2 c=[1,2][0,0]"],
  ["c(a)x|b", "caXb", 0, "n=2 m=0 s=3,4 c=[3,4][1,2]"],
  ["ab|cd", "xcd", 0, "n=1 m=0 s=1,3 c=[1,3]"],
  ["(a|b)*c", "abbac", 0, "n=2 m=1 s=0,5 c=[0,5][0,1]"],
  ["(a(b)c)", "abc", 0, "n=3 m=1 s=0,3 c=[0,3][0,3][1,2]"],
  ["((a)|b)+", "ab", 0, "n=3 m=1 s=0,2 c=[0,2][0,1][0,0]"],
  ["(a)*", "aaa", 0, "n=2 m=1 s=0,3 c=[0,3][0,1]"],
  ["(a)(?:b)(c)", "abc", 0, "n=3 m=1 s=0,3 c=[0,3][0,1][2,3]"],
  ["(?:ab)+c", "ababc", 0, "n=1 m=1 s=0,5 c=[0,5]"],
  ["(x)?y", "y", 0, "n=2 m=1 s=0,1 c=[0,1][0,0]"],
  ["(a)(b)?", "a", 0, "n=3 m=1 s=0,1 c=[0,1][0,1][0,0]"],
  // A repeat's look-ahead into the group after it uses up that group's capture.
  ["\\u*(\\pa*)", "AZ.aab", 0, "n=2 m=0 s=0,5 c=[0,5][0,0]"],
  ["a+(b?)", "AZ.aab", 0, "n=2 m=0 s=3,4 c=[3,4][0,0]"],
  ["(a)+(b)", "AZ.aab", 0, "n=3 m=0 s=3,6 c=[3,6][3,4][0,0]"],
  ["[a-c]+", "xxabcd", 0, "n=1 m=0 s=2,5 c=[2,5]"],
  ["[^a-c]+", "abxyzc", 0, "n=1 m=0 s=2,5 c=[2,5]"],
  ["[\\d]", "5", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["[\\]]", "]", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["[+-]]", "]", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["[a\\-z]", "-", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["[-a]", "-", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["[a-z0-9]+", "Zab9", 0, "n=1 m=0 s=1,4 c=[1,4]"],
  ["[\\b]", "b", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["[\\t]", "\x09", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["[\\s,]+", "a , b", 0, "n=1 m=0 s=1,4 c=[1,4]"],
  ["[^\\d]+", "12ab3", 0, "n=1 m=0 s=2,4 c=[2,4]"],
  ["[.]", "a.", 0, "n=1 m=0 s=1,2 c=[1,2]"],
  ["[a-]x", "ax", 0, "E invalid range"],
  ["\\n", "\x0a", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["\\t\\v\\f\\r", "\x09\x0b\x0c\x0d", 0, "n=1 m=1 s=0,4 c=[0,4]"],
  ["\\a+", "ab1", 0, "n=1 m=0 s=0,2 c=[0,2]"],
  ["\\A+", "1-a", 0, "n=1 m=0 s=0,2 c=[0,2]"],
  ["\\w+", "_a1-", 0, "n=1 m=0 s=0,3 c=[0,3]"],
  ["\\W", "_", 0, "n=1 m=0 s=null c=null"],
  ["\\s+", "a \x09\x0a\x0b\x0c\x0db", 0, "n=1 m=0 s=1,7 c=[1,7]"],
  ["\\S+", " ab ", 0, "n=1 m=0 s=1,3 c=[1,3]"],
  ["\\d+\\.\\d*", "v12.5x", 0, "n=1 m=0 s=1,5 c=[1,5]"],
  ["\\D+", "12ab3", 0, "n=1 m=0 s=2,4 c=[2,4]"],
  ["\\x+", "0fG", 0, "n=1 m=0 s=0,2 c=[0,2]"],
  ["\\X", "a9g", 0, "n=1 m=0 s=2,3 c=[2,3]"],
  ["\\c", "\x01", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["\\c", "\x7f", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["\\C+", "\x01ab", 0, "n=1 m=0 s=1,3 c=[1,3]"],
  ["\\p+", "!?a", 0, "n=1 m=0 s=0,2 c=[0,2]"],
  ["\\P+", "!ab?", 0, "n=1 m=0 s=1,3 c=[1,3]"],
  ["\\l+", "aBc", 0, "n=1 m=0 s=0,1 c=[0,1]"],
  ["\\u+", "aBCd", 0, "n=1 m=0 s=1,3 c=[1,3]"],
  ["\\.", "a.", 0, "n=1 m=0 s=1,2 c=[1,2]"],
  ["\\\\", "\\", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["\\q", "q", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["\\e9", "\xe99", 0, "n=1 m=0 s=null c=null"],
  ["\\w+@\\w+", "hi bob@host ok", 0, "n=1 m=0 s=3,11 c=[3,11]"],
  ["\\a", "\xe9", 0, "n=1 m=0 s=null c=null"],
  ["[\\xe9]", "\xe9", 0, "n=1 m=0 s=null c=null"],
  ["\\d", "\xb2", 0, "n=1 m=0 s=null c=null"],
  ["\\bfoo\\b", "a foo b", 0, "n=1 m=0 s=null c=null"],
  ["\\Bo", "foo", 0, "n=1 m=0 s=1,2 c=[1,2]"],
  ["a\\b", "a", 0, "n=1 m=1 s=0,1 c=[0,1]"],
  ["a\\B", "a", 0, "n=1 m=0 s=null c=null"],
  ["\\b", "a", 0, "n=1 m=0 s=0,0 c=[0,0]"],
  ["\\b", " a", 0, "n=1 m=0 s=0,0 c=[0,0]"],
  ["a\\b ", "a b", 0, "n=1 m=0 s=0,2 c=[0,2]"],
  ["a \\b", "a b", 0, "n=1 m=0 s=null c=null"],
  ["\\B", "ab", 0, "n=1 m=0 s=1,1 c=[0,0]"],
  ["\\b", "", 0, "n=1 m=1 s=null c=null"],
  [" \\b", " ", 0, "n=1 m=0 s=null c=null"],
  ["a\x00b", "ac", 0, "n=1 m=0 s=0,1 c=[0,1]"],
  ["\\\xe9", "\xe0\xe9", 0, "n=1 m=0 s=1,2 c=[1,2]"],
  ["[\xe9]", "\xe9", 0, "E letter expected"],
  ["[a-\xe9]", "a", 0, "E letter expected"],
  ["", "a", 0, "E letter expected"], // undefined behaviour in C
  ["a\\", "a", 0, "E letter expected"], // undefined behaviour in C
  ["[abc", "a", 0, "E letter expected"],
  ["(a", "a", 0, "E expected paren"],
  ["a)", "a", 0, "E unexpected character"],
  ["a**", "a", 0, "E unexpected character"],
  ["a+*", "a", 0, "E unexpected character"],
  ["[a-]", "a", 0, "E invalid range"],
  ["[z-a]", "a", 0, "E invalid range"],
  ["[\\d-z]", "a", 0, "E invalid range"],
  ["a{2", "a", 0, "E , or } expected"],
  ["a{", "a", 0, "E number expected"],
  ["a{x}", "a", 0, "E number expected"],
  ["a{2,x}", "a", 0, "E expected paren"],
  ["a{1234567890}", "a", 0, "E overflow in numeric constant"],
  ["(?a)", "a", 0, "E expected paren"],
  ["(?", "a", 0, "E expected paren"],
  ["[]", "a", 0, "E empty class"],
  ["[^]", "a", 0, "E empty class"],
  ["a|", "a", 0, "E letter expected"],
  ["()", "a", 0, "E expected paren"],
  ["\xe9", "\xe9", 0, "E letter expected"],
  ["a\x09b", "a\x09b", 0, "E letter expected"],
  ["a b", " a b", 0, "n=1 m=0 s=1,4 c=[1,4]"],
  ["(a|)", "a", 0, "E expected paren"],

];

describe("S4 regexp: sqstdrex cases verified against the C engine", () => {
  it.each(CASES)("%j on %j from %i", (pattern, subject, start, expected) => {
    expect(run(pattern, subject, start)).toBe(expected);
  });
});

describe("S4 regexp: what match, search and capture return", () => {
  it("match is the whole string, not a prefix", () => {
    const r = new Regexp("ab*");
    expect(r.match("abbb")).toBe(true);
    expect(r.match("abbbc")).toBe(false);
    expect(r.match("xab")).toBe(false);
  });

  it("search gives the first match's byte offsets, or null", () => {
    const r = new Regexp("[0-9]+");
    expect(r.search("ab12cd345")).toEqual({ begin: 2, end: 4 });
    expect(r.search("ab12cd345", 4)).toEqual({ begin: 6, end: 9 });
    expect(r.search("abcd")).toBeNull();
  });

  it("search and capture offsets count from the start of the string, whatever `start` is", () => {
    const r = new Regexp("(b)c");
    expect(r.capture("abcabc", 2)).toEqual([
      { begin: 4, end: 6 },
      { begin: 4, end: 5 },
    ]);
  });

  it("`^` anchors at the start position of a search, not at the start of the string", () => {
    expect(new Regexp("^b").search("ab", 1)).toEqual({ begin: 1, end: 2 });
  });

  it("a start at or past the end, or negative, finds nothing (no error: stock Squirrel does not check it)", () => {
    const r = new Regexp("a*");
    for (const start of [3, 4, 100, -1]) {
      expect(r.search("aaa", start)).toBeNull();
      expect(r.capture("aaa", start)).toBeNull();
    }
    expect(new Regexp("x*").search("")).toBeNull();
  });

  it("capture lists group 0 then each group; an empty span reads as {0, 0}", () => {
    const r = new Regexp("(\\a+)(\\d*)-");
    expect(r.subexpcount()).toBe(3);
    // \a+ stops after one letter because (\d*) matches there: the match starts at "b".
    expect(r.capture("  ab-")).toEqual([
      { begin: 3, end: 5 },
      { begin: 3, end: 4 },
      { begin: 0, end: 0 },
    ]);
    // Even group 0, when the whole match is empty.
    expect(new Regexp("x*").capture("abc", 1)).toEqual([{ begin: 0, end: 0 }]);
  });

  it("non-capturing groups do not count", () => {
    expect(new Regexp("(?:a)(b)").subexpcount()).toBe(2);
    expect(new Regexp("abc").subexpcount()).toBe(1);
  });

  it("the imp docs' known issue: (b+)(bbb) captures b and bbb of bbbbbbb", () => {
    const s = "bbbbbbb";
    const c = new Regexp("(b+)(bbb)").capture(s);
    expect(c?.map((m) => s.slice(m.begin, m.end))).toEqual(["bbbb", "b", "bbb"]);
  });

  it("a group not reached by the latest match keeps its capture from an earlier call (as in C)", () => {
    const r = new Regexp("x(a)|b");
    expect(r.capture("xab")).toEqual([
      { begin: 0, end: 2 },
      { begin: 1, end: 2 },
    ]);
    expect(r.capture("xab", 2)).toEqual([
      { begin: 2, end: 3 },
      { begin: 1, end: 2 },
    ]);
  });

  it("matching stops at the first NUL byte of the subject", () => {
    const r = new Regexp("b");
    expect(r.search("a\0b")).toBeNull();
    expect(r.search("a\0b", 2)).toEqual({ begin: 2, end: 3 });
    expect(new Regexp("a").match("a\0junk")).toBe(true);
  });

  it("nothing consumes past the end of the text (the imp's fix of stock 3.0.4)", () => {
    expect(new Regexp("a.").search("a")).toBeNull();
    expect(new Regexp("a[^x]").search("a")).toBeNull();
    expect(new Regexp("x.*").capture("x\0abc")).toEqual([{ begin: 0, end: 1 }]);
  });

  it("bytes are unsigned and the C locale's: high bytes are no letters, and need a `\\` in a pattern", () => {
    expect(new Regexp("\\a").search("\xe9")).toBeNull();
    expect(new Regexp("\\\xe9+").search("a\xe9\xe9")).toEqual({ begin: 1, end: 3 });
    expect(compileError("\xe9")).toBe("letter expected");
  });

  it("compile errors carry sqstdrex's messages", () => {
    expect(compileError("(ab")).toBe("expected paren");
    expect(compileError("ab)")).toBe("unexpected character");
    expect(compileError("[]")).toBe("empty class");
    expect(compileError("[z-a]")).toBe("invalid range");
    expect(compileError("a{")).toBe("number expected");
    expect(compileError("a{1")).toBe(", or } expected");
    expect(compileError("a{1234567890}")).toBe("overflow in numeric constant");
    expect(compileError("")).toBe("letter expected");
    expect(compileError("a\\")).toBe("letter expected");
  });

  it("a pathological pattern ends in an error instead of hanging", () => {
    expect(() => new Regexp("((a*)*)*x").search("aaaab")).toThrow(SqError);
  });
});

/**
 * An oracle: patterns whose atoms are pairwise disjoint byte sets never need
 * backtracking, so (with groups that cannot match nothing) sqstdrex's quirks
 * cannot show and JavaScript's RegExp must agree. sqstdrex's search tries each start position before the end
 * of the text; a sticky JS RegExp at each position does the same.
 */
const ATOMS: { sq: string; js: string }[] = [
  { sq: "a", js: "a" },
  { sq: "b", js: "b" },
  { sq: "\\d", js: "[0-9]" },
  { sq: "[xy]", js: "[xy]" },
  { sq: "\\s", js: "[\\t\\n\\v\\f\\r ]" },
  { sq: "\\u", js: "[A-Z]" },
  { sq: "\\p", js: "[!-/:-@\\[-`{-~]" },
  { sq: "[q-r]", js: "[q-r]" },
];

const quantifier = fc.oneof(
  fc.constantFrom("", "*", "+", "?"),
  fc.integer({ min: 0, max: 3 }).map((n) => `{${n}}`),
  fc.integer({ min: 0, max: 3 }).map((n) => `{${n},}`),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([a, b]) => `{${Math.min(a, b)},${Math.max(a, b)}}`),
);

/** A pattern: distinct atoms, each quantified, one contiguous run of them maybe in a capturing group. */
const pattern = fc
  .tuple(
    fc.shuffledSubarray([...ATOMS.keys()], { minLength: 1, maxLength: 5 }),
    fc.array(quantifier, { minLength: 5, maxLength: 5 }),
    fc.nat(),
    fc.nat(),
  )
  .map(([atoms, qs, g0, g1]) => {
    const n = atoms.length;
    const from = g0 % (n + 1);
    const to = from + (g1 % (n + 1 - from));
    // A group that can match nothing stops a repeat before it at once (a
    // sqstdrex quirk, tested above): give the group one mandatory atom.
    const optional = (q: string | undefined) => q !== undefined && /^(\*|\?|\{0(,\d*)?\})$/.test(q);
    if (to > from && qs.slice(from, to).every(optional)) qs[from] = "";
    let sq = "";
    let js = "";
    atoms.forEach((a, i) => {
      if (i === from && to > from) {
        sq += "(";
        js += "(";
      }
      const atom = ATOMS[a];
      if (atom === undefined) throw new Error("no atom");
      sq += atom.sq + (qs[i] ?? "");
      js += atom.js + (qs[i] ?? "");
      if (i === to - 1 && to > from) {
        sq += ")";
        js += ")";
      }
    });
    return { sq, js, groups: to > from ? 1 : 0, groupFirst: from === 0 };
  });

const subject = fc
  .array(fc.constantFrom(..."aabbxy09 \tAZ.!-qé\x01"), { maxLength: 12 })
  .map((cs) => cs.join("").replace("é", "\xe9"));

describe("S4 regexp: agrees with JavaScript where no backtracking is needed (fast-check)", () => {
  it("match, search and capture", () => {
    fc.assert(
      fc.property(pattern, subject, fc.nat(), (p, s, st) => {
        const start = s.length === 0 ? 0 : st % s.length;
        const r = new Regexp(p.sq);
        expect(r.subexpcount()).toBe(1 + p.groups);

        const whole = new RegExp(`^(?:${p.js})$`, "s");
        expect(r.match(s)).toBe(whole.test(s));

        const sticky = new RegExp(p.js, "sdy");
        let want: RegExpExecArray | null = null;
        for (let pos = start; pos < s.length && want === null; pos++) {
          sticky.lastIndex = pos;
          want = sticky.exec(s);
        }
        const got = r.search(s, start);
        if (want === null) {
          expect(got).toBeNull();
          expect(r.capture(s, start)).toBeNull();
          return;
        }
        expect(got).toEqual({ begin: want.index, end: want.index + want[0].length });
        const caps = r.capture(s, start);
        const spans = want.indices ?? [];
        expect(caps?.length).toBe(spans.length);
        // A repeat's look-ahead into a group that follows it disturbs the
        // group's capture (a sqstdrex quirk, tested above): compare group 1
        // only when nothing precedes it.
        spans.slice(0, p.groupFirst ? spans.length : 1).forEach((span, i) => {
          const [b, e] = span ?? [0, 0];
          expect(caps?.[i]).toEqual(e > b ? { begin: b, end: e } : { begin: 0, end: 0 });
        });
      }),
      { numRuns: 3000 },
    );
  });
});
