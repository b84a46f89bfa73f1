import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { SqTable, hashString } from "../../src/squirrel/table.js";
import { SqFloat, type SqValue } from "../../src/squirrel/values.js";
import { Identity, useIdentity } from "../../src/squirrel/identity.js";

/** A key as the reference scripts printed it: strings as they are, i/f/b-prefixed numbers and bools. */
function show(k: SqValue): string {
  if (typeof k === "string") return k;
  if (typeof k === "number") return `i${k}`;
  if (typeof k === "boolean") return `b${k}`;
  if (k instanceof SqFloat) return `f${k.v}`;
  return "object";
}

function order(t: SqTable): string {
  return t.keys().map(show).join(",");
}

function fill(keys: SqValue[], t = new SqTable()): SqTable {
  for (const k of keys) t.newSlot(k, 1);
  return t;
}

const letters = [..."abcdefghi"];
const ints = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Orders marked "reference" were printed by Squirrel 3.0.4 stable (built 32-bit with unsigned chars, as the imp's ARM)
// running the same operations through foreach.
describe("S2 tables: Squirrel 3.0.4's string hash", () => {
  it("matches the check values", () => {
    expect(hashString("a")).toBe(128);
    expect(hashString("i1")).toBe(5392);
    expect(hashString("temperature")).toBe(0x85b18173);
  });

  it("hashes the empty string to its length, 0", () => {
    expect(hashString("")).toBe(0);
  });

  it("takes bytes as unsigned (reference)", () => {
    expect(hashString("\xff\x80\x01")).toBe(0x000581a8);
    expect(hashString("caf\xc3\xa9")).toBe(0x11c4e9fe);
  });

  it("hashes only the first len/step bytes of a long string, step = (len >> 5) | 1 (reference)", () => {
    const s42 = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF";
    expect(s42.length).toBe(42);
    expect(hashString(s42)).toBe(0x23b60657);
    const s113 =
      "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()-=+[]{};:,./<>?abcdefghijklmnopqrstuvwxyz";
    expect(s113.length).toBe(113);
    expect(hashString(s113)).toBe(0x76a42954);
    // step 3 for 96..127 bytes: the hash reads the first 37 bytes, so the last 76 do not count.
    expect(hashString("x".repeat(37) + "y".repeat(76))).toBe(hashString("x".repeat(37) + "z".repeat(76)));
    expect(hashString("x".repeat(37) + "y".repeat(76))).not.toBe(hashString("x".repeat(36) + "y".repeat(77)));
  });

  it("is always an unsigned 32-bit integer", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 200 }), (s) => {
        const h = hashString(s);
        expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
      }),
    );
  });
});

describe("S2 tables: iteration order is the imp's", () => {
  it("keys a…i inserted into {} iterate a,c,b,e,d,g,f,i,h (JSONEncoder's expectation)", () => {
    expect(order(fill(letters))).toBe("a,c,b,e,d,g,f,i,h");
  });

  it("i1 comes before i2 whatever the insertion order", () => {
    expect(order(fill(["i1", "i2"]))).toBe("i1,i2");
    expect(order(fill(["i2", "i1"]))).toBe("i1,i2");
  });

  it("small integer keys iterate ascending (reference)", () => {
    const expected = ints(0, 20).map((i) => `i${i}`).join(",");
    expect(order(fill(ints(0, 20)))).toBe(expected);
    expect(order(fill(ints(0, 20).reverse()))).toBe(expected);
  });

  it("mixed numbers hash by 32-bit value and truncated float (reference)", () => {
    const keys: SqValue[] = [-1, -2, 2147483647, -2147483648, 7, 3, new SqFloat(1.5), new SqFloat(-1.5), new SqFloat(2.75), new SqFloat(100000)];
    expect(order(fill(keys))).toBe("i-2147483648,f1.5,f2.75,i3,i7,f100000,i2147483647,i-1,i-2,f-1.5");
  });

  it("words inserted into {} (reference)", () => {
    const words = ["temperature", "humidity", "pressure", "battery", "rssi", "id", "ts", "value", "unit", "status", "error", "message"];
    expect(order(fill(words))).toBe("rssi,value,temperature,id,ts,error,status,humidity,unit,pressure,message,battery");
  });

  it("long keys: only their hashed prefix places them (reference)", () => {
    const long = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const keys: string[] = [];
    for (let i = 30; i < 62; i += 3) keys.push(long.slice(0, i));
    const t = fill(keys);
    expect(t.keys().map((k) => (k as string).length).join(",")).toBe("39,36,30,60,48,45,51,57,42,54,33");
  });
});

describe("S2 tables: sizes", () => {
  it("starts at 4 nodes; a size hint gives the smallest power of two ≥ it, never below 4", () => {
    expect(new SqTable().nodeCount).toBe(4);
    expect(new SqTable(0).nodeCount).toBe(4);
    expect(new SqTable(3).nodeCount).toBe(4);
    expect(new SqTable(4).nodeCount).toBe(4);
    expect(new SqTable(5).nodeCount).toBe(8);
    expect(new SqTable(9).nodeCount).toBe(16);
    expect(new SqTable(64).nodeCount).toBe(64);
  });

  it("grows ×2 when an insert finds no free node and ≥ 3/4 are used", () => {
    const t = fill([0, 1, 2]);
    expect(t.nodeCount).toBe(4);
    t.newSlot(3, 1);
    expect(t.nodeCount).toBe(8);
    fill([4, 5, 6], t);
    expect(t.nodeCount).toBe(8);
    t.newSlot(7, 1);
    expect(t.nodeCount).toBe(16);
    expect(t.size).toBe(8);
  });

  it("a growth reinserts in node order: 4 collides with 0, then the table grows (reference)", () => {
    const t = fill([0, 4, 2, 1]);
    expect(t.nodeCount).toBe(8);
    expect(order(t)).toBe("i0,i1,i2,i4");
  });

  it("a literal with n slots starts at the smallest power of two ≥ n and inserts in order (reference)", () => {
    const lit = (keys: string[]) => SqTable.fromEntries(keys.map((k, i) => [k, i + 1]));
    expect(lit(letters).nodeCount).toBe(16);
    expect(order(lit(letters))).toBe("a,c,b,e,d,g,f,i,h");
    expect(order(lit(["a", "b", "c"]))).toBe("a,c,b");
    expect(lit(["a", "b", "c"]).nodeCount).toBe(4);
    // The same 12 keys land differently from {} grown slot by slot: the hint is observable.
    const words = ["temperature", "humidity", "pressure", "battery", "rssi", "id", "ts", "value", "unit", "status", "error", "message"];
    expect(order(lit(words))).toBe("rssi,value,temperature,humidity,ts,error,status,pressure,unit,id,message,battery");
  });

  it("a literal repeating a key keeps one slot with the last value (reference)", () => {
    const t = SqTable.fromEntries([
      ["a", 1],
      ["a", 2],
    ]);
    expect(t.size).toBe(1);
    expect(t.get("a")).toBe(2);
  });

  it("deleting shrinks by halves once ≤ 1/4 of the nodes are used, down to 4 (reference)", () => {
    const t = fill(letters);
    expect(t.nodeCount).toBe(16);
    for (const k of ["a", "b", "c", "d", "e"]) t.delete(k);
    expect(t.nodeCount).toBe(8);
    t.delete("f");
    expect(t.nodeCount).toBe(8);
    t.delete("g");
    expect(t.nodeCount).toBe(4);
    expect(order(t)).toBe("i,h");
  });

  it("deleting from a crowded table grows it, as 3.0.4's Remove → Rehash does (reference)", () => {
    const t = fill([0, 2, 3, 4, 5, 6, 9]);
    expect(t.nodeCount).toBe(8);
    expect(order(t)).toBe("i0,i9,i2,i3,i4,i5,i6");
    t.delete(6);
    expect(t.nodeCount).toBe(16);
    expect(order(t)).toBe("i0,i2,i3,i4,i5,i9");
  });

  it("clear() empties the table and halves its nodes, never below 4 (reference)", () => {
    const t = fill(ints(0, 12));
    expect(t.nodeCount).toBe(16);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.keys()).toEqual([]);
    expect(t.nodeCount).toBe(8);
    fill([9, 1], t);
    expect(order(t)).toBe("i9,i1");
    const small = fill(["a"]);
    small.clear();
    expect(small.nodeCount).toBe(4);
  });
});

describe("S2 tables: collisions, moves and deletes", () => {
  it("a colliding key takes the highest free node, chained after its main position (reference)", () => {
    expect(order(fill([1, 5, 9]))).toBe("i1,i9,i5");
  });

  it("a guest in the new key's main position moves to the free node (reference)", () => {
    // 8 nodes: 0 at node 0, 8 → node 7, 16 → node 6; then 6 evicts 16 to node 5; 100 lands on node 4.
    const t = SqTable.fromEntries([0, 8, 16, 6, 100].map((k) => [k, 1]));
    expect(order(t)).toBe("i0,i100,i16,i6,i8");
    for (const k of [0, 8, 16, 6, 100]) expect(t.get(k)).toBe(1);
  });

  it("a deleted node stays in its chain; new keys reuse it only as a main position (reference)", () => {
    const t = fill(ints(0, 6).map((i) => i * 8));
    expect(order(t)).toBe("i0,i48,i40,i32,i8,i16,i24");
    t.delete(0);
    expect(order(t)).toBe("i48,i40,i24,i16,i8,i32");
    t.newSlot(3, 1);
    expect(order(t)).toBe("i48,i3,i40,i24,i16,i8,i32");
    t.newSlot(0, 1);
    expect(order(t)).toBe("i48,i3,i40,i0,i24,i16,i8,i32");
    for (const k of [48, 3, 40, 0, 24, 16, 8, 32]) expect(t.has(k)).toBe(true);
  });

  it("deleted letters and re-added ones (reference)", () => {
    const t = fill(letters);
    t.delete("c");
    t.delete("e");
    expect(order(t)).toBe("a,b,d,g,f,i,h");
    t.newSlot("c", 1);
    expect(order(t)).toBe("a,c,b,d,g,f,i,h");
    t.newSlot("e", 1);
    expect(order(t)).toBe("a,c,b,e,d,g,f,i,h");
    t.delete("a");
    t.newSlot("a", 2);
    expect(order(t)).toBe("a,c,b,e,d,g,f,i,h");
  });

  it("delete returns the old value, or undefined when absent", () => {
    const t = fill(["x"]);
    t.set("x", 42);
    expect(t.delete("x")).toBe(42);
    expect(t.delete("x")).toBeUndefined();
    expect(t.size).toBe(0);
    const n = new SqTable();
    n.newSlot("k", null);
    expect(n.delete("k")).toBeNull();
  });
});

describe("S2 tables: clone", () => {
  it("a clone has the same node count and inserts the original's entries in node order (reference)", () => {
    const t = fill(ints(0, 6).map((i) => i * 8));
    const c = t.clone();
    expect(c.nodeCount).toBe(t.nodeCount);
    expect(order(c)).toBe("i0,i24,i16,i8,i32,i40,i48");
    expect(order(t)).toBe("i0,i48,i40,i32,i8,i16,i24");
  });

  it("clone after deletes (reference)", () => {
    const t = fill(ints(0, 6).map((i) => i * 16));
    t.delete(16);
    t.delete(32);
    expect(order(t)).toBe("i0,i48,i64,i80,i96");
    expect(order(t.clone())).toBe("i0,i96,i80,i64,i48");
  });

  it("a clone of a..i keeps the order (reference); it is independent and keeps the delegate", () => {
    const t = fill(letters);
    t.delete("c");
    t.delete("e");
    fill(["c", "e"], t);
    const d = new SqTable();
    t.delegate = d;
    const c = t.clone();
    expect(order(c)).toBe("a,c,b,e,d,g,f,i,h");
    expect(c.delegate).toBe(d);
    c.set("a", 99);
    c.newSlot("z", 1);
    expect(t.get("a")).toBe(1);
    expect(t.has("z")).toBe(false);
  });
});

describe("S2 tables: keys compare by type and value", () => {
  it("1, 1.0, true and '1' are four keys (reference order)", () => {
    const t = new SqTable();
    t.newSlot(1, "int");
    t.newSlot(new SqFloat(1), "float");
    t.newSlot(true, "bool");
    t.newSlot("1", "str");
    t.newSlot(0, "i0");
    t.newSlot(new SqFloat(0), "f0");
    t.newSlot(false, "b0");
    expect(order(t)).toBe("1,i1,bfalse,f0,i0,f1,btrue");
    expect(t.get(1)).toBe("int");
    expect(t.get(new SqFloat(1))).toBe("float");
    expect(t.get(true)).toBe("bool");
    expect(t.get("1")).toBe("str");
    expect(t.size).toBe(7);
  });

  it("two SqFloat objects with the same value are one key; 0.0 and -0.0 are two (reference)", () => {
    const t = new SqTable();
    t.newSlot(new SqFloat(1.5), 1);
    t.newSlot(new SqFloat(1.5), 2);
    expect(t.size).toBe(1);
    expect(t.get(new SqFloat(1.5))).toBe(2);
    t.newSlot(new SqFloat(0), "zero");
    t.newSlot(new SqFloat(-0), "minus zero");
    expect(t.size).toBe(3);
    expect(t.get(new SqFloat(-0))).toBe("minus zero");
  });

  it("a NaN key finds itself; huge floats hash saturated", () => {
    const t = new SqTable();
    t.newSlot(new SqFloat(NaN), "nan");
    t.newSlot(new SqFloat(1e20), "big");
    t.newSlot(new SqFloat(-1e20), "small");
    expect(t.get(new SqFloat(NaN))).toBe("nan");
    expect(t.get(new SqFloat(1e20))).toBe("big");
    expect(t.get(new SqFloat(-1e20))).toBe("small");
  });

  it("objects are keys by identity, hashed by their number in the current Identity", () => {
    const before = useIdentity(new Identity());
    try {
      const a: SqValue[] = [];
      const b: SqValue[] = [];
      const c = new SqTable();
      const t = new SqTable();
      // Numbers are given when first hashed: c → 1, a → 2, b → 3; so nodes 1, 2, 3.
      t.newSlot(c, "c");
      t.newSlot(a, "a");
      t.newSlot(b, "b");
      expect(t.entries().map(([, v]) => v)).toEqual(["c", "a", "b"]);
      expect(t.get(a)).toBe("a");
      expect(t.get([])).toBeUndefined();
      expect(t.keyAt(1)).toBe(c);
    } finally {
      useIdentity(before);
    }
  });
});

describe("S2 tables: the API", () => {
  it("set overwrites existing keys only; newSlot creates or overwrites", () => {
    const t = new SqTable();
    expect(t.set("a", 1)).toBe(false);
    expect(t.has("a")).toBe(false);
    t.newSlot("a", 1);
    expect(t.set("a", 2)).toBe(true);
    expect(t.get("a")).toBe(2);
    t.newSlot("a", 3);
    expect(t.get("a")).toBe(3);
    expect(t.size).toBe(1);
    expect(t.get("b")).toBeUndefined();
  });

  it("get is raw: a delegate is stored, never consulted", () => {
    const d = fill(["x"]);
    const t = new SqTable();
    t.delegate = d;
    expect(t.get("x")).toBeUndefined();
    expect(t.has("x")).toBe(false);
  });

  it("nextIndex / keyAt / valueAt walk the nodes as foreach does", () => {
    const t = new SqTable();
    for (const k of letters) t.newSlot(k, k.toUpperCase());
    const seen: string[] = [];
    for (let i = t.nextIndex(0); i !== -1; i = t.nextIndex(i + 1)) {
      seen.push(`${show(t.keyAt(i))}=${show(t.valueAt(i))}`);
    }
    expect(seen.join(",")).toBe("a=A,c=C,b=B,e=E,d=D,g=G,f=F,i=I,h=H");
    expect(t.entries().map(([k, v]) => `${show(k)}=${show(v)}`)).toEqual(seen);
    expect(t.nextIndex(t.nodeCount)).toBe(-1);
    expect(t.nextIndex(1000)).toBe(-1);
    expect(new SqTable().nextIndex(0)).toBe(-1);
  });

  it("keyAt and valueAt of an unused node are null", () => {
    const t = fill([1]);
    expect(t.keyAt(0)).toBeNull();
    expect(t.valueAt(0)).toBeNull();
    expect(t.keyAt(1)).toBe(1);
  });
});

describe("S2 tables: behave as a map whatever the operations", () => {
  type Key = { kind: "s"; v: string } | { kind: "i"; v: number } | { kind: "f"; v: number } | { kind: "b"; v: boolean } | { kind: "o"; v: number };
  const objects: SqValue[][] = Array.from({ length: 6 }, () => []);
  const keyArb: fc.Arbitrary<Key> = fc.oneof(
    fc.record({ kind: fc.constant("s" as const), v: fc.string({ unit: fc.constantFrom(..."abcdefgh\xe9\xff"), maxLength: 40 }) }),
    fc.record({ kind: fc.constant("i" as const), v: fc.oneof(fc.integer({ min: -20, max: 40 }), fc.integer({ min: -2147483648, max: 2147483647 })) }),
    fc.record({ kind: fc.constant("f" as const), v: fc.integer({ min: -80, max: 80 }).map((n) => n / 4) }),
    fc.record({ kind: fc.constant("b" as const), v: fc.boolean() }),
    fc.record({ kind: fc.constant("o" as const), v: fc.integer({ min: 0, max: objects.length - 1 }) }),
  );
  /** A fresh JS value for the key each time (floats are new SqFloat objects). */
  const sq = (k: Key): SqValue => (k.kind === "f" ? new SqFloat(k.v) : k.kind === "o" ? objects[k.v]! : k.v);
  const id = (k: Key): string => `${k.kind}:${String(k.v)}`;
  const idOf = (v: SqValue): string => {
    if (typeof v === "string") return `s:${v}`;
    if (typeof v === "number") return `i:${v}`;
    if (typeof v === "boolean") return `b:${v}`;
    if (v instanceof SqFloat) return `f:${v.v}`;
    return `o:${objects.indexOf(v as SqValue[])}`;
  };
  type Op =
    | { op: "newSlot" | "set"; k: Key; v: number }
    | { op: "delete" | "get"; k: Key }
    | { op: "clear" | "clone" };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant("newSlot" as const), k: keyArb, v: fc.integer() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("set" as const), k: keyArb, v: fc.integer() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("delete" as const), k: keyArb }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("get" as const), k: keyArb }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("clear" as const, "clone" as const) }) },
  );

  it("get/set/newSlot/delete/size agree with a Map model; iteration visits each entry once", () => {
    fc.assert(
      fc.property(fc.nat({ max: 40 }), fc.array(opArb, { maxLength: 300 }), (hint, ops) => {
        let t = new SqTable(hint);
        const model = new Map<string, number>();
        for (const o of ops) {
          switch (o.op) {
            case "newSlot":
              t.newSlot(sq(o.k), o.v);
              model.set(id(o.k), o.v);
              break;
            case "set": {
              const had = model.has(id(o.k));
              expect(t.set(sq(o.k), o.v)).toBe(had);
              if (had) model.set(id(o.k), o.v);
              break;
            }
            case "delete":
              expect(t.delete(sq(o.k))).toBe(model.get(id(o.k)));
              model.delete(id(o.k));
              break;
            case "get":
              expect(t.get(sq(o.k))).toBe(model.get(id(o.k)));
              expect(t.has(sq(o.k))).toBe(model.has(id(o.k)));
              break;
            case "clear":
              t.clear();
              model.clear();
              break;
            case "clone":
              t = t.clone();
              break;
          }
          expect(t.size).toBe(model.size);
        }
        const entries = t.entries().map(([k, v]) => [idOf(k), v] as const);
        expect(entries.length).toBe(model.size);
        expect(new Map(entries)).toEqual(model);
        const n = t.nodeCount;
        expect(n >= 4 && (n & (n - 1)) === 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
