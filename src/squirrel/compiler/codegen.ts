import type { ClassNode, Expr, FunctionNode, Stmt, TableSlot } from "./ast.js";
import type { FunctionInfo } from "../values.js";

/**
 * Squirrel → JavaScript. Every Squirrel function becomes a JS generator
 * function `function*(self, args)`: a call delegates to the callee's generator (`yield*`), so a blocking
 * host call anywhere down the stack yields a Block to the driver and the whole
 * Squirrel stack suspends and resumes in place (S5). Locals become JS `let`s in
 * the matching block, so closures capture them by reference as Squirrel's
 * outers do, with one binding per scope entry.
 *
 * Names in the output: `v$x` a Squirrel local x; `$…` our temporaries; the
 * runtime's operations are destructured from `R` once per program.
 */

export interface Generated {
  source: string;
  infos: FunctionInfo[];
  floats: number[];
}

/** The runtime operations generated code calls; runtime/index.ts provides each (the type checker holds it to that). */
export const RUNTIME_NAMES = [
  "add", "sub", "mul", "div", "mod", "neg", "band", "bor", "bxor", "shl", "shr", "ushr", "bnot",
  "eq", "lt", "le", "gt", "ge", "cmp3", "t", "typeOf", "cloneOf", "has", "instOf",
  "get", "set", "newslot", "del", "getName", "setName", "compound", "compoundName", "incMember", "incName",
  "calleeCall", "invoke", "invokeMember", "take", "PENDING", "resume", "closure", "newClass", "classMember", "table", "iter",
  "frame", "caught", "tick", "root", "baseOf", "genYield", "thrown",
] as const;

const ARITH: Record<string, string> = {
  "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod",
  "&": "band", "|": "bor", "^": "bxor", "<<": "shl", ">>": "shr", ">>>": "ushr",
  "==": "eq", "<": "lt", "<=": "le", ">": "gt", ">=": "ge", "<=>": "cmp3", in: "has", instanceof: "instOf",
};

export function generate(main: FunctionNode, file: string): Generated {
  const g = new Gen(file);
  const mainExpr = g.fn(main);
  const source = `"use strict";\nconst {${RUNTIME_NAMES.join(", ")}} = R;\nreturn ${mainExpr};\n`;
  return { source, infos: g.infos, floats: g.floats };
}

/** A call site: a direct result, or a generator to delegate to (see runtime/calls.ts `invoke`). */
function invoked(call: string): string {
  return `((($r = ${call}) === PENDING) ? (yield* take()) : $r)`;
}

class Gen {
  readonly infos: FunctionInfo[] = [];
  readonly floats: number[] = [];
  private floatIndex = new Map<number, number>();
  private inGenerator = false;
  /** Temporaries `$o0…` the function being generated needs for `late` reads. */
  private temps = 0;
  constructor(private readonly file: string) {}

  fn(node: FunctionNode): string {
    const id = this.infos.length;
    this.infos.push({
      name: node.name,
      file: this.file,
      line: node.line,
      params: node.params,
      varargs: node.varargs,
      ndefaults: node.defaults.length,
      generator: node.generator,
    });
    const defaults = node.defaults.map((d) => this.expr(d));
    const saved = this.inGenerator;
    const savedTemps = this.temps;
    this.inGenerator = node.generator;
    this.temps = 0;
    const lines: string[] = [];
    node.paramNames.forEach((p, i) => lines.push(`let v$${p} = args[${i}];`));
    if (node.varargs) lines.push(`let v$${node.vargvName} = args.slice(${node.params.length});`);
    lines.push("let $t, $r, $l = " + node.line + ";");
    const tempsAt = lines.length;
    lines.push("try {");
    if (node.lambda !== null) lines.push(`return ${this.expr(node.lambda)};`);
    else for (const s of node.body) this.stmt(s, lines);
    lines.push("return null;");
    lines.push(`} catch ($e) { throw frame($e, K[${id}], $l); }`);
    if (this.temps > 0) lines.splice(tempsAt, 0, `let ${Array.from({ length: this.temps }, (_, i) => `$o${i}`).join(", ")};`);
    this.inGenerator = saved;
    this.temps = savedTemps;
    return `closure(K[${id}], function* (self, args, $fn) {\n${lines.join("\n")}\n}, [${defaults.join(", ")}])`;
  }

  private line(s: Stmt, out: string[]): void {
    out.push(`$l = ${s.line};`);
  }

  private block(s: Stmt): string {
    const out: string[] = [];
    this.stmt(s, out);
    return `{\n${out.join("\n")}\n}`;
  }

  stmt(s: Stmt, out: string[]): void {
    switch (s.k) {
      case "empty":
        return;
      case "expr":
        this.line(s, out);
        out.push(`${this.expr(s.e)};`);
        return;
      case "local":
        this.line(s, out);
        s.names.forEach((name, i) => {
          const v = s.values[i];
          out.push(`let v$${name} = ${v === null || v === undefined ? "null" : this.expr(v)};`);
        });
        return;
      case "block": {
        const inner: string[] = [];
        for (const b of s.body) this.stmt(b, inner);
        out.push(`{\n${inner.join("\n")}\n}`);
        return;
      }
      case "if":
        this.line(s, out);
        out.push(`if (t(${this.expr(s.c)})) ${this.block(s.then)}${s.else === null ? "" : ` else ${this.block(s.else)}`}`);
        return;
      case "while":
        this.line(s, out);
        out.push(`while (t(${this.expr(s.c)})) {\ntick();\n${this.block(s.body)}\n$l = ${s.line};\n}`);
        return;
      case "dowhile":
        out.push(`do {\ntick();\n${this.block(s.body)}\n$l = ${s.line};\n} while (t(${this.expr(s.c)}));`);
        return;
      case "for": {
        this.line(s, out);
        const init: string[] = [];
        if (s.init !== null) this.stmt(s.init, init);
        const cond = s.c === null ? "" : `t(${this.expr(s.c)})`;
        const step = s.step === null ? "" : this.expr(s.step);
        // The loop's own locals are declared once, outside: closures made in the body share them (S2).
        out.push(`{\n${init.join("\n")}\nfor (; ${cond}; ${step}) {\ntick();\n${this.block(s.body)}\n$l = ${s.line};\n}\n}`);
        return;
      }
      case "foreach": {
        this.line(s, out);
        const k = s.key === null ? "$k" : `v$${s.key}`;
        out.push(
          `{\nconst $it = iter(${this.expr(s.obj)});\nlet ${k} = null, v$${s.value} = null;\n` +
            `for (;;) {\ntick();\nif (!($it.gen === null ? $it.next() : (yield* $it.resume()))) break;\n${k} = $it.key; v$${s.value} = $it.value;\n${this.block(s.body)}\n$l = ${s.line};\n}\n}`,
        );
        return;
      }
      case "switch": {
        this.line(s, out);
        const tests = s.cases.map((c, i) => `${i === 0 ? "" : "else "}if (eq($s, ${this.expr(c.test)})) $m = ${i};`);
        const arms: string[] = [];
        s.cases.forEach((c, i) => {
          const body: string[] = [];
          for (const b of c.body) this.stmt(b, body);
          arms.push(`case ${i}: {\n${body.join("\n")}\n}`);
        });
        if (s.dflt !== null) {
          const body: string[] = [];
          for (const b of s.dflt) this.stmt(b, body);
          arms.push(`default: {\n${body.join("\n")}\n}`);
        }
        out.push(`{\nconst $s = ${this.expr(s.e)}; let $m = -1;\n${tests.join("\n")}\nswitch ($m) {\n${arms.join("\n")}\n}\n}`);
        return;
      }
      case "return":
        this.line(s, out);
        out.push(`return ${s.e === null ? "null" : this.expr(s.e)};`);
        return;
      case "yield":
        this.line(s, out);
        out.push(`yield ${s.e === null ? "genYield(null)" : `genYield(${this.expr(s.e)})`};`);
        return;
      case "break":
        out.push("break;");
        return;
      case "continue":
        out.push("continue;");
        return;
      case "throw":
        this.line(s, out);
        out.push(`throw thrown(${this.expr(s.e)});`);
        return;
      case "try":
        this.line(s, out);
        out.push(`try ${this.block(s.body)} catch ($e) {\nlet v$${s.name} = caught($e);\n${this.block(s.handler)}\n}`);
        return;
    }
  }

  private str(v: string): string {
    return JSON.stringify(v);
  }

  private floatConst(v: number): string {
    let i = this.floatIndex.get(v);
    if (i === undefined || Object.is(v, -0)) {
      i = this.floats.length;
      this.floats.push(v);
      if (!Object.is(v, -0)) this.floatIndex.set(v, i);
    }
    return `F[${i}]`;
  }

  /** The object and key of a member target, for gets, sets and calls. */
  private target(e: Expr): { obj: string; key: string } {
    if (e.k === "member") return { obj: this.expr(e.obj), key: this.expr(e.key) };
    if (e.k === "name") return { obj: "self", key: this.str(e.name) };
    throw new Error(`not a member target: ${e.k}`);
  }

  expr(e: Expr): string {
    switch (e.k) {
      case "int":
        return e.v < 0 ? `(${e.v})` : String(e.v);
      case "float":
        return this.floatConst(e.v);
      case "str":
        return this.str(e.v);
      case "null":
        return "null";
      case "bool":
        return String(e.v);
      case "local":
        return `v$${e.name}`;
      case "name":
        return `getName(self, ${this.str(e.name)})`;
      case "this":
        return "self";
      case "root":
        return "root()";
      case "base":
        return "baseOf($fn)";
      case "member":
        return this.late(e.obj, e.key, (obj, key) => `get(${obj}, ${key})`);
      case "call":
        return this.call(e.fn, e.args);
      case "unary": {
        const v = this.expr(e.e);
        switch (e.op) {
          case "-": return `neg(${v})`;
          case "!": return `!t(${v})`;
          case "~": return `bnot(${v})`;
          case "typeof": return `typeOf(${v})`;
          case "clone": return `cloneOf(${v})`;
          case "resume": return `(yield* resume(${v}))`;
        }
        break;
      }
      case "binary": {
        if (e.op === "!=") return this.late(e.a, e.b, (a, b) => `!eq(${a}, ${b})`);
        return this.late(e.a, e.b, (a, b) => `${ARITH[e.op]!}(${a}, ${b})`);
      }
      case "and":
        return `(!t($t = ${this.expr(e.a)}) ? $t : ${this.expr(e.b)})`;
      case "or":
        return `(t($t = ${this.expr(e.a)}) ? $t : ${this.expr(e.b)})`;
      case "cond":
        return `(t(${this.expr(e.c)}) ? ${this.expr(e.a)} : ${this.expr(e.b)})`;
      case "comma":
        return `(${e.items.map((i) => this.expr(i)).join(", ")})`;
      case "assign":
        return this.assign(e.op, e.target, e.value);
      case "incdec": {
        const { target, delta, prefix } = e;
        if (target.k === "local") {
          const v = `v$${target.name}`;
          return prefix ? `(${v} = add(${v}, ${delta}))` : `(($t = ${v}), (${v} = add($t, ${delta})), $t)`;
        }
        if (target.k === "name") return `incName(self, ${this.str(target.name)}, ${delta}, ${!prefix})`;
        const { obj, key } = this.target(target);
        return `incMember(${obj}, ${key}, ${delta}, ${!prefix})`;
      }
      case "delete": {
        const { obj, key } = this.target(e.target);
        return `del(${obj}, ${key})`;
      }
      case "array":
        return `[${e.items.map((i) => this.expr(i)).join(", ")}]`;
      case "table":
        return `table(${e.slots.length}, [${this.slots(e.slots)}])`;
      case "func":
        return this.fn(e.fn);
      case "class":
        return this.cls(e.cls);
    }
    throw new Error(`unknown expression ${(e as Expr).k}`);
  }

  /**
   * Code for an operation on `a` and `b`, evaluated in that order, with Squirrel's reading of a local:
   * a local of the running function is its stack register, which the instruction reads when it runs,
   * after `b` is evaluated (`a + (a = 5)` is 10, and `n + f()` sees what f did to n through a closure),
   * while JS reads `a` first. So when `a` is such a local and `b` could change it, `b` goes to a
   * temporary first. (A local of an enclosing function is copied as it is read, in order, as in JS.)
   */
  private late(a: Expr, b: Expr, op: (a: string, b: string) => string): string {
    if (a.k !== "local" || !a.own || Gen.pure(b)) return op(this.expr(a), this.expr(b));
    const tmp = `$o${this.temps++}`;
    return `(${tmp} = ${this.expr(b)}, ${op(`v$${a.name}`, tmp)})`;
  }

  /** Whether evaluating `e` can change no local: a constant, a read of a local or of a name, a function literal. */
  private static pure(e: Expr): boolean {
    switch (e.k) {
      case "int": case "float": case "str": case "null": case "bool": case "local": case "name": case "this": case "root": case "func":
        return true;
      default:
        return false;
    }
  }

  private slots(slots: TableSlot[]): string {
    return slots.map((s) => `${this.expr(s.key)}, ${this.expr(s.value)}`).join(", ");
  }

  private call(fn: Expr, args: Expr[]): string {
    const list = `[${args.map((a) => this.expr(a)).join(", ")}]`;
    if (fn.k === "member") {
      if (fn.obj.k === "base") return invoked(`invoke(get(baseOf($fn), ${this.expr(fn.key)}), self, ${list})`);
      return invoked(`invokeMember(${this.expr(fn.obj)}, ${this.expr(fn.key)}, ${list})`);
    }
    if (fn.k === "name" && fn.name === "callee" && args.length === 0) return `(yield* calleeCall(${this.expr(fn)}, self, $fn))`;
    return invoked(`invoke(${this.expr(fn)}, self, ${list})`);
  }

  private assign(op: string, target: Expr, value: Expr): string {
    const v = this.expr(value);
    if (target.k === "local") {
      const name = `v$${target.name}`;
      if (op === "=") return `(${name} = ${v})`;
      // Squirrel reads the local (or the outer) when the operation runs, after the value: `a += (a = 10)` is 20.
      if (Gen.pure(value)) return `(${name} = ${ARITH[op[0]!]!}(${name}, ${v}))`;
      const tmp = `$o${this.temps++}`;
      return `(${tmp} = ${v}, ${name} = ${ARITH[op[0]!]!}(${name}, ${tmp}))`;
    }
    if (target.k === "name") {
      const key = this.str(target.name);
      if (op === "=") return `setName(self, ${key}, ${v})`;
      if (op === "<-") return `newslot(self, ${key}, ${v})`;
      return `compoundName(self, ${key}, ${this.str(op[0]!)}, ${v})`;
    }
    const { obj, key } = this.target(target);
    if (op === "=") return `set(${obj}, ${key}, ${v})`;
    if (op === "<-") return `newslot(${obj}, ${key}, ${v})`;
    return `compound(${obj}, ${key}, ${this.str(op[0]!)}, ${v})`;
  }

  /** A class body runs in a generator of its own so its members can call (`base` in it is the enclosing function's, as in Squirrel). */
  private cls(c: ClassNode): string {
    // No `extends` passes undefined: `extends` of a value that is null must still raise (Squirrel checks any base operand).
    const base = c.base === null ? "undefined" : this.expr(c.base);
    const attrs = c.attrs === null ? "null" : `table(${c.attrs.length}, [${this.slots(c.attrs)}])`;
    const members = c.members.map(
      (m) => `classMember($cls, ${this.expr(m.key)}, ${this.expr(m.value)}, ${m.isStatic}, ${m.attrs === null ? "null" : `table(${m.attrs.length}, [${this.slots(m.attrs)}])`});`,
    );
    return `(yield* (function* ($cls) {\n${members.join("\n")}\nreturn $cls;\n})(newClass(${base}, ${attrs})))`;
  }
}
