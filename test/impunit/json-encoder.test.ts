import { describe, expect, it } from "vitest";
import { JSON_ENCODER_NUT } from "../../src/impunit/framework/json-encoder-nut.js";
import { runNut } from "../support/squirrel.js";

const run = (code: string) => runNut(JSON_ENCODER_NUT + "\n" + code, "10s");

/** Encodes each Squirrel expression with JSONEncoder.encode and returns the JSON texts, in order. */
async function encodeAll(setup: string, ...exprs: string[]): Promise<string[]> {
  const { logs, errors } = await run(setup + "\n" + exprs.map((e) => `server.log(JSONEncoder.encode(${e}));`).join("\n"));
  expect(errors).toEqual([]);
  return logs;
}

describe("T1 framework libraries: impnet's JSONEncoder (JSONEncoder 2.x compatible)", () => {
  it("T1 defines JSONEncoder in the root table, VERSION 2.0.0", async () => {
    const { logs } = await run(`server.log(("JSONEncoder" in getroottable()) + " " + typeof JSONEncoder + " " + JSONEncoder.VERSION);`);
    expect(logs).toEqual(["true class 2.0.0"]);
  });

  it("T1 scalars: integers, floats, bools, null, strings", async () => {
    expect(await encodeAll("", "123", "-7", "5.125", "1.0", "0.5", "true", "false", "null", `"abc"`, `""`)).toEqual([
      "123",
      "-7",
      "5.125",
      "1",
      "0.5",
      "true",
      "false",
      "null",
      '"abc"',
      '""',
    ]);
  });

  it("T1 tables in the imp's iteration order (keys a..i inserted in order iterate a,c,b,e,d,g,f,i,h), the published library's own expectation", async () => {
    const setup = `
      class A {
        _field = 123;
        function _serialize() { return { field = this._field }; }
      }
      local b = blob();
      b.writestring("a\\ta");
      local data = {
        a = 123,
        b = [1, 2, 3, 4],
        c = A,
        d = 5.125,
        e = A(),
        f = null,
        g = true,
        h = "Some\\nùnicode\\rstring ø∆ø",
        i = b
      };`;
    expect(await encodeAll(setup, "data")).toEqual([
      '{"a":123,"c":{"_field":123},"b":[1,2,3,4],"e":{"field":123},"d":5.125,"g":true,"f":null,"i":"a\\ta","h":"Some\\nùnicode\\rstring ø∆ø"}',
    ]);
  });

  it("T1 nested arrays and tables; empty ones; function slots left out of tables but not arrays", async () => {
    const out = await encodeAll(
      `local t = { x = [1, [2, [3]], {}], y = [], f = function() {} };`,
      "t",
      "[]",
      "{}",
      `[[], {}, [null]]`,
      `{ k = { z = { w = 1 } } }`,
    );
    expect(out[0]).toBe('{"y":[],"x":[1,[2,[3]],{}]}');
    expect(out.slice(1)).toEqual(["[]", "{}", "[[],{},[null]]", '{"k":{"z":{"w":1}}}']);
  });

  it("T1 string escaping: quote, backslash, slash, \\b \\f \\n \\r \\t, NUL as \\u0000; other control characters and UTF-8 unchanged", async () => {
    const out = await encodeAll(
      "",
      String.raw`"q\"b\\s/"`,
      String.raw`"\b\f\n\r\t"`,
      String.raw`"a" + format("%c", 1) + "b"`,
      String.raw`"é∆😀"`,
      String.raw`{ ["k/\""] = 1 }`,
    );
    expect(out).toEqual([String.raw`"q\"b\\s\/"`, String.raw`"\b\f\n\r\t"`, '"a\u0001b"', '"é∆😀"', '{"k/"":1}']);
  });

  it("T1 blobs: their bytes as a string, NULs as \\u0000, an empty blob as an empty string (the published tests' expectations)", async () => {
    const out = await encodeAll(
      `local b = blob(7); b.writestring("Hello"); local e = blob(0);`,
      "b",
      "{ a = e }",
    );
    expect(out).toEqual([String.raw`"Hello\u0000\u0000"`, '{"a":""}']);
  });

  it("T1 instances: _serialize's result encoded, _serializeRaw's inserted verbatim", async () => {
    const out = await encodeAll(
      `
      class S { function _serialize() { return "12345678901234567890"; } }
      class R { function _serializeRaw() { return "12345678901234567890"; } }
      class T { function _serialize() { return [1, { v = "x" }]; } }`,
      "{ i1 = S(), i2 = R() }",
      "T()",
    );
    expect(out).toEqual(['{"i1":"12345678901234567890","i2":12345678901234567890}', '[1,{"v":"x"}]']);
  });

  it("T1 a plain instance: its class's non-function members, with the instance's values", async () => {
    const out = await encodeAll(
      `
      class P {
        x = 1;
        y = "two";
        constructor() { x = 10; }
        function m() {}
      }
      local p = P();
      p.y = "changed";`,
      "p",
      "P",
    );
    // A class's members iterate in its member table's order (y before x here), as on the imp.
    expect(out).toEqual(['{"y":"changed","x":10}', '{"y":"two","x":1}']);
  });

  it("T1 an instance with _nexti is iterated through it (the published custom-iterator expectation)", async () => {
    const out = await encodeAll(
      `
      class C {
        field = 123;
        function _nexti(p) {
          if (p == null) return 0;
          if (p < 1) return p + 1;
          return null;
        }
        function _get(i) { return "c"; }
      }`,
      "{ c = C() }",
    );
    expect(out).toEqual(['{"c":{"0":"c","1":"c"}}']);
  });

  it("T1 a cyclic structure throws 'Possible cyclic reference'; encode works on an instance too", async () => {
    const { logs, errors } = await run(`
      local t = {};
      t.self <- t;
      try { JSONEncoder.encode(t); } catch (e) { server.log("caught " + e); }
      server.log(JSONEncoder().encode([1]));
    `);
    expect(errors).toEqual([]);
    expect(logs).toEqual(["caught Possible cyclic reference", "[1]"]);
  });
});
