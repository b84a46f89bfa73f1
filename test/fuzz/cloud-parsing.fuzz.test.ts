import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { decodeLog, decodeMessage, encodeLog, encodeMessage, MAX_WIRE_DEPTH } from "../../src/wire/payload-codec.js";
import { CHANNELS, parseTopic, partitionOf, topicFor } from "../../src/wire/topics.js";
import { TypedMessage } from "../../src/wire/message.js";
import { decodeTyped, encodeTyped } from "../../src/programs/squirrel/typed-wire.js";
import { SqError } from "../../src/squirrel/values.js";
import { explain, fuzz, hostile, nested, ownKey, PROTOTYPE_NAMES, prototypeKeys, reportTried, TEST_MS } from "./fuzz-support.js";

/*
 * Hardening, point 4: what arrives from the network. parseTopic,
 * decodeMessage and decodeLog never throw, whatever the bytes: they answer
 * null or a refusal. decodeTyped (a Squirrel message's exact form) throws
 * only SqError, which the Squirrel program can catch. And what the sender
 * encodes comes out as it went in.
 */

afterAll(() => reportTried("cloud-parsing.fuzz.test.ts"));

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const deviceId = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);
const channel = fc.constantFrom(...CHANNELS);

/** Topics near the layout: a real one with a level replaced, added or dropped, or junk levels. */
const topic = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.tuple(deviceId, channel).map(([id, ch]) => topicFor(id, ch)),
  fc
    .tuple(deviceId, channel, fc.nat(3), fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("", "+", "#", "..", "00", "3f", "40", "ff", "impnet", "log", "LOG", ...PROTOTYPE_NAMES)), fc.constantFrom("replace", "add", "drop"))
    .map(([id, ch, at, junk, how]) => {
      const levels = topicFor(id, ch).split("/");
      if (how === "replace") levels[at] = junk;
      else if (how === "add") levels.splice(at, 0, junk);
      else levels.splice(at, 1);
      return levels.join("/");
    }),
  fc.array(fc.oneof(fc.constantFrom("impnet", "00", "3f", "log", "msg", "cmd", "status", "", "+", "#", "__proto__"), fc.string({ maxLength: 5 })), { maxLength: 6 }).map((l) => l.join("/")),
);

/** Payloads: random bytes, any JSON, messages whose name or data is hostile, deep ones, binary look-alikes. */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
  fc.json({ depthSize: "medium" }).map((j) => Buffer.from(j)),
  fc.tuple(hostile(), hostile(), fc.constantFrom("data", "sq", "text")).map(([name, data, field]) => Buffer.from(JSON.stringify({ name, [field]: data, error: data }) ?? "null")),
  fc.tuple(fc.string({ maxLength: 8 }), fc.integer({ min: MAX_WIRE_DEPTH - 3, max: 20_000 }), fc.constantFrom("data", "sq")).map(([name, depth, field]) => Buffer.from(`{"name":${JSON.stringify(name)},"${field}":${"[".repeat(depth)}${"]".repeat(depth)}}`)),
  fc.tuple(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), hostile())).map(([name, b]) => Buffer.from(JSON.stringify({ name, data: { $binary: b } }) ?? "null")),
  fc.constantFrom('{"name":"n","data":{"__proto__":{"polluted":1}}}', '{"__proto__":{"name":"x"}}', '{"name":"n","sq":{"t":["__proto__",1]}}', "null", "[]", '"name"', '{"name":"n"}', "\ufeff{}").map((s) => Buffer.from(s)),
);

// ---- the exact form of Squirrel data, as a sender writes it ----

const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const float32 = fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom("NaN", "Infinity", "-Infinity"));
const byteString = fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString("latin1"));
const safeKey = fc.stringMatching(/^[A-Za-z0-9_]{0,8}$/);
const { typed } = fc.letrec<{ typed: unknown; table: unknown }>((tie) => ({
  typed: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    int32,
    byteString,
    float32.map((f) => ({ f })),
    fc.uint8Array({ maxLength: 12 }).map((b) => ({ b: Buffer.from(b).toString("base64") })),
    fc.array(tie("typed"), { maxLength: 4 }),
    tie("table"),
  ),
  table: fc.uniqueArray(fc.tuple(safeKey, tie("typed")), { maxLength: 4, selector: ([k]) => k }).map((kv) => ({ t: kv.flat() })),
}));
/** Exact forms broken: wrong shapes where the decoder expects {f}, {t}, {b}; null keys; depth over 64. */
const brokenTyped = fc.oneof(
  hostile({ nonJson: true }),
  fc.constantFrom<unknown>({ f: null }, { f: {} }, { f: [] }, { t: [1] }, { t: "x" }, { t: [null, 1] }, { b: 5 }, { b: null }, { b: "!!not base64" }, {}, { f: 1, t: [] }, { t: [{ t: [] }, 1] }, nested(66), nested(200), ownKey("__proto__", { f: 1 }), { t: ["__proto__", { t: ["polluted", 1] }] }),
  fc.tuple(typed, fc.constantFrom<unknown>(undefined, null, { f: null }, { t: [1] }, 1n, Symbol("s"), () => {})).map(([w, bad]) => ({ t: ["k", w, "bad", bad] })),
);

/** A table's pairs in a fixed order: a Squirrel table iterates in its own (hash) order, not the sender's. */
const canonTyped = (w: unknown): unknown => {
  if (Array.isArray(w)) return w.map(canonTyped);
  if (typeof w !== "object" || w === null || !("t" in w) || !Array.isArray(w.t)) return w;
  const kv = w.t as unknown[];
  const pairs: [string, unknown][] = [];
  for (let i = 0; i < kv.length; i += 2) pairs.push([JSON.stringify(kv[i]), canonTyped(kv[i + 1])]);
  return { t: pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
};

/** Uint8Arrays as base64, -0 as 0: what JSON (and toEqual) can compare. */
const canon = (v: unknown): unknown =>
  v instanceof Uint8Array ? { bytes: Buffer.from(v).toString("base64") } : Array.isArray(v) ? v.map(canon) : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canon(x)])) : Object.is(v, -0) ? 0 : v;

/** JSON data and Uint8Arrays as a JavaScript program sends them; `keys` are the object keys used. */
const jsData = (keys: fc.Arbitrary<string>) =>
  fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      fc.constant(null),
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ maxLength: 10 }),
      fc.uint8Array({ maxLength: 8 }),
      fc.array(tie("v"), { maxLength: 4 }),
      fc.array(fc.tuple(keys, tie("v")), { maxLength: 4 }).map((kv) => {
        const o: Record<string, unknown> = {};
        for (const [k, x] of kv) Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
        return o;
      }),
    ),
  })).v;

describe("hostile input: the cloud's topic and payload parsing (Hardening 4)", () => {
  it("parseTopic never throws: null, or the levels of a topic topicFor would write", async () => {
    await fuzz(
      "parseTopic",
      fc.property(topic, (t) => {
        let r: ReturnType<typeof parseTopic>;
        try {
          r = parseTopic(t);
        } catch (e) {
          throw new Error(`parseTopic(${JSON.stringify(t)}) threw ${explain(e)}`);
        }
        if (r === null) return;
        expect(ID.test(r.deviceId)).toBe(true);
        expect(r.partition).toBe(partitionOf(r.deviceId));
        expect(CHANNELS).toContain(r.channel);
        expect(topicFor(r.deviceId, r.channel)).toBe(t);
      }),
      { numRuns: 2000, ms: 1000 },
    );
    await fuzz(
      "parseTopic(topicFor)",
      fc.property(deviceId, channel, (id, ch) => {
        expect(parseTopic(topicFor(id, ch))).toEqual({ partition: partitionOf(id), deviceId: id, channel: ch });
      }),
      { numRuns: 500, ms: 500 },
    );
  }, TEST_MS);

  it("decodeMessage and decodeLog never throw: a message or a refusal with its reason, a log line or null; no prototype is touched", async () => {
    const before = prototypeKeys();
    await fuzz(
      "decodeMessage/decodeLog",
      fc.property(payload, (p) => {
        let m: ReturnType<typeof decodeMessage>;
        let l: ReturnType<typeof decodeLog>;
        try {
          m = decodeMessage(p);
          l = decodeLog(p);
        } catch (e) {
          throw new Error(`decoding ${JSON.stringify(p.toString("utf8").slice(0, 200))} threw ${explain(e)}`);
        }
        if ("refused" in m) expect(typeof m.refused === "string" && m.refused !== "").toBe(true);
        else expect(typeof m.name).toBe("string");
        if (l !== null) expect([typeof l.text, typeof l.error]).toEqual(["string", "boolean"]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 1500, ms: 2000 },
    );
    expect(prototypeKeys()).toEqual(before);
  }, TEST_MS);

  it("what encodeMessage and encodeLog write, decodeMessage and decodeLog read back as it was sent", async () => {
    const plainKeys = fc.string({ maxLength: 6 }).filter((k) => k !== "__proto__" && k !== "$binary");
    await fuzz(
      "encode/decode round trip",
      fc.property(fc.string({ maxLength: 10 }), jsData(plainKeys), fc.string({ maxLength: 20 }), fc.boolean(), (name, data, text, error) => {
        expect(canon(decodeMessage(Buffer.from(encodeMessage(name, data))))).toEqual(canon({ name, data }));
        expect(decodeLog(Buffer.from(encodeLog(text, error)))).toEqual({ text, error });
      }),
      { numRuns: 800, ms: 1000 },
    );
  }, TEST_MS);

  // Found by this property: an own "__proto__" key was lost, and { $binary: "" } arrived as a Uint8Array.
  it("every object key survives encodeMessage → decodeMessage, __proto__ and $binary too", async () => {
    const anyKeys = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("__proto__", "$binary", "$object"));
    await fuzz(
      "encode/decode round trip, all keys",
      fc.property(fc.string({ maxLength: 10 }), jsData(anyKeys), (name, data) => {
        expect(canon(decodeMessage(Buffer.from(encodeMessage(name, data))))).toEqual(canon({ name, data }));
      }),
      { numRuns: 800, ms: 1000 },
    );
  }, TEST_MS);

  it("decodeTyped throws only SqError, whatever the exact form holds", async () => {
    const before = prototypeKeys();
    await fuzz(
      "decodeTyped",
      fc.property(fc.oneof(brokenTyped, typed, fc.jsonValue()), (w) => {
        try {
          decodeTyped(w);
        } catch (e) {
          if (!(e instanceof SqError)) throw new Error(`decodeTyped threw ${explain(e)}`);
          expect(typeof e.value === "string" && e.value !== "").toBe(true);
        }
      }),
      { numRuns: 1500, ms: 1500 },
    );
    expect(prototypeKeys()).toEqual(before);
  }, TEST_MS);

  it("decodeTyped reads back exactly what encodeTyped wrote, and a payload carrying it arrives whole", async () => {
    await fuzz(
      "typed round trip",
      fc.property(typed, (w) => {
        expect(canonTyped(encodeTyped(decodeTyped(w)))).toEqual(canonTyped(w));
        const m = decodeMessage(Buffer.from(encodeMessage("sq", new TypedMessage(w))));
        expect("name" in m && m.data instanceof TypedMessage && m.data.typed).toEqual(JSON.parse(JSON.stringify(w)));
      }),
      { numRuns: 800, ms: 1000 },
    );
  }, TEST_MS);
});
