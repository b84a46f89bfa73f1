import { isStackOverflow } from "../runtime/errors.js";
import fs from "node:fs";
import path from "node:path";
import { builtinFunctions } from "./builtin-functions.js";
import { BuilderFunction, BuilderRecord, ExpressionError, kindOf, MAX_STRING_LENGTH, stringify, truthy } from "./builder-value.js";
import type { Value } from "./builder-value.js";
import { toBytes, toText } from "../bytes.js";
import { evaluateExpression } from "./evaluate-expression.js";
import type { Scope } from "./evaluate-expression.js";
import { folder } from "./folder.js";
import type { Folder, FoundFile } from "./folder.js";
import { LineMapBuilder } from "./line-map.js";
import { columnOf, parseSource } from "./parse-source.js";
import type { ExprSource, SourceNode } from "./parse-source.js";
import type { Preprocessed, PreprocessOptions, PreprocessWarning } from "./preprocess.js";
import { PreprocessError } from "./preprocess-error.js";
import { resolveInclude } from "./resolve-include.js";
import { resolveLibrary } from "./resolve-library.js";

/** Includes and macro expansions nest at most this deep: deeper is taken for a cycle. */
export const MAX_INCLUDE_DEPTH = 256;
/** A @while or @repeat runs at most this many times. */
export const MAX_LOOP_ITERATIONS = 100_000;

interface SourceFile {
  readonly display: string;
  readonly abs: string;
  /** Its folder: `__PATH__`, and the first place its relative includes are looked for. */
  readonly dir: Folder;
  /** `__FILE__` */
  readonly base: string;
  readonly content: string;
  readonly nodes: SourceNode[];
}

/** A declared `@macro`: its body runs where it was declared. */
class MacroDef {
  constructor(
    readonly name: string,
    readonly params: readonly string[],
    readonly body: readonly SourceNode[],
    readonly file: SourceFile,
    readonly line: number,
  ) {}
}

/** Where instructions run: the file they come from, and the macro arguments and loop variables in scope. */
interface Ctx {
  readonly file: SourceFile;
  readonly locals: ReadonlyMap<string, Value>;
}

/** Where output goes: the program (with its line map), or a string for an inline `@{…}`. */
interface Sink {
  readonly parts: string[];
  readonly map: LineMapBuilder | null;
  /** The bytes in `parts`, held to MAX_STRING_LENGTH: joining them must not pass V8's limit. */
  size: number;
}

interface Hop {
  readonly from: string;
  readonly line: number;
  readonly to: string;
}

const NO_LOCALS: ReadonlyMap<string, Value> = new Map();

/** One preprocessing run: Builder's machine over byte-string sources (see preprocess()). */
export class Preprocessor {
  private readonly libs: readonly Folder[];
  private readonly cwd: Folder;
  private readonly vars: Readonly<Record<string, string>>;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly files = new Map<string, SourceFile>();
  private readonly globals = new Map<string, Value | MacroDef>();
  private readonly macros = new Map<string, MacroDef>();
  private readonly included = new Set<string>();
  private readonly includedContent = new Set<string>();
  private readonly required = new Map<string, { version: string; file: string; line: number }>();
  private readonly chain: Hop[] = [];
  private readonly warnings: PreprocessWarning[] = [];
  private top!: SourceFile;
  /** The expression evaluated last: where a stack overflow is reported. */
  private last: { ctx: Ctx; line: number; src: ExprSource } | null = null;

  constructor(options: PreprocessOptions) {
    this.libs = options.libs.map(folder);
    this.cwd = folder(options.cwd ?? "");
    this.vars = options.vars ?? {};
    this.env = options.env ?? process.env;
  }

  run(file: string): Preprocessed {
    const abs = path.resolve(file);
    let content: string;
    try {
      content = fs.readFileSync(abs, "latin1");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new PreprocessError(file, 1, 1, code === "ENOENT" ? "file not found" : `cannot read the file (${code ?? String(e)})`);
    }
    this.top = this.parse({ display: file, abs }, content);
    this.included.add(abs);
    this.includedContent.add(content);
    const sink: Sink = { parts: [], map: new LineMapBuilder(), size: 0 };
    try {
      this.block(this.top.nodes, { file: this.top, locals: NO_LOCALS }, sink);
    } catch (e) {
      // A safety net, as the compiler has: blocks, expressions and includes are each bounded, but
      // macros called inside deep expressions inside deep includes could still exhaust the stack.
      if (!isStackOverflow(e)) throw e;
      const at = this.last;
      if (at === null) throw new PreprocessError(file, 1, 1, "directives nested too deeply");
      this.fail(at.ctx, at.line, columnOf(at.src, at.src.expr.pos), "directives, includes and macro calls nested too deeply");
    }
    const code = sink.parts.length === 1 ? sink.parts[0]! : sink.parts.join("");
    return { code, map: sink.map!.build({ file, line: 1 }), warnings: this.warnings };
  }

  private parse(found: FoundFile, content: string): SourceFile {
    const file: SourceFile = {
      display: found.display,
      abs: found.abs,
      dir: { display: path.dirname(found.display), abs: path.dirname(found.abs) },
      base: path.basename(found.abs),
      content,
      nodes: parseSource(content, found.display),
    };
    this.files.set(found.abs, file);
    return file;
  }

  /** An included or required file: read once, a BOM dropped, a last newline added (as Builder). */
  private load(found: FoundFile, ctx: Ctx, line: number, column: number): SourceFile {
    const cached = this.files.get(found.abs);
    if (cached !== undefined) return cached;
    let content: string;
    try {
      content = fs.readFileSync(found.abs, "latin1");
    } catch (e) {
      this.fail(ctx, line, column, `cannot read ${found.display} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    if (content.startsWith("\xef\xbb\xbf")) content = content.slice(3);
    if (content.length > 0 && !content.endsWith("\n")) content += "\n";
    return this.parse(found, content);
  }

  private block(nodes: readonly SourceNode[], ctx: Ctx, sink: Sink): void {
    for (const node of nodes) {
      switch (node.kind) {
        case "text":
          this.grow(sink, node.text.length, ctx, node.line, 1);
          sink.parts.push(node.text);
          sink.map?.add(ctx.file.display, node.line, node.count, 1);
          break;
        case "line": {
          let s = "";
          for (const part of node.parts) {
            const text = typeof part === "string" ? part : toBytes(this.output(this.evaluate(part, ctx, node.line), part, ctx, node.line));
            // Checked part by part: one line may hold many `@{…}` of a few MB each.
            this.grow(sink, s.length + text.length + node.eol.length, ctx, node.line, typeof part === "string" ? 1 : columnOf(part, part.expr.pos));
            s += text;
          }
          sink.size += s.length + node.eol.length;
          sink.parts.push(s + node.eol);
          sink.map?.add(ctx.file.display, node.line, newlines(s) + 1, 0);
          break;
        }
        case "include":
          this.include(node, ctx, sink);
          break;
        case "set":
          this.globals.set(node.name, this.evaluate(node.value, ctx, node.line));
          break;
        case "if": {
          const branch = node.branches.find((b) => truthy(this.evaluate(b.test, ctx, b.line)));
          const body = branch?.body ?? node.alternate;
          if (body !== null) this.block(body, ctx, sink);
          break;
        }
        case "macro": {
          const existing = this.macros.get(node.name);
          if (existing !== undefined) {
            this.fail(ctx, node.line, node.column, `macro "${node.name}" is already declared at ${existing.file.display}:${existing.line}`);
          }
          const def = new MacroDef(node.name, node.params, node.body, ctx.file, node.line);
          this.macros.set(node.name, def);
          this.globals.set(node.name, def);
          break;
        }
        case "loop":
          this.loop(node, ctx, sink);
          break;
        case "error":
          this.fail(ctx, node.line, node.column, this.output(this.evaluate(node.message, ctx, node.line), node.message, ctx, node.line));
          break;
        case "warning":
          this.warnings.push({
            file: ctx.file.display,
            line: node.line,
            column: node.column,
            message: this.output(this.evaluate(node.message, ctx, node.line), node.message, ctx, node.line),
          });
          break;
        case "require":
          this.require(node, ctx, sink);
          break;
      }
    }
  }

  private fail(ctx: Ctx, line: number, column: number, message: string): never {
    throw new PreprocessError(ctx.file.display, line, column, message);
  }

  /** Refuses output that would take `sink` past MAX_STRING_LENGTH bytes (`adding` more than it holds now). */
  private grow(sink: Sink, adding: number, ctx: Ctx, line: number, column: number): void {
    if (sink.size + adding > MAX_STRING_LENGTH) {
      const what = sink.map === null ? "the text of an inline include or macro" : "the preprocessed program";
      this.fail(ctx, line, column, `${what} would be more than ${MAX_STRING_LENGTH} bytes long, the preprocessor's limit`);
    }
  }

  /** A value as text for the output or a message; a function (or an array too long to write) is this expression's error. */
  private output(v: Value, src: ExprSource, ctx: Ctx, line: number): string {
    try {
      return stringify(v);
    } catch (e) {
      if (e instanceof ExpressionError) this.fail(ctx, line, columnOf(src, src.expr.pos), e.message);
      throw e;
    }
  }

  private evaluate(src: ExprSource, ctx: Ctx, line: number): Value {
    this.last = { ctx, line, src };
    const scope: Scope = {
      lookup: (name) => this.lookup(name, ctx, line),
      isDefined: (name) => this.isDefined(name, ctx),
    };
    try {
      return evaluateExpression(src.expr, scope);
    } catch (e) {
      if (e instanceof ExpressionError) this.fail(ctx, line, columnOf(src, e.pos < 0 ? src.expr.pos : e.pos), e.message);
      throw e;
    }
  }

  /**
   * A name's value: macro arguments and loop variables, then `__FILE__`,
   * `__LINE__`, `__PATH__` and Builder's functions, then `--var` (and a test's
   * builderConfig), then `@set` (and macros), then the environment: Builder's
   * own order (its README, "Variable Definition Order"; impunit.md T1 says the
   * same) — S6 wants variables resolved as Builder resolves them. Else
   * undefined (null).
   */
  private lookup(name: string, ctx: Ctx, line: number): Value | undefined {
    const local = ctx.locals.get(name);
    if (local !== undefined) return local;
    switch (name) {
      case "__FILE__":
        return ctx.file.base;
      case "__PATH__":
        return ctx.file.dir.abs;
      case "__LINE__":
        return line;
      case "include":
        return new BuilderFunction("include", (args) => this.includeInline(args, ctx, line));
    }
    const builtin = builtinFunctions.get(name);
    if (builtin !== undefined) return builtin;
    if (Object.hasOwn(this.vars, name)) return this.vars[name]!;
    const global = this.globals.get(name);
    if (global !== undefined) {
      if (!(global instanceof MacroDef)) return global;
      return new BuilderFunction(name, (args) => this.expandInline(global, args, ctx, line));
    }
    if (Object.hasOwn(this.env, name)) return this.env[name];
    return undefined;
  }

  private isDefined(name: string, ctx: Ctx): boolean {
    return (
      ctx.locals.has(name) ||
      name === "__FILE__" ||
      name === "__PATH__" ||
      name === "__LINE__" ||
      name === "include" ||
      builtinFunctions.has(name) ||
      this.globals.has(name) ||
      Object.hasOwn(this.vars, name)
    );
  }

  private include(node: SourceNode & { kind: "include" }, ctx: Ctx, sink: Sink): void {
    const { expr } = node.source;
    if (expr.kind === "call" && expr.callee.kind === "identifier") {
      const macro = this.macros.get(expr.callee.name);
      if (macro !== undefined) {
        // @include NAME(ARGS) expands a macro, `once` or not (as Builder)
        const args = expr.args.map((a) => this.evaluate({ ...node.source, expr: a }, ctx, node.line));
        this.expand(macro, args, ctx, sink, node.line);
        return;
      }
    }
    const spec = this.evaluate(node.source, ctx, node.line);
    const column = columnOf(node.source, expr.pos);
    if (typeof spec !== "string") this.fail(ctx, node.line, column, `@include needs a file name (a string), got ${kindOf(spec)}`);
    this.includeFile(spec, node.once, ctx, sink, node.line, column);
  }

  private includeFile(spec: string, once: boolean, ctx: Ctx, sink: Sink, line: number, column: number): void {
    const name = spec.trim().replace(/\\/g, "/");
    if (name === "") this.fail(ctx, line, column, "@include of an empty file name");
    const resolution = resolveInclude(name, { beside: ctx.file.dir, top: this.top.dir, cwd: this.cwd, libs: this.libs });
    if ("missing" in resolution) this.fail(ctx, line, column, `cannot include ${resolution.missing}`);
    const { found } = resolution;
    if (once && this.included.has(found.abs)) return;
    const file = this.load(found, ctx, line, column);
    if (once && this.includedContent.has(file.content)) {
      this.included.add(found.abs);
      return;
    }
    this.included.add(found.abs);
    this.includedContent.add(file.content);
    this.nest(ctx, line, column, file.display, () => this.block(file.nodes, { file, locals: ctx.locals }, sink));
  }

  /** include(FILE) in an expression: the file's output as a string, without its last newline. */
  private includeInline(args: Value[], ctx: Ctx, line: number): Value {
    const spec = args[0];
    if (typeof spec !== "string") throw new ExpressionError(`needs a file name (a string), got ${spec === undefined ? "nothing" : kindOf(spec)}`);
    const sink: Sink = { parts: [], map: null, size: 0 };
    this.includeFile(spec, false, ctx, sink, line, 1);
    return toText(trimLastNewline(sink.parts.join("")));
  }

  /** A macro used as a function in `@{NAME(ARGS)}`: its output as a string, without its last newline. */
  private expandInline(macro: MacroDef, args: Value[], ctx: Ctx, line: number): Value {
    const sink: Sink = { parts: [], map: null, size: 0 };
    this.expand(macro, args, ctx, sink, line);
    return toText(trimLastNewline(sink.parts.join("")));
  }

  /**
   * Runs a macro's body where it was declared (its `__FILE__`, `__PATH__`,
   * lines), its parameters bound over the caller's names; missing arguments
   * stay undefined, extra ones are dropped (as Builder).
   */
  private expand(macro: MacroDef, args: readonly Value[], ctx: Ctx, sink: Sink, line: number): void {
    const locals = new Map(ctx.locals);
    macro.params.forEach((p, i) => {
      if (i < args.length) locals.set(p, args[i]!);
      else locals.delete(p);
    });
    this.nest(ctx, line, 1, `macro ${macro.name}`, () => this.block(macro.body, { file: macro.file, locals }, sink));
  }

  /** Runs an include or macro one level deeper; too deep is taken for a cycle. */
  private nest(ctx: Ctx, line: number, column: number, to: string, run: () => void): void {
    if (this.chain.length >= MAX_INCLUDE_DEPTH) {
      let start = this.chain.length - 1;
      while (start >= 0 && this.chain[start]!.to !== to) start--;
      const hops = [...this.chain.slice(start + 1), { from: ctx.file.display, line, to }];
      const cycle = start >= 0 ? `: ${hops.map((h) => `${h.from}:${h.line} includes ${h.to}`).join(", ")}` : "";
      this.fail(
        ctx,
        line,
        column,
        `includes nest more than ${MAX_INCLUDE_DEPTH} deep, an include cycle${cycle} (use @include once, or guard the include with @if)`,
      );
    }
    this.chain.push({ from: ctx.file.display, line, to });
    try {
      run();
    } finally {
      this.chain.pop();
    }
  }

  private loop(node: SourceNode & { kind: "loop" }, ctx: Ctx, sink: Sink): void {
    let times = Infinity;
    if (node.repeat) {
      const v = this.evaluate(node.test, ctx, node.line);
      times = typeof v === "number" ? v : Number.NaN;
      if (!Number.isInteger(times) || times < 0) {
        // kindOf, not stringify, for what stringify refuses (a function) or may refuse (an array too deep or long)
        const got = v instanceof BuilderFunction || Array.isArray(v) ? kindOf(v) : stringify(v);
        this.fail(ctx, node.line, columnOf(node.test, node.test.expr.pos), `@repeat needs a whole number of times, got ${got}`);
      }
    }
    for (let index = 0; index < times; index++) {
      if (!node.repeat && !truthy(this.evaluate(node.test, ctx, node.line))) return;
      if (index >= MAX_LOOP_ITERATIONS) {
        this.fail(ctx, node.line, node.column, `@${node.repeat ? "repeat" : "while"} ran ${MAX_LOOP_ITERATIONS} times: does it ever end?`);
      }
      const locals = new Map(ctx.locals);
      locals.set("loop", new BuilderRecord(new Map([["index", index], ["iteration", index + 1]])));
      this.block(node.body, { file: ctx.file, locals }, sink);
    }
  }

  /** `#require "NAME:VERSION"`: the library's file, preprocessed like an include, once per NAME. */
  private require(node: SourceNode & { kind: "require" }, ctx: Ctx, sink: Sink): void {
    const { name, version } = node;
    const before = this.required.get(name);
    if (before !== undefined) {
      if (before.version === version) return;
      this.fail(ctx, node.line, node.column, `library ${name} is required as version ${version} here and as ${before.version} at ${before.file}:${before.line}`);
    }
    const resolution = resolveLibrary(name, version, this.libs);
    if ("missing" in resolution) this.fail(ctx, node.line, node.column, resolution.missing);
    this.required.set(name, { version, file: ctx.file.display, line: node.line });
    const file = this.load(resolution.found, ctx, node.line, node.column);
    this.included.add(file.abs);
    this.includedContent.add(file.content);
    this.nest(ctx, node.line, node.column, file.display, () => this.block(file.nodes, { file, locals: NO_LOCALS }, sink));
  }
}

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

function trimLastNewline(s: string): string {
  return s.endsWith("\r\n") ? s.slice(0, -2) : s.endsWith("\n") ? s.slice(0, -1) : s;
}
