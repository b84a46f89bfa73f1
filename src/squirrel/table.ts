/**
 * Squirrel's table: a chained scatter table laid out exactly as Squirrel 3.0.4
 * lays it out, so that `foreach` (and everything built on it: JSON encoders,
 * `keys()`) sees the keys in the order the Electric Imp device does.
 *
 * The shape (Lua 4's design, as Squirrel 3.0.4 keeps it):
 *
 * - A power-of-two array of nodes, never fewer than 4. A table made with a
 *   size hint n starts at the smallest power of two ≥ n (a literal with n
 *   slots passes n).
 * - A key lives in its main position `hash & (nodes − 1)` when that node has
 *   no key (a deleted node still linked in a chain counts); otherwise in a free node taken from a cursor (`firstFree`) that only
 *   ever walks downward, chained after the main-position node. If the node in
 *   the way is a guest (not in its own main position) and sits above the free
 *   node, the guest moves to the free node instead and the newcomer takes its
 *   main position.
 * - When the cursor finds no free node, the table is rebuilt (grows ×2 when
 *   ≥ 3/4 of the nodes are in use, halves when ≤ 1/4 are and it has more than
 *   4, otherwise keeps its size), reinserting the old nodes in node order.
 * - Deleting clears the node in place (it stays linked in its chain) and then
 *   may rebuild with the same rule, minus the "keep the size" case: a delete
 *   can shrink the table, and on a crowded table it can even grow it.
 * - Iteration walks the nodes 0 … nodes−1.
 *
 * Keys: any SqValue but `null` (the caller raises Squirrel's error; this class
 * assumes non-null keys). They compare by type and value: integer 1, bool
 * true and float 1.0 are three different keys; two SqFloat objects with the
 * same value (bit pattern: 0.0 and -0.0 differ) are one key; objects by
 * identity.
 */
import { objectId } from "./identity.js";
import { SqFloat, type SqValue } from "./values.js";

/** The smallest node array a table has. */
const MIN_NODES = 4;
/** Sizes never reach 2^30, so a hash kept to 30 bits masks the same and stays a small integer in V8. */
const HASH_BITS = 0x3fffffff;
/** End of a chain, and "not found". */
const NONE = -1;
/** Each node is four slots of one array: key (null when unused), value, next node's offset (or NONE), key hash. */
const KEY = 0;
const VAL = 1;
const NEXT = 2;
const HASH = 3;
const STRIDE = 4;

/** A node array for n nodes, all unused: one packed array, so a table is two allocations. */
function allocNodes(n: number): SqValue[] {
  if (n === MIN_NODES) return [null, null, NONE, 0, null, null, NONE, 0, null, null, NONE, 0, null, null, NONE, 0];
  const a: SqValue[] = [];
  for (let i = 0; i < n; i++) a.push(null, null, NONE, 0);
  return a;
}

/**
 * Squirrel 3.0.4's string hash over a byte string (char codes 0–255), in
 * 32-bit unsigned arithmetic: seeded with the length, it mixes in the first
 * ⌊len / step⌋ bytes in order, step = (len >> 5) | 1.
 */
export function hashString(s: string): number {
  const len = s.length;
  const step = (len >>> 5) | 1;
  const count = step === 1 ? len : Math.floor(len / step);
  let h = len | 0;
  for (let i = 0; i < count; i++) {
    h ^= (h << 5) + (h >>> 2) + s.charCodeAt(i);
  }
  return h >>> 0;
}

/** A float key's hash: its value truncated toward zero, saturating at the 32-bit range, NaN giving 0 (the imp's ARM conversion). */
function hashFloat(v: number): number {
  if (v !== v) return 0;
  if (v >= 2147483647) return 2147483647;
  if (v <= -2147483648) return -2147483648;
  return v | 0;
}

/** A key's hash, cut to HASH_BITS. */
function hashKey(key: SqValue): number {
  switch (typeof key) {
    case "string":
      return hashString(key) & HASH_BITS;
    case "number":
      return key & HASH_BITS;
    case "boolean":
      return key ? 1 : 0;
    default:
      if (key instanceof SqFloat) return hashFloat(key.v) & HASH_BITS;
      return objectId(key as object) & HASH_BITS;
  }
}

export class SqTable {
  /** Set by setdelegate; the table only stores it (clone keeps it). */
  delegate: SqTable | null = null;

  /** The nodes, STRIDE slots each; node offsets (multiples of STRIDE) are what chains link. */
  private nodes: SqValue[];
  /** Node count − 1. */
  private mask: number;
  /** The free-node cursor's offset: it only moves down, until the next rebuild. */
  private firstFree: number;
  private used = 0;

  constructor(sizeHint = 0) {
    let n = MIN_NODES;
    while (sizeHint > n) n *= 2;
    this.nodes = allocNodes(n);
    this.mask = n - 1;
    this.firstFree = (n - 1) * STRIDE;
  }

  /** The number of entries. */
  get size(): number {
    return this.used;
  }

  /** The number of nodes (a power of two, at least 4): what iteration indexes range over. */
  get nodeCount(): number {
    return this.mask + 1;
  }

  /** The offset of the node holding `key`, or NONE. */
  private find(key: SqValue, h: number): number {
    const nodes = this.nodes;
    let n = (h & this.mask) * STRIDE;
    if (typeof key === "object" && key instanceof SqFloat) {
      const f = key.v;
      do {
        const c = nodes[n];
        if (c instanceof SqFloat && Object.is(c.v, f)) return n;
        n = nodes[n + NEXT] as number;
      } while (n !== NONE);
      return NONE;
    }
    do {
      if (nodes[n] === key) return n;
      n = nodes[n + NEXT] as number;
    } while (n !== NONE);
    return NONE;
  }

  get(key: SqValue): SqValue | undefined {
    const n = this.find(key, hashKey(key));
    return n === NONE ? undefined : this.nodes[n + VAL];
  }

  has(key: SqValue): boolean {
    return this.find(key, hashKey(key)) !== NONE;
  }

  /** Overwrites an existing key's value; false (and nothing changes) when the key is absent. */
  set(key: SqValue, value: SqValue): boolean {
    const n = this.find(key, hashKey(key));
    if (n === NONE) return false;
    this.nodes[n + VAL] = value;
    return true;
  }

  /** Creates the slot, or overwrites it when the key is already there. `key` must not be null. */
  newSlot(key: SqValue, value: SqValue): void {
    this.insert(key, hashKey(key), value);
  }

  private insert(key: SqValue, h: number, value: SqValue): void {
    const found = this.find(key, h);
    const nodes = this.nodes;
    if (found !== NONE) {
      nodes[found + VAL] = value;
      return;
    }
    let mp = (h & this.mask) * STRIDE;
    if (nodes[mp + KEY] !== null) {
      const free = this.firstFree;
      const home = ((nodes[mp + HASH] as number) & this.mask) * STRIDE;
      if (mp > free && home !== mp) {
        // The occupant is a guest: it moves to the free node, keeping its place in its own chain.
        let prev = home;
        while (nodes[prev + NEXT] !== mp) prev = nodes[prev + NEXT] as number;
        nodes[prev + NEXT] = free;
        nodes[free + KEY] = nodes[mp + KEY]!;
        nodes[free + VAL] = nodes[mp + VAL]!;
        nodes[free + NEXT] = nodes[mp + NEXT]!;
        nodes[free + HASH] = nodes[mp + HASH]!;
        nodes[mp + KEY] = null;
        nodes[mp + VAL] = null;
        nodes[mp + NEXT] = NONE;
      } else {
        // The newcomer takes the free node, chained right after its main position.
        nodes[free + NEXT] = nodes[mp + NEXT]!;
        nodes[mp + NEXT] = free;
        mp = free;
      }
    }
    nodes[mp + KEY] = key;
    nodes[mp + HASH] = h;
    // Move the cursor down to a node that is neither used nor linked.
    for (let ff = this.firstFree; ff >= 0; ff -= STRIDE) {
      if (nodes[ff + KEY] === null && nodes[ff + NEXT] === NONE) {
        this.firstFree = ff;
        nodes[mp + VAL] = value;
        this.used++;
        return;
      }
    }
    this.firstFree = 0;
    // No free node left: rebuild (the new key is reinserted with it, its value still null), then set the value.
    this.rehash(true);
    this.insert(key, h, value);
  }

  /** 3.0.4's Rehash: grow, shrink, or (when forced) rebuild at the same size, reinserting in node order. */
  private rehash(force: boolean): void {
    const oldSize = this.mask + 1;
    const inUse = this.used;
    let size: number;
    if (inUse >= oldSize - oldSize / 4) size = oldSize * 2;
    else if (inUse <= oldSize / 4 && oldSize > MIN_NODES) size = oldSize / 2;
    else if (force) size = oldSize;
    else return;
    const old = this.nodes;
    this.nodes = allocNodes(size);
    this.mask = size - 1;
    this.firstFree = (size - 1) * STRIDE;
    this.used = 0;
    const end = oldSize * STRIDE;
    for (let n = 0; n < end; n += STRIDE) {
      const key = old[n + KEY]!;
      if (key !== null) this.insert(key, old[n + HASH] as number, old[n + VAL]!);
    }
  }

  /** Removes `key`; returns its value, or undefined when it was absent. The table may then shrink (or grow). */
  delete(key: SqValue): SqValue | undefined {
    const n = this.find(key, hashKey(key));
    if (n === NONE) return undefined;
    const nodes = this.nodes;
    const old = nodes[n + VAL]!;
    // The node stays linked in its chain; only its key and value go.
    nodes[n + KEY] = null;
    nodes[n + VAL] = null;
    this.used--;
    this.rehash(false);
    return old;
  }

  /** table.clear(): empties the table and rebuilds it at half its node count (never below 4). */
  clear(): void {
    const nodes = this.nodes;
    for (let n = 0; n < nodes.length; n += STRIDE) {
      nodes[n + KEY] = null;
      nodes[n + VAL] = null;
    }
    this.used = 0;
    this.rehash(true);
  }

  /** A table of the same node count holding this one's entries, inserted in node order; the delegate is kept. */
  clone(): SqTable {
    const t = new SqTable(this.mask + 1);
    const nodes = this.nodes;
    for (let n = 0; n < nodes.length; n += STRIDE) {
      const key = nodes[n + KEY]!;
      if (key !== null) t.insert(key, nodes[n + HASH] as number, nodes[n + VAL]!);
    }
    t.delegate = this.delegate;
    return t;
  }

  /** Iteration as foreach does it: the first used node index ≥ i, or -1. */
  nextIndex(i: number): number {
    const nodes = this.nodes;
    const end = this.mask + 1;
    for (let n = i < 0 ? 0 : i; n < end; n++) {
      if (nodes[n * STRIDE + KEY] !== null) return n;
    }
    return -1;
  }

  /** The key at node i (null for an unused node). */
  keyAt(i: number): SqValue {
    return this.nodes[i * STRIDE + KEY] ?? null;
  }

  /** The value at node i (null for an unused node). */
  valueAt(i: number): SqValue {
    return this.nodes[i * STRIDE + VAL] ?? null;
  }

  /** The keys in node (iteration) order. */
  keys(): SqValue[] {
    const out: SqValue[] = [];
    const nodes = this.nodes;
    for (let n = 0; n < nodes.length; n += STRIDE) {
      const key = nodes[n + KEY]!;
      if (key !== null) out.push(key);
    }
    return out;
  }

  /** The entries in node (iteration) order. */
  entries(): [SqValue, SqValue][] {
    const out: [SqValue, SqValue][] = [];
    const nodes = this.nodes;
    for (let n = 0; n < nodes.length; n += STRIDE) {
      const key = nodes[n + KEY]!;
      if (key !== null) out.push([key, nodes[n + VAL]!]);
    }
    return out;
  }

  /** As a table literal with these n slots: sized for n, then each slot created in order. */
  static fromEntries(entries: [SqValue, SqValue][]): SqTable {
    const t = new SqTable(entries.length);
    for (const [key, value] of entries) t.newSlot(key, value);
    return t;
  }
}
