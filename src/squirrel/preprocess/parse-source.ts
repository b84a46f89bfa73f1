import { ExpressionError } from "./builder-value.js";
import { byteLength, toText } from "../bytes.js";
import { parseExpression } from "./parse-expression.js";
import type { Expr } from "./parse-expression.js";
import { PreprocessError } from "./preprocess-error.js";
import { scanSquirrelLine } from "./scan-squirrel-line.js";
import type { SquirrelState } from "./scan-squirrel-line.js";

/** A parsed expression and where its text sits in its line. */
export interface ExprSource {
  readonly expr: Expr;
  /** The directive's argument (or the rest of the line after `@{`), decoded to text. */
  readonly text: string;
  /** Byte offset in the line of `text`'s first character. */
  readonly at: number;
}

/** The 1-based byte column of character `pos` of an expression's text. */
export function columnOf(src: Pick<ExprSource, "text" | "at">, pos: number): number {
  return src.at + byteLength(src.text, Math.max(pos, 0)) + 1;
}

export interface IfBranch {
  readonly line: number;
  readonly column: number;
  readonly test: ExprSource;
  readonly body: SourceNode[];
}

/** One element of a line holding `@{…}`: bytes copied as they are, or an expression. */
export type LinePart = string | ExprSource;

/** A file parsed into Builder's instructions. Lines are 1-based, columns 1-based bytes. */
export type SourceNode =
  /** `count` lines copied as they are, from `line` on. */
  | { readonly kind: "text"; readonly line: number; readonly count: number; readonly text: string }
  /** A line with `@{…}`; `eol` is its newline ("" for a last line without one). */
  | { readonly kind: "line"; readonly line: number; readonly parts: readonly LinePart[]; readonly eol: string }
  | { readonly kind: "include"; readonly line: number; readonly column: number; readonly once: boolean; readonly source: ExprSource }
  | { readonly kind: "set"; readonly line: number; readonly column: number; readonly name: string; readonly value: ExprSource }
  | {
      readonly kind: "if";
      readonly line: number;
      readonly column: number;
      readonly branches: IfBranch[];
      alternate: SourceNode[] | null;
    }
  | {
      readonly kind: "macro";
      readonly line: number;
      readonly column: number;
      readonly name: string;
      readonly params: readonly string[];
      readonly body: SourceNode[];
    }
  | {
      readonly kind: "loop";
      readonly line: number;
      readonly column: number;
      readonly repeat: boolean;
      readonly test: ExprSource;
      readonly body: SourceNode[];
    }
  | { readonly kind: "error" | "warning"; readonly line: number; readonly column: number; readonly message: ExprSource }
  | { readonly kind: "require"; readonly line: number; readonly column: number; readonly name: string; readonly version: string };

/** Builder's directives (its README and parser); `@end` closes any block. */
const DIRECTIVES = new Set([
  "include",
  "set",
  "if",
  "elseif",
  "else",
  "endif",
  "macro",
  "endmacro",
  "while",
  "endwhile",
  "repeat",
  "endrepeat",
  "end",
  "error",
  "warning",
]);
const NO_ARGUMENT = new Set(["else", "endif", "endmacro", "endwhile", "endrepeat", "end"]);

/**
 * At most this many @if, @macro, @while and @repeat open at once in one file:
 * running them recurses, and a few thousand overflow the JavaScript stack.
 */
export const MAX_BLOCK_DEPTH = 200;

type BlockKind = "if" | "macro" | "while" | "repeat";
interface Block {
  readonly kind: BlockKind;
  readonly node: SourceNode & { kind: "if" | "macro" | "loop" };
  body: SourceNode[];
  /** for @if: "else" once @else was seen */
  phase: "then" | "else";
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
const isWord = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Parses a file's bytes into Builder instructions. A directive is recognised
 * as Builder does: `@keyword` first on its line after blanks (`@(`, `@"` are
 * Squirrel's lambdas and verbatim strings, never directives); `@ ` or a lone
 * `@` starts a Builder comment line (not inside a block comment or verbatim
 * string: Builder would eat that line); `@{…}` anywhere in a line is an inline
 * expression. `#require "NAME:VERSION"` first on a line (outside block
 * comments and verbatim strings) loads a library. `@word` that is no
 * directive is an error, unless inside a block comment or verbatim string.
 */
export function parseSource(content: string, file: string): SourceNode[] {
  return new SourceParser(content, file).parse();
}

class SourceParser {
  private readonly root: SourceNode[] = [];
  private readonly stack: Block[] = [];
  private out: SourceNode[] = this.root;
  // the open run of plain lines
  private runStart = -1;
  private runLine = 0;
  private runCount = 0;
  // lazy Squirrel scan, for "is this line inside a comment or verbatim string?"
  private readonly directiveLines = new Set<number>();
  private scanOffset = 0;
  private scanLine = 1;
  private scanState: SquirrelState = "code";

  constructor(
    private readonly content: string,
    private readonly file: string,
  ) {}

  parse(): SourceNode[] {
    const s = this.content;
    if (!s.includes("@") && !s.includes("#require")) {
      if (s.length > 0) this.root.push({ kind: "text", line: 1, count: countLines(s), text: s });
      return this.root;
    }
    let pos = 0;
    let lineNo = 1;
    let nextInline = s.indexOf("@{");
    while (pos < s.length) {
      const nl = s.indexOf("\n", pos);
      const bodyEnd = nl < 0 ? s.length : nl;
      const end = nl < 0 ? s.length : nl + 1;
      if (nextInline >= 0 && nextInline < pos) nextInline = s.indexOf("@{", pos);
      let first = pos;
      if (lineNo === 1 && s.startsWith("\xef\xbb\xbf", pos)) first += 3; // a UTF-8 BOM counts as a blank
      while (first < bodyEnd && isSpace(s.charCodeAt(first))) first++;
      const c = s.charCodeAt(first);
      let handled = false;
      if (c === 64 /* @ */) {
        handled = this.atLine(s.slice(pos, bodyEnd), first - pos, lineNo, pos);
      } else if (c === 35 /* # */ && s.startsWith("#require", first) && !isWord(s.charCodeAt(first + 8))) {
        handled = this.requireLine(s.slice(pos, bodyEnd), first - pos, lineNo, pos);
      }
      if (!handled) {
        if (nextInline >= 0 && nextInline < bodyEnd && s.lastIndexOf("}", bodyEnd) > nextInline) {
          this.flushRun(pos);
          this.out.push({
            kind: "line",
            line: lineNo,
            parts: this.inlineParts(s.slice(pos, bodyEnd), nextInline - pos, lineNo),
            eol: s.slice(bodyEnd, end),
          });
        } else {
          if (this.runStart < 0) {
            this.runStart = pos;
            this.runLine = lineNo;
            this.runCount = 0;
          }
          this.runCount++;
        }
      }
      pos = end;
      lineNo++;
    }
    this.flushRun(s.length);
    const open = this.stack.at(-1);
    if (open !== undefined) {
      const { line, column } = open.node;
      throw new PreprocessError(this.file, line, column, `@${open.kind} is never closed (by @end${open.kind === "if" ? "if" : open.kind} or @end)`);
    }
    return this.root;
  }

  private flushRun(upTo: number): void {
    if (this.runStart < 0) return;
    this.out.push({ kind: "text", line: this.runLine, count: this.runCount, text: this.content.slice(this.runStart, upTo) });
    this.runStart = -1;
  }

  private fail(line: number, column: number, message: string): never {
    throw new PreprocessError(this.file, line, column, message);
  }

  /** Squirrel's state at the start of line `lineNo` (directive lines are not Squirrel). */
  private stateAt(lineNo: number): SquirrelState {
    const s = this.content;
    while (this.scanLine < lineNo) {
      const nl = s.indexOf("\n", this.scanOffset);
      const bodyEnd = nl < 0 ? s.length : nl;
      if (!this.directiveLines.has(this.scanLine)) {
        this.scanState = scanSquirrelLine(s.slice(this.scanOffset, bodyEnd), this.scanState);
      }
      this.scanOffset = nl < 0 ? s.length : nl + 1;
      this.scanLine++;
    }
    return this.scanState;
  }

  /** A line whose first non-blank is `@`: true when it was a directive or a comment. */
  private atLine(text: string, at: number, lineNo: number, lineStart: number): boolean {
    let k = at + 1;
    while (k < text.length && isWord(text.charCodeAt(k))) k++;
    const word = text.slice(at + 1, k);
    if (word === "") {
      if (k < text.length && !isSpace(text.charCodeAt(k))) return false; // @" @( @{ @@: Squirrel or inline
      if (this.stateAt(lineNo) !== "code") return false; // never eat a line of a verbatim string
      this.flushRun(lineStart);
      this.directiveLines.add(lineNo); // "@ comment" / lone "@": a Builder comment, no output
      return true;
    }
    if (!DIRECTIVES.has(word)) {
      if (!/^[A-Za-z_]/.test(word) || this.stateAt(lineNo) !== "code") return false;
      this.fail(
        lineNo,
        at + 1,
        `unknown directive "@${word}" (Builder's are @include, @set, @if, @elseif, @else, @endif, @macro, @while, @repeat, @end, @error, @warning)`,
      );
    }
    this.flushRun(lineStart);
    this.directiveLines.add(lineNo);
    this.directive(word, text, at, k, lineNo);
    return true;
  }

  private directive(word: string, text: string, at: number, argAt: number, lineNo: number): void {
    const column = at + 1;
    const argText = stripComments(toText(text.slice(argAt)));
    let start = 0;
    while (start < argText.length && isSpace(argText.charCodeAt(start))) start++;
    const arg = { text: argText, at: argAt };
    const empty = start === argText.length;
    if (NO_ARGUMENT.has(word)) {
      if (!empty) this.fail(lineNo, arg.at + byteLength(argText, start) + 1, `@${word} takes no argument`);
    } else if (empty) {
      this.fail(lineNo, column, `@${word} needs ${word === "set" ? "a name and a value: @set NAME value" : word === "macro" ? "a declaration: @macro NAME(ARGS)" : "an expression"}`);
    }
    const expr = (from: number): ExprSource => {
      try {
        return { expr: parseExpression(argText, from).expr, text: argText, at: argAt };
      } catch (e) {
        if (e instanceof ExpressionError) this.fail(lineNo, columnOf(arg, e.pos), `@${word}: ${e.message}`);
        throw e;
      }
    };
    switch (word) {
      case "include": {
        const once = /^once(?![\w$])/.test(argText.slice(start));
        let from = start;
        if (once) {
          from += 4;
          while (from < argText.length && isSpace(argText.charCodeAt(from))) from++;
          if (from === argText.length) this.fail(lineNo, column, "@include once needs an expression");
        }
        this.out.push({ kind: "include", line: lineNo, column, once, source: expr(from) });
        return;
      }
      case "set": {
        const m = /^([_$A-Za-z][_$A-Za-z0-9]*)\s*(?:=\s*)?/.exec(argText.slice(start));
        if (m === null) this.fail(lineNo, arg.at + byteLength(argText, start) + 1, "@set needs a variable name: @set NAME value");
        const from = start + m[0].length;
        if (argText.slice(from).trim() === "") this.fail(lineNo, column, `@set ${m[1]} needs a value: @set NAME value`);
        this.out.push({ kind: "set", line: lineNo, column, name: m[1]!, value: expr(from) });
        return;
      }
      case "error":
      case "warning":
        this.out.push({ kind: word, line: lineNo, column, message: expr(start) });
        return;
      case "if": {
        const node: SourceNode & { kind: "if" } = {
          kind: "if",
          line: lineNo,
          column,
          branches: [{ line: lineNo, column, test: expr(start), body: [] }],
          alternate: null,
        };
        this.open({ kind: "if", node, body: node.branches[0]!.body, phase: "then" });
        return;
      }
      case "elseif":
      case "else": {
        const top = this.stack.at(-1);
        if (top?.kind !== "if") this.fail(lineNo, column, `@${word} without @if`);
        const node = top.node as SourceNode & { kind: "if" };
        if (top.phase === "else") this.fail(lineNo, column, word === "else" ? "a second @else for one @if" : "@elseif after @else");
        if (word === "elseif") {
          const branch = { line: lineNo, column, test: expr(start), body: [] };
          node.branches.push(branch);
          top.body = branch.body;
        } else {
          node.alternate = [];
          top.body = node.alternate;
          top.phase = "else";
        }
        this.out = top.body;
        return;
      }
      case "macro": {
        const { expr: decl } = expr(start);
        if (decl.kind !== "call" || decl.callee.kind !== "identifier" || decl.args.some((a) => a.kind !== "identifier")) {
          this.fail(lineNo, column, "@macro needs a declaration: @macro NAME(ARG, …)");
        }
        const params = decl.args.map((a) => (a.kind === "identifier" ? a.name : ""));
        const node: SourceNode & { kind: "macro" } = { kind: "macro", line: lineNo, column, name: decl.callee.name, params, body: [] };
        this.open({ kind: "macro", node, body: node.body, phase: "then" });
        return;
      }
      case "while":
      case "repeat": {
        const node: SourceNode & { kind: "loop" } = {
          kind: "loop",
          line: lineNo,
          column,
          repeat: word === "repeat",
          test: expr(start),
          body: [],
        };
        this.open({ kind: word, node, body: node.body, phase: "then" });
        return;
      }
      default: {
        // @end, @endif, @endmacro, @endwhile, @endrepeat
        const want = word === "end" ? null : word.slice(3);
        const top = this.stack.at(-1);
        if (top === undefined || (want !== null && top.kind !== want)) {
          this.fail(lineNo, column, top === undefined ? `@${word} without an open block` : `@${word} closes @${top.kind} (line ${top.node.line})`);
        }
        this.stack.pop();
        this.out = this.stack.at(-1)?.body ?? this.root;
      }
    }
  }

  private open(block: Block): void {
    if (this.stack.length >= MAX_BLOCK_DEPTH) {
      this.fail(block.node.line, block.node.column, `@${block.kind} nested too deeply (more than ${MAX_BLOCK_DEPTH} blocks open)`);
    }
    this.out.push(block.node);
    this.stack.push(block);
    this.out = block.body;
  }

  private requireLine(text: string, at: number, lineNo: number, lineStart: number): boolean {
    if (this.stateAt(lineNo) !== "code") return false;
    this.flushRun(lineStart);
    this.directiveLines.add(lineNo);
    const column = at + 1;
    const rest = text.slice(at + 8);
    const m = /^[ \t]+"([^"]*)"[ \t\r]*(;)?[ \t\r]*(?:(?:\/\/|#).*)?$/.exec(rest);
    if (m === null) this.fail(lineNo, column, `expected #require "NAME:VERSION"`);
    if (m[2] !== undefined) this.fail(lineNo, column, "no semicolon after #require (Electric Imp's rule)");
    const spec = toText(m[1]!);
    const colon = spec.lastIndexOf(":");
    const name = colon < 0 ? spec : spec.slice(0, colon);
    const version = colon < 0 ? "" : spec.slice(colon + 1);
    if (name === "") this.fail(lineNo, column, `expected #require "NAME:VERSION"`);
    if (version.trim() === "") this.fail(lineNo, column, `#require "${name}" needs a version: #require "${name}:1.0.0"`);
    if (/[/\\]/.test(name) || name === "." || name === "..") this.fail(lineNo, column, `#require "${spec}": a library name is a file name, not a path`);
    this.out.push({ kind: "require", line: lineNo, column, name, version });
    return true;
  }

  /** Splits a line at its `@{…}` (the first at byte `first`). */
  private inlineParts(text: string, first: number, lineNo: number): LinePart[] {
    const parts: LinePart[] = [];
    let from = 0;
    let at = first;
    while (at >= 0 && text.indexOf("}", at + 2) >= 0) {
      if (at > from) parts.push(text.slice(from, at));
      const exprText = toText(text.slice(at + 2));
      const src = { text: exprText, at: at + 2 };
      let parsed: { expr: Expr; end: number };
      try {
        parsed = parseExpression(exprText, 0, "}");
      } catch (e) {
        if (e instanceof ExpressionError) this.fail(lineNo, columnOf(src, e.pos), `@{…}: ${e.message}`);
        throw e;
      }
      parts.push({ expr: parsed.expr, text: exprText, at: at + 2 });
      from = at + 2 + byteLength(exprText, parsed.end) + 1;
      at = text.indexOf("@{", from);
    }
    if (from < text.length) parts.push(text.slice(from));
    return parts;
  }
}

/** Lines in `s`: its newlines, plus a last line without one. */
export function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return s.length > 0 && !s.endsWith("\n") ? n + 1 : n;
}

/**
 * Blanks `//` and `/* *\/` comments out of a directive's argument (as Builder
 * does), leaving quoted strings alone; columns stay where they were.
 */
export function stripComments(arg: string): string {
  let out = "";
  let i = 0;
  const n = arg.length;
  while (i < n) {
    const c = arg[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && arg[j] !== c) j += arg[j] === "\\" ? 2 : 1;
      out += arg.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && arg[i + 1] === "/") {
      break;
    } else if (c === "/" && arg[i + 1] === "*") {
      const end = arg.indexOf("*/", i + 2);
      const stop = end < 0 ? n : end + 2;
      out += " ".repeat(stop - i);
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out.trimEnd();
}
