/**
 * The Squirrel standard library's regular expressions (sqstdrex, Squirrel
 * 3.0.4), as the imp runs them: the same pattern syntax, the same compile
 * errors, and the same matcher, quirks included. The matcher is not a
 * backtracking one: a repeat stops early as soon as what follows it matches,
 * an alternation commits to its first branch that matches, a group keeps
 * the capture of its first pass, and a group right after a repeat loses its
 * capture to the repeat's look-ahead. Imp code depends on these results
 * (Electric Imp's docs list the "not greedy enough" behaviour as a known
 * issue). One addition: a match that takes more than STEP_LIMIT steps (only
 * nested repeats of empty matches get there) throws instead of hanging.
 *
 * Syntax: `\` escapes (`\n \t \r \f \v` are control characters; `\a \A \w \W
 * \s \S \d \D \x \X \c \C \p \P \l \u` are C-locale ctype classes: alpha,
 * alnum or `_`, space, digit, hex digit, control, punctuation, lower, upper;
 * `\b \B` a "word" boundary that only looks at spaces; any other escaped
 * byte is itself), `.` `^` (only first in the pattern, a group or an
 * alternative) `$` `[...]` `[^...]` with ranges, `|`, `(...)`, `(?:...)`,
 * `*` `+` `?` `{n}` `{n,}` `{n,m}`. A quantifier or special character where
 * none is expected is a literal (`*a`, `a*?` is `a*` then a `?`).
 *
 * Strings are byte strings (char codes 0–255); like the C code, matching
 * stops at the first NUL byte of the subject and of the pattern. Bytes are
 * unsigned (the imp's ARM), and consuming nodes never match at the end of
 * the text (the fix Electric Imp contributed to Squirrel in January 2016;
 * stock 3.0.4 reads past the end there).
 */
import { tickIfRunning } from "./runtime/calls.js";
import { SqError } from "./values.js";

/** What the engine returns for a match or a capture: byte offsets into the subject. */
export interface RegexpMatch {
  begin: number;
  end: number;
}

// Node types: 0–255 are literal bytes; the operators follow (MAX_CHAR = 0xFF).
const OP_GREEDY = 256;
const OP_OR = 257;
const OP_EXPR = 258;
const OP_NOCAPEXPR = 259;
const OP_DOT = 260;
const OP_CLASS = 261;
const OP_CCLASS = 262;
const OP_NCLASS = 263;
const OP_RANGE = 264;
const OP_EOL = 266;
const OP_BOL = 267;
const OP_WB = 268;

const NONE = -1;
const REPEAT_UNBOUNDED = 0xffff;
/** A bound on matcher steps per call, so a pathological pattern (`((a*)*)*`) cannot hang the simulation. */
const STEP_LIMIT = 20_000_000;

/** C-locale ctype for one unsigned byte. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isAlpha(c: number): boolean {
  return isUpper(c) || isLower(c);
}
function isAlnum(c: number): boolean {
  return isAlpha(c) || isDigit(c);
}
function isXDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isCntrl(c: number): boolean {
  return c < 32 || c === 127;
}
function isPrint(c: number): boolean {
  return c >= 32 && c <= 126;
}
function isPunct(c: number): boolean {
  return isPrint(c) && c !== 32 && !isAlnum(c);
}

/** Whether byte `c` is in the class named by the escape letter `cls`. */
function inCharClass(cls: number, c: number): boolean {
  switch (cls) {
    case 0x61 /* a */:
      return isAlpha(c);
    case 0x41 /* A */:
      return !isAlpha(c);
    case 0x77 /* w */:
      return isAlnum(c) || c === 95;
    case 0x57 /* W */:
      return !isAlnum(c) && c !== 95;
    case 0x73 /* s */:
      return isSpace(c);
    case 0x53 /* S */:
      return !isSpace(c);
    case 0x64 /* d */:
      return isDigit(c);
    case 0x44 /* D */:
      return !isDigit(c);
    case 0x78 /* x */:
      return isXDigit(c);
    case 0x58 /* X */:
      return !isXDigit(c);
    case 0x63 /* c */:
      return isCntrl(c);
    case 0x43 /* C */:
      return !isCntrl(c);
    case 0x70 /* p */:
      return isPunct(c);
    case 0x50 /* P */:
      return !isPunct(c);
    case 0x6c /* l */:
      return isLower(c);
    case 0x75 /* u */:
      return isUpper(c);
    default:
      return false;
  }
}

/** The escape letters that name a class (everywhere, also inside `[...]`). */
const CLASS_LETTERS = new Set([..."aAwWsSdDxXcCpPlu"].map((ch) => ch.charCodeAt(0)));

/**
 * One node of the compiled program. `left`/`right` depend on the type:
 * GREEDY: left = repeated node, min/max bounds; OR: the two alternatives;
 * EXPR: left = first node inside, right = capture index; CLASS/NCLASS: left =
 * first member; CCLASS: left = class letter; RANGE: left..right bytes;
 * WB: left = 'b' or 'B'. `next` chains nodes in sequence.
 */
interface Node {
  type: number;
  left: number;
  right: number;
  next: number;
  min: number;
  max: number;
}

/** A compiled sqstdrex pattern. */
export class Regexp {
  private readonly nodes: Node[] = [];
  private nsubexpr = 0;
  // Capture slots persist across calls, as in the C engine (a group not
  // reached by the latest match keeps what an earlier attempt left there).
  private capBegin: number[] = [];
  private capLen: number[] = [];
  // Compile state.
  private pat = "";
  private p = 0;
  // Match state.
  private subject = "";
  private bol = 0;
  private eol = 0;
  private currsubexp = 0;
  private steps = 0;

  /** Compiles `pattern`; throws SqError with sqstdrex's message when it is malformed. */
  constructor(pattern: string) {
    this.pat = pattern;
    this.p = 0;
    const first = this.newNode(OP_EXPR);
    const body = this.parseList();
    this.node(first).left = body;
    if (this.peek() !== 0) throw new SqError("unexpected character");
    this.capBegin = new Array<number>(this.nsubexpr).fill(NONE);
    this.capLen = new Array<number>(this.nsubexpr).fill(0);
    this.pat = "";
  }

  /** How many groups the pattern has, the whole match (group 0) included. */
  subexpcount(): number {
    return this.nsubexpr;
  }

  /** Whether the pattern matches all of `s` (up to its first NUL byte). */
  match(s: string): boolean {
    this.subject = s;
    this.bol = 0;
    this.eol = cStrEnd(s, 0);
    this.currsubexp = 0;
    this.steps = 0;
    const r = this.matchNode(0, 0, NONE);
    return r !== NONE && r === this.eol;
  }

  /**
   * The first match at or after byte `start`, trying each start position in
   * turn (but not the end of the text itself); null when there is none, when
   * the text from `start` is empty, or when `start` lies outside the string.
   * Offsets count from the beginning of `s`.
   */
  search(s: string, start = 0): RegexpMatch | null {
    const end = this.searchFrom(s, start);
    if (end === null) return null;
    return { begin: end[0], end: end[1] };
  }

  /**
   * Like search, then every group's span, group 0 (the whole match) first.
   * A group whose last recorded span is empty reads as `{begin: 0, end: 0}`,
   * as Squirrel reports it, even group 0.
   */
  capture(s: string, start = 0): RegexpMatch[] | null {
    if (this.searchFrom(s, start) === null) return null;
    const out: RegexpMatch[] = [];
    for (let i = 0; i < this.nsubexpr; i++) {
      const len = this.capLen[i] ?? 0;
      const begin = this.capBegin[i] ?? NONE;
      out.push(len > 0 ? { begin, end: begin + len } : { begin: 0, end: 0 });
    }
    return out;
  }

  // ---- compiling -------------------------------------------------------

  private node(i: number): Node {
    const n = this.nodes[i];
    if (n === undefined) throw new Error(`regexp: no node ${i}`);
    return n;
  }

  private newNode(type: number): number {
    const n: Node = { type, left: NONE, right: NONE, next: NONE, min: 0, max: 0 };
    if (type === OP_EXPR) n.right = this.nsubexpr++;
    this.nodes.push(n);
    return this.nodes.length - 1;
  }

  /** The pattern byte at the cursor; the end of the pattern (or a NUL in it) reads as 0. */
  private peek(): number {
    return this.p < this.pat.length ? this.pat.charCodeAt(this.p) & 0xff : 0;
  }

  private expect(c: number): void {
    if (this.peek() !== c) throw new SqError("expected paren");
    this.p++;
  }

  /** After a `\`: the escaped byte. A pattern ending in `\` is an error. */
  private escaped(): number {
    const c = this.peek();
    if (c === 0) throw new SqError("letter expected");
    return c;
  }

  /** The end of a class range: a byte, `\n`-style escapes translated. */
  private rangeEnd(): number {
    if (this.peek() === 0x5c /* \ */) {
      this.p++;
      const c = this.escaped();
      this.p++;
      return controlEscape(c) ?? c;
    }
    const c = this.peek();
    if (!isPrint(c)) throw new SqError("letter expected");
    this.p++;
    return c;
  }

  /** A single-byte atom: a literal, an escape, a class letter or (outside classes) `\b`/`\B`. */
  private charNode(inClass: boolean): number {
    if (this.peek() === 0x5c /* \ */) {
      this.p++;
      const c = this.escaped();
      this.p++;
      const ctl = controlEscape(c);
      if (ctl !== undefined) return this.newNode(ctl);
      if (CLASS_LETTERS.has(c)) {
        const n = this.newNode(OP_CCLASS);
        this.node(n).left = c;
        return n;
      }
      if (!inClass && (c === 0x62 /* b */ || c === 0x42) /* B */) {
        const n = this.newNode(OP_WB);
        this.node(n).left = c;
        return n;
      }
      return this.newNode(c);
    }
    const c = this.peek();
    if (!isPrint(c)) throw new SqError("letter expected");
    this.p++;
    return this.newNode(c);
  }

  /** `[...]` after its `[`: members chained from the class node's `left`. */
  private parseClass(): number {
    let cls: number;
    if (this.peek() === 0x5e /* ^ */) {
      cls = this.newNode(OP_NCLASS);
      this.p++;
    } else {
      cls = this.newNode(OP_CLASS);
    }
    if (this.peek() === 0x5d /* ] */) throw new SqError("empty class");
    let chain = cls;
    let pending = NONE;
    // The C loop also stops at the end of the text; its end pointer is unset
    // while compiling, so only `]` (or an error inside) ends it.
    while (this.peek() !== 0x5d) {
      if (this.peek() === 0x2d /* - */ && pending !== NONE) {
        this.p++;
        const range = this.newNode(OP_RANGE);
        const lo = this.node(pending).type;
        if (lo > this.peek()) throw new SqError("invalid range");
        if (lo === OP_CCLASS) throw new SqError("cannot use character classes in ranges");
        this.node(range).left = lo;
        this.node(range).right = this.rangeEnd();
        this.node(chain).next = range;
        chain = range;
        pending = NONE;
      } else {
        if (pending !== NONE) {
          this.node(chain).next = pending;
          chain = pending;
        }
        pending = this.charNode(true);
      }
    }
    if (pending !== NONE) {
      this.node(chain).next = pending;
    }
    const c = this.node(cls);
    c.left = c.next;
    c.next = NONE;
    return cls;
  }

  /** Digits of a `{}` bound: at most nine, then truncated to 16 bits as the C code stores them. */
  private parseNumber(): number {
    let n = this.peek() - 48;
    this.p++;
    let digits = 1;
    while (isDigit(this.peek())) {
      n = n * 10 + (this.peek() - 48);
      this.p++;
      digits++;
      if (digits === 10) throw new SqError("overflow in numeric constant");
    }
    return n & 0xffff;
  }

  /** One atom and its quantifier. */
  private parseElement(): number {
    let ret: number;
    const c = this.peek();
    if (c === 0x28 /* ( */) {
      this.p++;
      let expr: number;
      if (this.peek() === 0x3f /* ? */) {
        this.p++;
        this.expect(0x3a /* : */);
        expr = this.newNode(OP_NOCAPEXPR);
      } else {
        expr = this.newNode(OP_EXPR);
      }
      const inner = this.parseList();
      this.node(expr).left = inner;
      ret = expr;
      this.expect(0x29 /* ) */);
    } else if (c === 0x5b /* [ */) {
      this.p++;
      ret = this.parseClass();
      this.expect(0x5d /* ] */);
    } else if (c === 0x24 /* $ */) {
      this.p++;
      ret = this.newNode(OP_EOL);
    } else if (c === 0x2e /* . */) {
      this.p++;
      ret = this.newNode(OP_DOT);
    } else {
      ret = this.charNode(false);
    }

    let quantified = false;
    let min = 0;
    let max = 0;
    const q = this.peek();
    if (q === 0x2a /* * */) {
      min = 0;
      max = REPEAT_UNBOUNDED;
      this.p++;
      quantified = true;
    } else if (q === 0x2b /* + */) {
      min = 1;
      max = REPEAT_UNBOUNDED;
      this.p++;
      quantified = true;
    } else if (q === 0x3f /* ? */) {
      min = 0;
      max = 1;
      this.p++;
      quantified = true;
    } else if (q === 0x7b /* { */) {
      this.p++;
      if (!isDigit(this.peek())) throw new SqError("number expected");
      min = this.parseNumber();
      if (this.peek() === 0x7d /* } */) {
        max = min;
        this.p++;
      } else if (this.peek() === 0x2c /* , */) {
        this.p++;
        max = REPEAT_UNBOUNDED;
        if (isDigit(this.peek())) max = this.parseNumber();
        this.expect(0x7d /* } */);
      } else {
        throw new SqError(", or } expected");
      }
      quantified = true;
    }
    if (quantified) {
      const g = this.newNode(OP_GREEDY);
      const gn = this.node(g);
      gn.left = ret;
      gn.min = min;
      gn.max = max;
      ret = g;
    }

    return ret;
  }

  /**
   * Elements in sequence, chained by `next`, up to `|`, `)` or the end. A `*`
   * or `+` here (after a quantifier) also ends it, and the pattern then fails
   * to compile; any other byte starts a new element, even `?` or `{`.
   */
  private parseSequence(): number {
    const first = this.parseElement();
    let last = first;
    for (;;) {
      const c = this.peek();
      if (c === 0x7c /* | */ || c === 0x29 /* ) */ || c === 0x2a /* * */ || c === 0x2b /* + */ || c === 0) break;
      const n = this.parseElement();
      this.node(last).next = n;
      last = n;
    }
    return first;
  }

  /** A sequence, optionally `^`-anchored, then `|` and the remaining alternatives. */
  private parseList(): number {
    let ret = NONE;
    if (this.peek() === 0x5e /* ^ */) {
      this.p++;
      ret = this.newNode(OP_BOL);
    }
    const e = this.parseSequence();
    if (ret !== NONE) this.node(ret).next = e;
    else ret = e;
    if (this.peek() === 0x7c /* | */) {
      this.p++;
      const or = this.newNode(OP_OR);
      this.node(or).left = ret;
      const right = this.parseList();
      this.node(or).right = right;
      ret = or;
    }
    return ret;
  }

  // ---- matching --------------------------------------------------------

  /** The subject byte at `i`; past the string (the C terminator and beyond) reads as 0. */
  private at(i: number): number {
    return i < this.subject.length ? this.subject.charCodeAt(i) & 0xff : 0;
  }

  /** sqstd_rex_searchrange from `start`; returns [begin, end] or null. */
  private searchFrom(s: string, start: number): [number, number] | null {
    if (!Number.isInteger(start) || start < 0 || start > s.length) return null;
    const textEnd = cStrEnd(s, start);
    if (start >= textEnd) return null;
    this.subject = s;
    this.bol = start;
    this.eol = textEnd;
    this.steps = 0;
    for (let pos = start; pos < textEnd; pos++) {
      this.currsubexp = 0;
      const cur = this.matchNode(0, pos, NONE);
      if (cur !== NONE) return [pos, cur];
    }
    return null;
  }

  private inClass(first: number, c: number): boolean {
    let i = first;
    while (i !== NONE) {
      const n = this.node(i);
      if (n.type === OP_RANGE) {
        if (c >= n.left && c <= n.right) return true;
      } else if (n.type === OP_CCLASS) {
        if (inCharClass(n.left, c)) return true;
      } else if (c === n.type) {
        return true;
      }
      i = n.next;
    }
    return false;
  }

  /**
   * Matches node `ni` at `str`; returns the position after it, or NONE.
   * `next` is the node that follows in the enclosing sequence (a repeat
   * looks at it to decide when to stop), or NONE.
   */
  private matchNode(ni: number, str: number, next: number): number {
    if (++this.steps > STEP_LIMIT) throw new SqError("regexp: pattern too complex for this string");
    // Matching is work of the turn like any loop: a program retrying a slow search forever is a runaway (S7).
    if ((this.steps & 1023) === 0) tickIfRunning();
    const node = this.node(ni);
    switch (node.type) {
      case OP_GREEDY:
        return this.matchGreedy(node, str, next);
      case OP_OR: {
        const l = this.matchSequence(node.left, str);
        if (l !== NONE) return l;
        return this.matchSequence(node.right, str);
      }
      case OP_EXPR:
      case OP_NOCAPEXPR:
        return this.matchGroup(node, str, next);
      case OP_WB: {
        const c = this.at(str);
        const boundary =
          (str === this.bol && !isSpace(c)) ||
          (str === this.eol && !isSpace(this.at(str - 1))) ||
          (!isSpace(c) && isSpace(this.at(str + 1))) ||
          (isSpace(c) && !isSpace(this.at(str + 1)));
        const wantBoundary = node.left === 0x62; /* b */
        return boundary === wantBoundary ? str : NONE;
      }
      case OP_BOL:
        return str === this.bol ? str : NONE;
      case OP_EOL:
        return str === this.eol ? str : NONE;
      case OP_DOT:
        return str === this.eol ? NONE : str + 1;
      case OP_CLASS:
      case OP_NCLASS: {
        if (str === this.eol) return NONE;
        const hit = this.inClass(node.left, this.at(str));
        return hit === (node.type === OP_CLASS) ? str + 1 : NONE;
      }
      case OP_CCLASS:
        if (str === this.eol) return NONE;
        return inCharClass(node.left, this.at(str)) ? str + 1 : NONE;
      default:
        if (str === this.eol) return NONE;
        return this.at(str) === node.type ? str + 1 : NONE;
    }
  }

  /** An alternative of `|`: its nodes in turn, each told nothing of what follows. */
  private matchSequence(first: number, str: number): number {
    let cur = str;
    let i = first;
    for (;;) {
      cur = this.matchNode(i, cur, NONE);
      if (cur === NONE) return NONE;
      const n = this.node(i).next;
      if (n === NONE) return cur;
      i = n;
    }
  }

  private matchGroup(node: Node, str: number, next: number): number {
    let capture = NONE;
    if (node.type === OP_EXPR && node.right === this.currsubexp) {
      capture = this.currsubexp;
      this.capBegin[capture] = str;
      this.currsubexp++;
    }
    const saved = this.currsubexp;
    let cur = str;
    let i = node.left;
    for (;;) {
      const n = this.node(i);
      const follow = n.next !== NONE ? n.next : next;
      cur = this.matchNode(i, cur, follow);
      if (cur === NONE) {
        if (capture !== NONE) {
          this.capBegin[capture] = NONE;
          this.capLen[capture] = 0;
        }
        return NONE;
      }
      if (n.next === NONE) break;
      i = n.next;
    }
    this.currsubexp = saved;
    if (capture !== NONE) this.capLen[capture] = cur - (this.capBegin[capture] ?? 0);
    return cur;
  }

  /**
   * A repeat: takes matches one at a time and stops as soon as the node that
   * follows (`stop`) would match there and the count is acceptable — or at
   * the end of the text, or at the maximum.
   */
  private matchGreedy(node: Node, str: number, next: number): number {
    const stop = node.next !== NONE ? node.next : next;
    const { min, max } = node;
    let count = 0;
    let s = str;
    let good = str;
    while (count === REPEAT_UNBOUNDED || count < max) {
      s = this.matchNode(node.left, s, stop);
      if (s === NONE) break;
      count++;
      good = s;
      if (stop !== NONE) {
        const sn = this.node(stop);
        // A following repeat that may match nothing would always "match": skip the check.
        if (sn.type !== OP_GREEDY || sn.min !== 0) {
          let after = NONE;
          if (sn.next !== NONE) after = sn.next;
          else if (next !== NONE && this.node(next).next !== NONE) after = this.node(next).next;
          if (this.matchNode(stop, s, after) !== NONE && countOk(count, min, max)) break;
        }
      }
      if (s >= this.eol) break;
    }
    return countOk(count, min, max) ? good : NONE;
  }
}

function countOk(count: number, min: number, max: number): boolean {
  if (min === max && min === count) return true;
  if (count >= min && max === REPEAT_UNBOUNDED) return true;
  return count >= min && count <= max;
}

/** `\n \t \r \f \v` → their control byte; other letters → undefined. */
function controlEscape(c: number): number | undefined {
  switch (c) {
    case 0x6e /* n */:
      return 10;
    case 0x74 /* t */:
      return 9;
    case 0x72 /* r */:
      return 13;
    case 0x66 /* f */:
      return 12;
    case 0x76 /* v */:
      return 11;
    default:
      return undefined;
  }
}

/** Where C's strlen would stop, reading `s` from `from`: the first NUL byte, or the end. */
function cStrEnd(s: string, from: number): number {
  const i = s.indexOf("\0", from);
  return i < 0 ? s.length : i;
}
