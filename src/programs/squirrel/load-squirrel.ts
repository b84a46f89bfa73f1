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
  const abs = path.resolve(file);
  let pre;
  try {
    pre = preprocess(abs, { libs: options.libs, ...(options.vars === undefined ? {} : { vars: options.vars }) });
  } catch (e) {
    if (e instanceof PreprocessError) throw new PreprocessError(shown(e.file), e.line, e.column, e.reason);
    throw e;
  }
  const origin = (line: number): SourceLine => pre.map.lookup(line);
  try {
    return { file: abs, compiled: compileScript(pre.code, abs), origin };
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
