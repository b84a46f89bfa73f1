import { ExpressionError } from "./builder-value.js";

/**
 * A Builder expression (Builder's README, "Expressions"): numbers, strings,
 * true/false/null, variables, `a.b`, `a[b]`, `[1, 2]`, calls, unary `+ - !`,
 * binary `|| && == != < > <= >= + - * / %`, the filter `value | f`, and
 * `test ? a : b`. `pos` is the character offset of the node in its text.
 */
export type Expr =
  | { readonly kind: "literal"; readonly pos: number; readonly value: null | boolean | number | string }
  | { readonly kind: "identifier"; readonly pos: number; readonly name: string }
  | { readonly kind: "array"; readonly pos: number; readonly elements: readonly Expr[] }
  | { readonly kind: "member"; readonly pos: number; readonly object: Expr; readonly property: Expr }
  | { readonly kind: "call"; readonly pos: number; readonly callee: Expr; readonly args: readonly Expr[] }
  | { readonly kind: "unary"; readonly pos: number; readonly op: "+" | "-" | "!"; readonly argument: Expr }
  | { readonly kind: "binary"; readonly pos: number; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | {
      readonly kind: "conditional";
      readonly pos: number;
      readonly test: Expr;
      readonly consequent: Expr;
      readonly alternate: Expr;
    };

export type BinaryOp = "||" | "&&" | "|" | "==" | "!=" | "<" | ">" | "<=" | ">=" | "+" | "-" | "*" | "/" | "%";

// Builder's precedences (jsep's, less the operators Builder removes).
const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  "||": 1,
  "&&": 2,
  "|": 3,
  "==": 6,
  "!=": 6,
  "<": 7,
  ">": 7,
  "<=": 7,
  ">=": 7,
  "+": 9,
  "-": 9,
  "*": 10,
  "/": 10,
  "%": 10,
};

// Operators JavaScript has and Builder removed: named in the error.
const REMOVED = ["===", "!==", ">>>", "<<", ">>", "&", "^", "~", "="];

/**
 * How deep an expression may nest: brackets, prefix operators, `?:`, and the
 * chains `a + b + …`, `a.b.c…`, `f()()…` (each link one level of the tree).
 * The parser and the evaluator recurse over it, and a few thousand levels
 * overflow the JavaScript stack; real Builder expressions are a few levels.
 */
export const MAX_EXPRESSION_DEPTH = 200;

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v" };

/**
 * Parses the expression starting at `start` in `text`. With `closer` (the
 * `}` of `@{…}`), parsing stops before it and `end` is its index; without,
 * the expression must run to the end of the text.
 */
export function parseExpression(text: string, start: number, closer?: "}"): { expr: Expr; end: number } {
  const p = new Parser(text, start);
  p.spaces();
  if (p.at() === "" || (closer !== undefined && p.at() === closer)) throw new ExpressionError("expected an expression", p.i);
  const expr = p.expression();
  p.spaces();
  if (closer !== undefined) {
    if (p.at() !== closer) throw new ExpressionError(p.at() === "" ? `expected "${closer}"` : p.unexpected(), p.i);
  } else if (p.at() !== "") {
    throw new ExpressionError(p.unexpected(), p.i);
  }
  return { expr, end: p.i };
}

class Parser {
  i: number;
  /** Open recursive calls (expression, prefix operators): bounds the parser's own stack. */
  private depth = 0;
  /** Each node's height, leaves 1: bounds the evaluator's recursion over the tree. */
  private readonly heights = new WeakMap<Expr, number>();
  constructor(
    private readonly s: string,
    start: number,
  ) {
    this.i = start;
  }

  at(k = 0): string {
    return this.s.charAt(this.i + k);
  }

  spaces(): void {
    while (this.i < this.s.length && " \t\r\n".includes(this.s.charAt(this.i))) this.i++;
  }

  unexpected(): string {
    for (const op of REMOVED) {
      if (this.s.startsWith(op, this.i) && !(op === "=" && this.s.startsWith("==", this.i))) {
        return op === "=" ? `"=" is not an operator here (compare with "==")` : `Builder has no "${op}" operator`;
      }
    }
    const c = this.at();
    return c === "" ? "unexpected end of expression" : `unexpected "${c}"`;
  }

  expect(c: string): void {
    this.spaces();
    if (this.at() !== c) throw new ExpressionError(this.at() === "" ? `expected "${c}"` : `expected "${c}", got "${this.at()}"`, this.i);
    this.i++;
  }

  private tooDeep(pos: number): never {
    throw new ExpressionError(`expression nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels)`, pos);
  }

  /** Runs one level deeper in the parser's recursion. */
  private nested<T>(run: () => T): T {
    if (this.depth >= MAX_EXPRESSION_DEPTH) this.tooDeep(this.i);
    this.depth++;
    try {
      return run();
    } finally {
      this.depth--;
    }
  }

  /** A new node over `children`, refused when the tree grows too tall (left-leaning chains loop here, not recurse). */
  private node<E extends Expr>(e: E, children: readonly Expr[]): E {
    let height = 1;
    for (const c of children) height = Math.max(height, (this.heights.get(c) ?? 1) + 1);
    if (height > MAX_EXPRESSION_DEPTH) this.tooDeep(e.pos);
    this.heights.set(e, height);
    return e;
  }

  expression(): Expr {
    return this.nested(() => this.conditional());
  }

  private conditional(): Expr {
    const test = this.binary(0);
    this.spaces();
    if (this.at() !== "?") return test;
    const pos = this.i;
    this.i++;
    this.spaces();
    const consequent = this.expression();
    this.expect(":");
    this.spaces();
    const alternate = this.expression();
    return this.node({ kind: "conditional", pos, test, consequent, alternate }, [test, consequent, alternate]);
  }

  binaryOp(): BinaryOp | null {
    this.spaces();
    const s = this.s;
    const i = this.i;
    const two = s.slice(i, i + 2);
    const three = s.slice(i, i + 3);
    if (three === "===" || three === "!==") return null;
    if (two === "||" || two === "&&" || two === "==" || two === "!=" || two === "<=" || two === ">=") return two;
    if (two === "<<" || two === ">>") return null;
    const c = s.charAt(i);
    if (c === "|" || c === "<" || c === ">" || c === "+" || c === "-" || c === "*" || c === "/" || c === "%") return c;
    return null;
  }

  // Precedence climbing: operands bind tighter than `min`.
  binary(min: number): Expr {
    let left = this.unary();
    for (;;) {
      const op = this.binaryOp();
      if (op === null || PRECEDENCE[op] <= min) return left;
      const pos = this.i;
      this.i += op.length;
      this.spaces();
      if (this.at() === "") throw new ExpressionError(`"${op}" needs a right-hand side`, pos);
      const right = this.binary(PRECEDENCE[op]);
      left = this.node({ kind: "binary", pos, op, left, right }, [left, right]);
    }
  }

  unary(): Expr {
    this.spaces();
    const c = this.at();
    if (c === "-" || c === "+" || c === "!") {
      const pos = this.i;
      this.i++;
      const argument = this.nested(() => this.unary());
      return this.node({ kind: "unary", pos, op: c, argument }, [argument]);
    }
    return this.postfix(this.primary());
  }

  postfix(expr: Expr): Expr {
    for (;;) {
      this.spaces();
      const c = this.at();
      const pos = this.i;
      if (c === ".") {
        this.i++;
        this.spaces();
        const name = this.identifierName();
        if (name === null) throw new ExpressionError(`expected a property name after "."`, this.i);
        expr = this.node({ kind: "member", pos, object: expr, property: { kind: "literal", pos: pos + 1, value: name } }, [expr]);
      } else if (c === "[") {
        this.i++;
        this.spaces();
        const property = this.expression();
        this.expect("]");
        expr = this.node({ kind: "member", pos, object: expr, property }, [expr, property]);
      } else if (c === "(") {
        this.i++;
        const args = this.list(")");
        expr = this.node({ kind: "call", pos: expr.pos, callee: expr, args }, [expr, ...args]);
      } else {
        return expr;
      }
    }
  }

  list(close: string): Expr[] {
    const items: Expr[] = [];
    this.spaces();
    if (this.at() === close) {
      this.i++;
      return items;
    }
    for (;;) {
      this.spaces();
      items.push(this.expression());
      this.spaces();
      const c = this.at();
      this.i++;
      if (c === close) return items;
      if (c !== ",") {
        this.i--;
        throw new ExpressionError(c === "" ? `expected "${close}"` : `expected "," or "${close}", got "${c}"`, this.i);
      }
    }
  }

  identifierName(): string | null {
    const m = /^[$_A-Za-z\u0080-\uffff][$_A-Za-z0-9\u0080-\uffff]*/.exec(this.s.slice(this.i));
    if (m === null) return null;
    this.i += m[0].length;
    return m[0];
  }

  primary(): Expr {
    this.spaces();
    const pos = this.i;
    const c = this.at();
    if (c === "(") {
      this.i++;
      this.spaces();
      const inner = this.expression();
      this.expect(")");
      return inner;
    }
    if (c === "[") {
      this.i++;
      const elements = this.list("]");
      return this.node({ kind: "array", pos, elements }, elements);
    }
    if (c === '"' || c === "'") return { kind: "literal", pos, value: this.string(c) };
    if ((c >= "0" && c <= "9") || (c === "." && this.at(1) >= "0" && this.at(1) <= "9")) {
      return { kind: "literal", pos, value: this.number() };
    }
    const name = this.identifierName();
    if (name !== null) {
      if (name === "true") return { kind: "literal", pos, value: true };
      if (name === "false") return { kind: "literal", pos, value: false };
      if (name === "null") return { kind: "literal", pos, value: null };
      if (name === "this") throw new ExpressionError(`"this" is not supported`, pos);
      return { kind: "identifier", pos, name };
    }
    throw new ExpressionError(c === "" ? "unexpected end of expression" : this.unexpected(), pos);
  }

  number(): number {
    const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (m === null) throw new ExpressionError("bad number", this.i);
    this.i += m[0].length;
    if (/^[$_A-Za-z]/.test(this.at())) throw new ExpressionError(`bad number "${m[0]}${this.at()}"`, this.i);
    return Number(m[0]);
  }

  string(quote: string): string {
    const start = this.i;
    this.i++;
    let out = "";
    for (;;) {
      const c = this.at();
      if (c === "") throw new ExpressionError("unterminated string", start);
      this.i++;
      if (c === quote) return out;
      if (c === "\\") {
        const e = this.at();
        if (e === "") throw new ExpressionError("unterminated string", start);
        this.i++;
        out += ESCAPES[e] ?? e;
      } else {
        out += c;
      }
    }
  }
}
