import type { ClassMember, ClassNode, Expr, FunctionNode, Stmt, TableSlot } from "./ast.js";
import { CompileError } from "./compile-error.js";
import type { Token } from "./tokens.js";

/** How deep functions (lambdas, closures, methods) may nest in one another. */
export const MAX_FUNCTION_NESTING = 200;

/** A compile-time constant's value (const/enum): a scalar, or an enum's table of scalars. */
export type ConstValue = number | { float: number } | string | boolean | null | Map<string, ConstValue>;

export interface ParsedProgram {
  main: FunctionNode;
  /** Every const and enum the program declares, in order (they also go into getconsttable()). */
  constants: Map<string, ConstValue>;
}

interface FuncScope {
  node: FunctionNode;
  /** The locals of each open block: Squirrel name → the JS name the generated code uses. */
  blocks: Map<string, string>[];
  /**
   * Open loops and switches of this function (not of the functions around it),
   * as the reference's per-function break and continue targets: `break` needs
   * either, `continue` a loop (a switch takes breaks only).
   */
  loops: number;
  switches: number;
}

const ASSIGN_OPS = new Set(["=", "<-", "+=", "-=", "*=", "/=", "%="]);

/**
 * Squirrel 3.0.4's grammar, one recursive-descent method per level as in the
 * reference compiler (in and instanceof bind at the && level, as in 3.0.4).
 * Locals are resolved here: a name is a local (of this or an enclosing
 * function), a constant (substituted), or a slot looked up at run time.
 */
export class Parser {
  private pos = 0;
  private tok: Token;

  /** Where the parser is: the token it has reached. */
  position(): { line: number; column: number } {
    return { line: this.tok.line, column: this.tok.column };
  }
  private prev: Token | null = null;
  private funcs: FuncScope[] = [];
  private nextId = 0;
  /** How many locals of each name the program has declared so far: every declaration gets its own JS name. */
  private declared = new Map<string, number>();
  readonly constants: Map<string, ConstValue>;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
    constants?: Map<string, ConstValue>,
  ) {
    this.tok = tokens[0]!;
    this.constants = constants ?? new Map<string, ConstValue>();
  }

  parseProgram(): ParsedProgram {
    const main = this.newFunction("main", 1);
    main.params = [];
    main.varargs = true; // the main function receives vargv
    main.vargvName = this.fresh("vargv");
    this.funcs.push({ node: main, blocks: [new Map([["vargv", main.vargvName]])], loops: 0, switches: 0 });
    const body: Stmt[] = [];
    while (this.tok.kind !== "eof") this.statementInto(body);
    main.body = body;
    this.funcs.pop();
    return { main, constants: this.constants };
  }

  // ---- tokens ----

  private error(msg: string, at: Token = this.tok): never {
    throw new CompileError(this.file, at.line, at.column, msg);
  }

  private next(): Token {
    const t = this.tok;
    this.prev = t;
    this.pos++;
    this.tok = this.tokens[this.pos] ?? t;
    return t;
  }

  private is(text: string): boolean {
    return (this.tok.kind === "punct" || this.tok.kind === "keyword") && this.tok.text === text;
  }

  private accept(text: string): boolean {
    if (this.is(text)) {
      this.next();
      return true;
    }
    return false;
  }

  private expect(text: string): Token {
    if (!this.is(text)) this.error(`expected '${text}'`);
    return this.next();
  }

  /** An identifier; the keyword `constructor` passes too, as in the reference's Expect (so `base.constructor(…)` works). */
  private ident(): string {
    if (this.tok.kind !== "ident" && !(this.tok.kind === "keyword" && this.tok.text === "constructor")) this.error("expected 'IDENTIFIER'");
    return this.next().text;
  }

  private endOfStatement(): boolean {
    return this.tok.nl || this.tok.kind === "eof" || this.is("}") || this.is(";");
  }

  private optionalSemicolon(): void {
    if (this.accept(";")) return;
    if (!this.endOfStatement() && !this.is("else")) this.error("end of statement expected (; or lf)");
  }

  // ---- scopes ----

  private newFunction(name: string, line: number): FunctionNode {
    return { name, params: [], paramNames: [], vargvName: "", defaults: [], varargs: false, body: [], lambda: null, generator: false, line, id: this.nextId++ };
  }

  private get fn(): FuncScope {
    return this.funcs[this.funcs.length - 1]!;
  }

  /**
   * A JS name for a new local called `name`. Squirrel lets a local shadow
   * another of the same name, even in the same block, and `local x = x` reads
   * the outer x: JS's `let` allows neither, so each declaration is its own
   * JS variable (`x`, `x$1`, …; `$` is not in Squirrel identifiers).
   */
  private fresh(name: string): string {
    const n = this.declared.get(name) ?? 0;
    this.declared.set(name, n + 1);
    return n === 0 ? name : `${name}$${n}`;
  }

  /** Declares a local in the innermost block; returns its JS name. */
  private declare(name: string): string {
    const js = this.fresh(name);
    this.fn.blocks[this.fn.blocks.length - 1]!.set(name, js);
    return js;
  }

  /** The local (of this or an enclosing function) called `name`: its JS name and whether it is this function's; or undefined. */
  private resolveLocal(name: string): { js: string; own: boolean } | undefined {
    for (let f = this.funcs.length - 1; f >= 0; f--) {
      const blocks = this.funcs[f]!.blocks;
      for (let b = blocks.length - 1; b >= 0; b--) {
        const js = blocks[b]!.get(name);
        if (js !== undefined) return { js, own: f === this.funcs.length - 1 };
      }
    }
    return undefined;
  }

  private scoped<T>(run: () => T): T {
    this.fn.blocks.push(new Map());
    try {
      return run();
    } finally {
      this.fn.blocks.pop();
    }
  }

  /** Parses a loop's body (or a switch's cases) with its break/continue target open. */
  private within<T>(kind: "loops" | "switches", run: () => T): T {
    const f = this.fn;
    f[kind]++;
    try {
      return run();
    } finally {
      f[kind]--;
    }
  }

  // ---- statements ----

  private statementInto(out: Stmt[]): void {
    const s = this.statement();
    out.push(s);
    if (this.prev?.text !== "}" && this.prev?.text !== ";") this.optionalSemicolon();
  }

  private statements(): Stmt[] {
    const out: Stmt[] = [];
    while (!this.is("}") && !this.is("default") && !this.is("case")) {
      if (this.tok.kind === "eof") this.error("expected '}'");
      this.statementInto(out);
    }
    return out;
  }

  private statement(): Stmt {
    const t = this.tok;
    const line = t.line;
    if (t.kind === "punct" && t.text === ";") {
      this.next();
      return { k: "empty", line };
    }
    if (t.kind === "punct" && t.text === "{") {
      this.next();
      const body = this.scoped(() => this.statements());
      this.expect("}");
      return { k: "block", body, line };
    }
    if (t.kind !== "keyword") return { k: "expr", e: this.commaExpr(), line };
    switch (t.text) {
      case "if": {
        this.next();
        this.expect("(");
        const c = this.commaExpr();
        this.expect(")");
        const then = this.ifBlock();
        let els: Stmt | null = null;
        if (this.accept("else")) els = this.ifBlock();
        return { k: "if", c, then, else: els, line };
      }
      case "while": {
        this.next();
        this.expect("(");
        const c = this.commaExpr();
        this.expect(")");
        const body = this.within("loops", () => this.scoped(() => this.statement()));
        return { k: "while", c, body, line };
      }
      case "do": {
        this.next();
        const body = this.within("loops", () => this.scoped(() => this.statement()));
        this.expect("while");
        this.expect("(");
        const c = this.commaExpr();
        this.expect(")");
        return { k: "dowhile", c, body, line };
      }
      case "for":
        return this.forStatement();
      case "foreach":
        return this.foreachStatement();
      case "switch":
        return this.switchStatement();
      case "local":
        return this.localStatement();
      case "return":
      case "yield": {
        this.next();
        if (t.text === "yield") this.fn.node.generator = true;
        const e = this.endOfStatement() ? null : this.commaExpr();
        return { k: t.text, e, line };
      }
      // Refused here as the reference compiler does; left in, V8 would refuse the generated code instead.
      case "break":
        if (this.fn.loops + this.fn.switches === 0) this.error("'break' has to be in a loop block");
        this.next();
        return { k: "break", line };
      case "continue":
        if (this.fn.loops === 0) this.error("'continue' has to be in a loop block");
        this.next();
        return { k: "continue", line };
      case "function":
        return this.functionStatement();
      case "class":
        return this.classStatement();
      case "enum":
        return this.enumStatement();
      case "const": {
        this.next();
        const name = this.ident();
        this.expect("=");
        this.constants.set(name, this.scalar());
        return { k: "empty", line };
      }
      case "try": {
        this.next();
        const body = this.scoped(() => this.statement());
        this.expect("catch");
        this.expect("(");
        const name = this.ident();
        this.expect(")");
        let js = name;
        const handler = this.scoped(() => {
          js = this.declare(name);
          return this.statement();
        });
        return { k: "try", body, name: js, handler, line };
      }
      case "throw":
        this.next();
        return { k: "throw", e: this.commaExpr(), line };
      default:
        return { k: "expr", e: this.commaExpr(), line };
    }
  }

  private ifBlock(): Stmt {
    if (this.is("{")) return this.statement();
    const s = this.scoped(() => this.statement());
    if (this.prev?.text !== "}" && this.prev?.text !== ";") this.optionalSemicolon();
    return s;
  }

  private forStatement(): Stmt {
    const line = this.next().line;
    return this.scoped(() => {
      this.expect("(");
      let init: Stmt | null = null;
      if (this.is("local")) init = this.localStatement();
      else if (!this.is(";")) init = { k: "expr", e: this.commaExpr(), line };
      this.expect(";");
      const c = this.is(";") ? null : this.commaExpr();
      this.expect(";");
      const step = this.is(")") ? null : this.commaExpr();
      this.expect(")");
      const body = this.within("loops", () => this.statement());
      return { k: "for", init, c, step, body, line };
    });
  }

  private foreachStatement(): Stmt {
    const line = this.next().line;
    this.expect("(");
    let value = this.ident();
    let key: string | null = null;
    if (this.accept(",")) {
      key = value;
      value = this.ident();
    }
    this.expect("in");
    const obj = this.expression();
    this.expect(")");
    let jsKey: string | null = null;
    let jsValue = value;
    const body = this.scoped(() => {
      if (key !== null) jsKey = this.declare(key);
      jsValue = this.declare(value);
      return this.within("loops", () => this.statement());
    });
    return { k: "foreach", key: jsKey, value: jsValue, obj, body, line };
  }

  private switchStatement(): Stmt {
    const line = this.next().line;
    this.expect("(");
    const e = this.commaExpr();
    this.expect(")");
    this.expect("{");
    const cases: { test: Expr; body: Stmt[] }[] = [];
    while (this.accept("case")) {
      const test = this.expression();
      this.expect(":");
      cases.push({ test, body: this.within("switches", () => this.scoped(() => this.statements())) });
    }
    let dflt: Stmt[] | null = null;
    if (this.accept("default")) {
      this.expect(":");
      dflt = this.within("switches", () => this.scoped(() => this.statements()));
    }
    this.expect("}");
    return { k: "switch", e, cases, dflt, line };
  }

  private localStatement(): Stmt {
    const line = this.next().line;
    if (this.accept("function")) {
      const name = this.ident();
      this.expect("(");
      // Declared after its body, as the reference compiler does: inside, the name is not this local
      // (a `local function f` cannot call itself by name unless `this` or the root table has an f).
      const fn = this.functionBody(name, line, false);
      return { k: "local", names: [this.declare(name)], values: [{ k: "func", fn }], line };
    }
    const names: string[] = [];
    const values: (Expr | null)[] = [];
    do {
      const name = this.ident();
      values.push(this.accept("=") ? this.expression() : null);
      names.push(this.declare(name)); // after its initialiser: `local x = x` reads the outer x
    } while (this.accept(","));
    return { k: "local", names, values, line };
  }

  private functionStatement(): Stmt {
    const line = this.next().line;
    // `function A::B::f()`: A is always a slot of `this` (then the root table), never a local, as the reference compiles it.
    let name = this.ident();
    let target: Expr = { k: "name", name };
    while (this.accept("::")) {
      name = this.ident();
      target = { k: "member", obj: target, key: { k: "str", v: name }, line };
    }
    if (target.k === "name") target = { k: "member", obj: { k: "this" }, key: { k: "str", v: name }, line };
    this.expect("(");
    const fn = this.functionBody(name, line, false);
    return { k: "expr", e: { k: "assign", op: "<-", target, value: { k: "func", fn } }, line };
  }

  private classStatement(): Stmt {
    const line = this.next().line;
    const target = this.prefixed(true);
    if (target.k !== "member" && target.k !== "name") {
      if (target.k === "local") this.error("cannot create a class in a local with the syntax(class <local>)");
      this.error("invalid class name");
    }
    const t = target.k === "name" ? ({ k: "member", obj: { k: "this" }, key: { k: "str", v: target.name }, line } as Expr) : target;
    const cls = this.classBody(line);
    return { k: "expr", e: { k: "assign", op: "<-", target: t, value: { k: "class", cls } }, line };
  }

  private enumStatement(): Stmt {
    const line = this.next().line;
    const name = this.ident();
    this.expect("{");
    const table = new Map<string, ConstValue>();
    let n = 0;
    while (!this.is("}")) {
      const key = this.ident();
      table.set(key, this.accept("=") ? this.scalar() : n++);
      this.accept(",");
    }
    this.next();
    this.constants.set(name, table);
    return { k: "empty", line };
  }

  private scalar(): ConstValue {
    const t = this.tok;
    let neg = false;
    if (this.accept("-")) neg = true;
    const v = this.tok;
    if (v.kind === "int") {
      this.next();
      return neg ? -v.value | 0 : v.value;
    }
    if (v.kind === "float") {
      this.next();
      return { float: neg ? -v.value : v.value };
    }
    if (neg) this.error("scalar expected : integer,float", t);
    if (v.kind === "string") {
      this.next();
      return v.text;
    }
    // Booleans became constants only in 3.1: 3.0.4 refuses them.
    return this.error("scalar expected : integer,float or string");
  }

  // ---- functions and classes ----

  /** After `(`: parameters, then the body. */
  private functionBody(name: string, line: number, lambda: boolean): FunctionNode {
    const node = this.newFunction(name, line);
    const params: string[] = [];
    while (!this.is(")")) {
      if (this.accept("...")) {
        if (node.defaults.length > 0) this.error("function with default parameters cannot have variable number of parameters");
        node.varargs = true;
        if (!this.is(")")) this.error("expected ')'");
        break;
      }
      params.push(this.ident());
      if (this.accept("=")) node.defaults.push(this.expression()); // evaluated where the function is created
      else if (node.defaults.length > 0) this.error("expected '='");
      if (!this.accept(",") && !this.is(")")) this.error("expected ')' or ','");
    }
    this.expect(")");
    node.params = params;
    const scope = new Map<string, string>();
    node.paramNames = params.map((p) => {
      const js = this.fresh(p);
      scope.set(p, js);
      return js;
    });
    if (node.varargs) {
      node.vargvName = this.fresh("vargv");
      scope.set("vargv", node.vargvName);
    }
    // V8 compiles functions nested in functions in time quadratic in their depth (2,000 took seconds); no program nests near
    // this. funcs holds the script's main function too.
    if (this.funcs.length > MAX_FUNCTION_NESTING) this.error(`functions nested more than ${MAX_FUNCTION_NESTING} deep`);
    this.funcs.push({ node, blocks: [scope], loops: 0, switches: 0 });
    try {
      if (lambda) node.lambda = this.expression();
      else {
        const s = this.statement();
        node.body = s.k === "block" ? s.body : [s];
      }
    } finally {
      this.funcs.pop();
    }
    return node;
  }

  private classBody(line: number): ClassNode {
    let base: Expr | null = null;
    let attrs: TableSlot[] | null = null;
    if (this.accept("extends")) base = this.expression();
    if (this.accept("</")) attrs = this.slots(",", "/>");
    this.expect("{");
    const members: ClassMember[] = [];
    while (!this.is("}")) {
      let memberAttrs: TableSlot[] | null = null;
      let isStatic = false;
      if (this.accept("</")) memberAttrs = this.slots(",", "/>");
      if (this.accept("static")) isStatic = true;
      const slot = this.slot(";");
      members.push({ key: slot.key, value: slot.value, isStatic, attrs: memberAttrs });
      this.accept(";");
    }
    this.next();
    return { base, attrs, members, line };
  }

  /** Table or attribute slots up to `close`. */
  private slots(sep: string, close: string): TableSlot[] {
    const out: TableSlot[] = [];
    while (!this.is(close)) {
      if (this.tok.kind === "eof") this.error(`expected '${close}'`);
      out.push(this.slot(sep));
      this.accept(sep);
    }
    this.next();
    return out;
  }

  private slot(sep: string): TableSlot {
    const t = this.tok;
    if (this.is("function") || this.is("constructor")) {
      this.next();
      const name = t.text === "function" ? this.ident() : "constructor";
      this.expect("(");
      return { key: { k: "str", v: name }, value: { k: "func", fn: this.functionBody(name, t.line, false) } };
    }
    if (this.accept("[")) {
      const key = this.commaExpr();
      this.expect("]");
      this.expect("=");
      return { key, value: this.expression() };
    }
    if (t.kind === "string" && sep === ",") {
      this.next();
      this.expect(":");
      return { key: { k: "str", v: t.text }, value: this.expression() };
    }
    const name = this.ident();
    this.expect("=");
    return { key: { k: "str", v: name }, value: this.expression() };
  }

  // ---- expressions ----

  private commaExpr(): Expr {
    const first = this.expression();
    if (!this.is(",")) return first;
    const items = [first];
    while (this.accept(",")) items.push(this.expression());
    return { k: "comma", items };
  }

  private expression(): Expr {
    const e = this.logicalOr();
    const t = this.tok;
    if (t.kind === "punct" && ASSIGN_OPS.has(t.text)) {
      this.next();
      if (e.k !== "local" && e.k !== "name" && e.k !== "member") {
        if (e.k === "base") this.error("'base' cannot be modified", t);
        this.error("can't assign expression", t);
      }
      if (t.text === "<-" && e.k === "local") this.error("can't 'create' a local slot", t);
      const value = this.expression();
      return { k: "assign", op: t.text, target: e, value };
    }
    if (this.accept("?")) {
      const a = this.expression();
      this.expect(":");
      const b = this.expression();
      return { k: "cond", c: e, a, b };
    }
    return e;
  }

  private logicalOr(): Expr {
    const a = this.logicalAnd();
    if (this.accept("||")) return { k: "or", a, b: this.logicalOr() };
    return a;
  }

  private logicalAnd(): Expr {
    let a = this.bitOr();
    for (;;) {
      if (this.accept("&&")) return { k: "and", a, b: this.logicalAnd() };
      if (this.accept("in")) a = { k: "binary", op: "in", a, b: this.bitOr() };
      else if (this.accept("instanceof")) a = { k: "binary", op: "instanceof", a, b: this.bitOr() };
      else return a;
    }
  }

  private binaryLevel(ops: readonly string[], operand: () => Expr): Expr {
    let a = operand();
    for (;;) {
      const t = this.tok;
      if (t.kind !== "punct" || !ops.includes(t.text)) return a;
      this.next();
      a = { k: "binary", op: t.text, a, b: operand() };
    }
  }

  private bitOr = (): Expr => this.binaryLevel(["|"], this.bitXor);
  private bitXor = (): Expr => this.binaryLevel(["^"], this.bitAnd);
  private bitAnd = (): Expr => this.binaryLevel(["&"], this.equality);
  private equality = (): Expr => this.binaryLevel(["==", "!=", "<=>"], this.comparison);
  private comparison = (): Expr => this.binaryLevel(["<", "<=", ">", ">="], this.shift);
  private shift = (): Expr => this.binaryLevel(["<<", ">>", ">>>"], this.additive);
  private additive = (): Expr => this.binaryLevel(["+", "-"], this.multiplicative);
  private multiplicative = (): Expr => this.binaryLevel(["*", "/", "%"], () => this.prefixed(false));

  private nameExpr(name: string): Expr {
    const local = this.resolveLocal(name);
    if (local !== undefined) return { k: "local", name: local.js, own: local.own };
    const c = this.constants.get(name);
    if (c !== undefined) {
      if (c instanceof Map) {
        this.expect(".");
        const at = this.tok;
        const key = this.ident();
        const v = c.get(key);
        if (v === undefined) this.error(`invalid constant [${name}.${key}]`, at);
        return constExpr(v);
      }
      return constExpr(c);
    }
    return { k: "name", name };
  }

  /** Factor and its postfix chain (. [] () ++ --). */
  private prefixed(forClassName: boolean): Expr {
    let e = this.factor();
    for (;;) {
      const t = this.tok;
      if (t.kind !== "punct") return e;
      if (t.text === ".") {
        this.next();
        e = { k: "member", obj: e, key: { k: "str", v: this.ident() }, line: t.line };
      } else if (t.text === "[") {
        // A `[` starting a line never indexes: the reference refuses it (a table slot `[k] = v` needs a comma before it).
        if (t.nl) this.error("cannot brake deref/or comma needed after [exp]=exp slot declaration");
        this.next();
        const key = this.expression();
        this.expect("]");
        e = { k: "member", obj: e, key, line: t.line };
      } else if (t.text === "(" && !forClassName) {
        this.next();
        const args: Expr[] = [];
        while (!this.is(")")) {
          if (this.tok.kind === "eof") this.error("expected ')'");
          args.push(this.expression());
          if (this.accept(",") && this.is(")")) this.error("expression expected, found ')'");
        }
        this.next();
        e = { k: "call", fn: e, args, line: t.line };
      } else if ((t.text === "++" || t.text === "--") && !forClassName) {
        if (this.endOfStatement()) return e;
        this.next();
        if (e.k !== "local" && e.k !== "name" && e.k !== "member") this.error("can't '++' or '--' an expression", t);
        return { k: "incdec", prefix: false, delta: t.text === "++" ? 1 : -1, target: e };
      } else return e;
    }
  }

  private factor(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case "int":
        this.next();
        return { k: "int", v: t.value };
      case "float":
        this.next();
        return { k: "float", v: t.value };
      case "string":
        this.next();
        return { k: "str", v: t.text };
      case "ident":
        this.next();
        return this.nameExpr(t.text);
      case "eof":
        return this.error("expression expected");
      default:
        break;
    }
    this.next();
    switch (t.text) {
      case "this":
        return { k: "this" };
      case "constructor":
        return this.nameExpr("constructor");
      case "base":
        return { k: "base" };
      case "::":
        return { k: "member", obj: { k: "root" }, key: { k: "str", v: this.ident() }, line: t.line };
      case "null":
        return { k: "null" };
      case "true":
      case "false":
        return { k: "bool", v: t.text === "true" };
      case "__LINE__":
        return { k: "int", v: t.line };
      case "__FILE__":
        return { k: "str", v: this.file };
      case "[": {
        const items: Expr[] = [];
        while (!this.is("]")) {
          if (this.tok.kind === "eof") this.error("expected ']'");
          items.push(this.expression());
          this.accept(",");
        }
        this.next();
        return { k: "array", items };
      }
      case "{":
        return { k: "table", slots: this.slots(",", "}") };
      case "function":
        this.expect("(");
        return { k: "func", fn: this.functionBody("", t.line, false) };
      case "@":
        this.expect("(");
        return { k: "func", fn: this.functionBody("", t.line, true) };
      case "class":
        return { k: "class", cls: this.classBody(t.line) };
      case "-": {
        const v = this.tok;
        if (v.kind === "int" || v.kind === "float") {
          this.next();
          return v.kind === "int" ? { k: "int", v: -v.value | 0 } : { k: "float", v: -v.value };
        }
        return { k: "unary", op: "-", e: this.prefixed(false) };
      }
      case "!":
      case "~":
      case "typeof":
      case "clone":
      case "resume":
        return { k: "unary", op: t.text, e: this.prefixed(false) };
      case "++":
      case "--": {
        const target = this.prefixed(false);
        if (target.k !== "local" && target.k !== "name" && target.k !== "member") this.error("can't '++' or '--' an expression", t);
        return { k: "incdec", prefix: true, delta: t.text === "++" ? 1 : -1, target };
      }
      case "delete": {
        const target = this.prefixed(false);
        if (target.k === "local") this.error("cannot delete an (outer) local", t);
        if (target.k !== "member" && target.k !== "name") this.error("can't delete an expression", t);
        return { k: "delete", target };
      }
      case "(": {
        const e = this.commaExpr();
        this.expect(")");
        return e;
      }
      default:
        return this.error("expression expected", t);
    }
  }
}

function constExpr(v: ConstValue): Expr {
  if (typeof v === "number") return { k: "int", v };
  if (typeof v === "string") return { k: "str", v };
  if (typeof v === "boolean") return { k: "bool", v };
  if (v === null) return { k: "null" };
  if (v instanceof Map) return { k: "null" };
  return { k: "float", v: v.float };
}
