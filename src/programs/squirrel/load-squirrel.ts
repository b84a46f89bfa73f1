import path from "node:path";
import { compileScript } from "../../squirrel/compile.js";
import type { CompiledScript } from "../../squirrel/compile.js";
import { CompileError } from "../../squirrel/compiler/compile-error.js";
import type { ConstValue } from "../../squirrel/compiler/parser.js";
import { preprocess, PreprocessError } from "../../squirrel/preprocess/index.js";
import type { SourceLine } from "../../squirrel/preprocess/index.js";
import { SqTable } from "../../squirrel/table.js";
import { SqFloat } from "../../squirrel/values.js";
import { toBytes as utf8Bytes } from "../../squirrel/bytes.js";
import type { SqValue } from "../../squirrel/values.js";

/** A Squirrel program file, preprocessed and compiled once; every device copy runs it in a VM of its own. */
export interface SquirrelSource {
  file: string;
  compiled: CompiledScript;
  /** The original file and line of a line of the compiled (preprocessed) code (S6). */
  origin(line: number): SourceLine;
}

export interface SquirrelLoadOptions {
  /** Library folders for #require and github: includes, in order (S6). */
  libs: readonly string[];
  /** Builder variables (--var NAME=VALUE). */
  vars?: Readonly<Record<string, string>>;
}

/** The library folders in force: the caller's (--libs, the scenario's libs), then IMPNET_LIBS. */
export function libraryFolders(given: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.IMPNET_LIBS ?? "").split(":").filter((d) => d !== "");
  return [...given, ...fromEnv];
}

function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

/**
 * Preprocesses and compiles a .nut file. A program that does not compile is
 * rejected here, before anything runs, with `FILE:LINE:COLUMN: message` in
 * the original file (S7).
 */
export function loadSquirrel(file: string, options: SquirrelLoadOptions): SquirrelSource {
  return composeSquirrel([squirrelPart(file, options)], path.resolve(file));
}

/** A piece of a program: code (bytes) and where each of its lines came from. */
export interface SquirrelPart {
  code: string;
  origin(line: number): SourceLine;
}

/** A file, preprocessed (S6); its errors name the file as the user would write it. */
export function squirrelPart(file: string, options: SquirrelLoadOptions, cwd?: string): SquirrelPart {
  const abs = path.resolve(file);
  try {
    const pre = preprocess(abs, { libs: options.libs, ...(options.vars === undefined ? {} : { vars: options.vars }), ...(cwd === undefined ? {} : { cwd }) });
    return { code: pre.code, origin: (line) => pre.map.lookup(line) };
  } catch (e) {
    if (e instanceof PreprocessError) throw new PreprocessError(shown(e.file), e.line, e.column, e.reason);
    throw e;
  }
}

/** Text of our own (bytes already), named `name` in stacks. */
export function textPart(code: string, name: string): SquirrelPart {
  return { code, origin: (line) => ({ file: name, line }) };
}

/**
 * One program from several pieces, one after the other (a test session:
 * framework, code under test, the test file), compiled as one; every line
 * still maps to its own file (S6, S7).
 */
export function composeSquirrel(parts: readonly SquirrelPart[], file: string): SquirrelSource {
  const starts: number[] = [];
  let code = "";
  let line = 1;
  for (const part of parts) {
    starts.push(line);
    const text = part.code.endsWith("\n") ? part.code : `${part.code}\n`;
    code += text;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  }
  const origin = (at: number): SourceLine => {
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > at) i--;
    return parts[i]!.origin(at - starts[i]! + 1);
  };
  try {
    return { file, compiled: compileScript(code, file), origin };
  } catch (e) {
    if (e instanceof CompileError) {
      const at = origin(e.line);
      throw new CompileError(shown(at.file), at.line, e.column, e.reason);
    }
    throw e;
  }
}

/** A const or enum's value as the constant table holds it. */
export function constValue(v: ConstValue): SqValue {
  if (v instanceof Map) {
    const t = new SqTable();
    for (const [k, item] of v) t.newSlot(k, constValue(item));
    return t;
  }
  if (v !== null && typeof v === "object") return new SqFloat(v.float);
  return v;
}

/** Squirrel source held in memory (tests, benches, generated programs): compiled as it is, no preprocessing. */
export function squirrelFromText(code: string, file: string): SquirrelSource {
  return { file, compiled: compileScript(utf8Bytes(code), file), origin: (line) => ({ file, line }) };
}
