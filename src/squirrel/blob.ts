import { checkAllocation } from "./runtime/errors.js";
/**
 * The imp's blob: a growable byte buffer with a read/write pointer, as
 * Squirrel 3.0.4's sqstdblob implements it, with Electric Imp's additions and
 * documented differences (`readstring`, `writestring`, `tostring`; `writen`
 * of a value that is not a number writes zeros). Little-endian.
 *
 * The semantics worth knowing, all as the C code has them:
 * - `len()` is the data size; `resize(n)` sets the memory allocation, so it
 *   shrinks the data (and pulls the pointer back) but never grows it.
 * - Writing at the pointer overwrites and, past the end, grows the blob.
 * - `readn` needs all its bytes: short of them it still consumes what is
 *   left, then throws "io error".
 * - `readblob`/`readstring` return what is left when asked for more, and
 *   throw "no data left to read" when that is nothing (also for n <= 0).
 * - `seek` never throws for a bad offset: it returns -1 and leaves the
 *   pointer; an unknown origin is "invalid origin".
 * - Indexing is bytes, 0..len()-1, else "index out of range"; a stored value
 *   keeps its low 8 bits.
 */
import { SqError, SqFloat } from "./values.js";
import type { SqValue } from "./values.js";

/** `seek` origins, as Squirrel passes them (character constants). */
export const SEEK_BEGIN = 0x62; // 'b'
export const SEEK_CURRENT = 0x63; // 'c'
export const SEEK_END = 0x65; // 'e'

const scratch = new DataView(new ArrayBuffer(8));

/** How many bytes a `readn`/`writen` type character stands for; undefined if it is not one. */
function widthOf(type: number): number | undefined {
  switch (type) {
    case 0x63: // 'c' int8
    case 0x62: // 'b' uint8
      return 1;
    case 0x73: // 's' int16
    case 0x77: // 'w' uint16
      return 2;
    case 0x69: // 'i' int32
    case 0x6c: // 'l' SQInteger: 32 bits on the imp
    case 0x66: // 'f' float32
      return 4;
    case 0x64: // 'd' float64
      return 8;
    default:
      return undefined;
  }
}

/** A float to a C integer as the imp's ARM converts it: toward zero, saturating, NaN to 0. */
function floatToInt32(v: number): number {
  if (v !== v) return 0;
  if (v >= 2147483647) return 2147483647;
  if (v <= -2147483648) return -2147483648;
  return Math.trunc(v) | 0;
}

export class BlobData {
  /** The allocation; bytes [0, length) are the blob, the rest is zero spare room. */
  bytes: Uint8Array;
  /** The blob's size (`len()`). */
  length: number;
  /** The read/write pointer (`tell()`), 0..length. */
  pos = 0;

  /** `blob(size)`: `size` zero bytes, pointer at 0. */
  constructor(size = 0) {
    if (!Number.isInteger(size)) throw new RangeError("blob size must be an integer");
    if (size < 0) throw new SqError("cannot create blob with negative size");
    checkAllocation(size, "a blob");
    this.bytes = new Uint8Array(size);
    this.length = size;
  }

  /** A blob holding exactly `bytes` (copied), pointer at 0. */
  static from(bytes: ArrayLike<number>): BlobData {
    const b = new BlobData(bytes.length);
    b.bytes.set(bytes);
    return b;
  }

  /** A blob holding the bytes of a byte string, pointer at 0. */
  static fromString(s: string): BlobData {
    const b = new BlobData(s.length);
    for (let i = 0; i < s.length; i++) b.bytes[i] = s.charCodeAt(i) & 0xff;
    return b;
  }

  /** The blob's bytes (a view: no copy). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  len(): number {
    return this.length;
  }

  tell(): number {
    return this.pos;
  }

  /** 1 when the pointer is at the end, else null (as Squirrel returns it). */
  eos(): 1 | null {
    return this.pos === this.length ? 1 : null;
  }

  /** Blobs have nothing to flush: always 1, as sqstdblob's stream returns on success. */
  flush(): 1 {
    return 1;
  }

  /**
   * Moves the pointer `offset` bytes from the beginning ('b', the default),
   * the current position ('c') or the end ('e'). 0 on success; -1, pointer
   * unchanged, if the target is outside 0..len().
   */
  seek(offset: number, origin: number = SEEK_BEGIN): 0 | -1 {
    let base: number;
    if (origin === SEEK_BEGIN) base = 0;
    else if (origin === SEEK_CURRENT) base = this.pos;
    else if (origin === SEEK_END) base = this.length;
    else throw new SqError("invalid origin");
    const target = base + offset;
    if (target > this.length || target < 0) return -1;
    this.pos = target;
    return 0;
  }

  /**
   * Sets the allocation to `n` bytes: data beyond `n` is lost (size and
   * pointer are cut back to `n`); a larger `n` only reserves room — `len()`
   * does not change.
   */
  resize(n: number): void {
    if (n < 0) throw new SqError("resize failed");
    checkAllocation(n, "a blob");
    if (n === this.bytes.length) return;
    const next = new Uint8Array(n);
    next.set(this.bytes.subarray(0, Math.min(this.length, n)));
    this.bytes = next;
    if (this.length > n) this.length = n;
    if (this.pos > n) this.pos = n;
  }

  /** Byte `i` (0–255); "index out of range" outside 0..len()-1. */
  get(i: number): number {
    if (i < 0 || i >= this.length) throw new SqError("index out of range");
    return this.bytes[i] ?? 0;
  }

  /** Stores the low 8 bits of `value` at `i`; "index out of range" outside 0..len()-1. */
  set(i: number, value: number): void {
    if (i < 0 || i >= this.length) throw new SqError("index out of range");
    this.bytes[i] = value & 0xff;
  }

  /**
   * foreach over a blob: the index after `prev` (null to start), or null at
   * the end. As in sqstdblob, the first index is 0 even for an empty blob:
   * reading it then fails, which Squirrel's foreach reports as "_nexti
   * returned an invalid idx".
   */
  nexti(prev: number | null): number | null {
    if (prev === null) return 0;
    return prev + 1 < this.length ? prev + 1 : null;
  }

  /** `clone`: the same bytes, pointer at 0. */
  clone(): BlobData {
    return BlobData.from(this.view());
  }

  /** The blob's bytes as a byte string (the imp's `tostring()`). */
  tostring(): string {
    return bytesToString(this.bytes, 0, this.length);
  }

  /** Reverses each pair of bytes; a trailing odd byte stays. */
  swap2(): void {
    const b = this.bytes;
    for (let i = 0; i + 1 < this.length; i += 2) {
      const t = b[i] ?? 0;
      b[i] = b[i + 1] ?? 0;
      b[i + 1] = t;
    }
  }

  /** Reverses each group of four bytes; 1–3 trailing bytes stay. */
  swap4(): void {
    const b = this.bytes;
    for (let i = 0; i + 3 < this.length; i += 4) {
      const b0 = b[i] ?? 0;
      const b1 = b[i + 1] ?? 0;
      b[i] = b[i + 3] ?? 0;
      b[i + 1] = b[i + 2] ?? 0;
      b[i + 2] = b1;
      b[i + 3] = b0;
    }
  }

  /**
   * Reads one value of `type` ('c' int8, 'b' uint8, 's' int16, 'w' uint16,
   * 'i' and 'l' int32 → integer; 'f' float32, 'd' float64 → float, a double
   * rounded to Squirrel's 32-bit float) at the pointer and advances it.
   */
  readn(type: number): number | SqFloat {
    const width = widthOf(type);
    if (width === undefined) throw new SqError("invalid format");
    const avail = this.length - this.pos;
    if (avail < width) {
      // The stream reads what is left, then reports the short read.
      if (avail > 0) this.pos = this.length;
      throw new SqError("io error");
    }
    for (let i = 0; i < width; i++) scratch.setUint8(i, this.bytes[this.pos + i] ?? 0);
    this.pos += width;
    switch (type) {
      case 0x63:
        return scratch.getInt8(0);
      case 0x62:
        return scratch.getUint8(0);
      case 0x73:
        return scratch.getInt16(0, true);
      case 0x77:
        return scratch.getUint16(0, true);
      case 0x66:
        return new SqFloat(scratch.getFloat32(0, true));
      case 0x64:
        return new SqFloat(scratch.getFloat64(0, true));
      default:
        return scratch.getInt32(0, true);
    }
  }

  /**
   * Writes `value` as `type` (see readn) at the pointer, growing the blob if
   * needed. Integers and floats convert as C casts them (a float to an
   * integer type truncates, saturating; an integer to 'f'/'d' rounds);
   * wider integers keep their low bytes. Any other value writes zeros, as
   * the imp documents.
   */
  writen(value: SqValue, type: number): void {
    const width = widthOf(type);
    if (width === undefined) throw new SqError("invalid format");
    let num: number | null = null;
    let isFloat = false;
    if (typeof value === "number") num = value;
    else if (value instanceof SqFloat) {
      num = value.v;
      isFloat = true;
    }
    if (num === null) {
      for (let i = 0; i < width; i++) scratch.setUint8(i, 0);
    } else if (type === 0x66 || type === 0x64) {
      const f = Math.fround(num);
      if (type === 0x66) scratch.setFloat32(0, f, true);
      else scratch.setFloat64(0, f, true);
    } else {
      scratch.setInt32(0, isFloat ? floatToInt32(num) : num | 0, true);
    }
    this.writeBytes(scratch, width);
  }

  /** Writes the bytes of a byte string at the pointer, growing the blob if needed. */
  writestring(s: string): void {
    const n = s.length;
    this.ensureRoomFor(n);
    for (let i = 0; i < n; i++) this.bytes[this.pos + i] = s.charCodeAt(i) & 0xff;
    this.advanceWritten(n);
  }

  /**
   * Writes another blob's bytes (all of them, whatever its pointer) at the
   * pointer; returns how many (stock sqstdblob returns that count; Electric
   * Imp's docs say the method returns nothing).
   */
  writeblob(other: BlobData): number {
    const src = other.view().slice();
    this.ensureRoomFor(src.length);
    this.bytes.set(src, this.pos);
    this.advanceWritten(src.length);
    return src.length;
  }

  /** Up to `n` bytes from the pointer, as a new blob; "no data left to read" if none. */
  readblob(n: number): BlobData {
    return BlobData.from(this.take(n));
  }

  /** Up to `n` bytes from the pointer, as a byte string; "no data left to read" if none. */
  readstring(n: number): string {
    const b = this.take(n);
    return bytesToString(b, 0, b.length);
  }

  private take(n: number): Uint8Array {
    const want = Math.min(n, this.length);
    const got = Math.min(want, this.length - this.pos);
    if (got <= 0) throw new SqError("no data left to read");
    const out = this.bytes.slice(this.pos, this.pos + got);
    this.pos += got;
    return out;
  }

  private writeBytes(src: DataView, n: number): void {
    this.ensureRoomFor(n);
    for (let i = 0; i < n; i++) this.bytes[this.pos + i] = src.getUint8(i);
    this.advanceWritten(n);
  }

  /** Makes the allocation hold `n` more bytes at the pointer (doubling, as sqstdblob grows). */
  private ensureRoomFor(n: number): void {
    const end = this.pos + n;
    if (end <= this.bytes.length) return;
    const grown = Math.max(end, this.length * 2);
    const next = new Uint8Array(grown);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  private advanceWritten(n: number): void {
    this.pos += n;
    if (this.pos > this.length) this.length = this.pos;
  }
}

function bytesToString(b: Uint8Array, from: number, to: number): string {
  let s = "";
  const CHUNK = 8192;
  for (let i = from; i < to; i += CHUNK) {
    s += String.fromCharCode(...b.subarray(i, Math.min(i + CHUNK, to)));
  }
  return s;
}
