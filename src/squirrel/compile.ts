import { isStackOverflow } from "./runtime/errors.js";
import { generate } from "./compiler/codegen.js";
import { tokenize } from "./compiler/lexer.js";
import { CompileError } from "./compiler/compile-error.js";
import { Parser } from "./compiler/parser.js";
import type { ConstValue } from "./compiler/parser.js";
import { floats, runtime } from "./runtime/index.js";
import type { SqClosure } from "./values.js";

export interface CompiledScript {
  file: string;
  /** The whole file as a function (S1): call it with the root table as `this`. */
  main: SqClosure;
  /** const and enum declarations, for getconsttable(). */
  constants: Map<string, ConstValue>;
}

type Factory = (R: typeof runtime, K: unknown[], F: unknown[]) => SqClosure;

/**
 * Compiles Squirrel source (a byte string: each char code one byte of the
 * file) once; every VM that runs it shares the compiled code and makes its
 * own closures as the script runs.
 */
export function compileScript(source: string, file: string, constants?: Map<string, ConstValue>): CompiledScript {
  const parser = new Parser(tokenize(source, file), file, constants);
  try {
    const parsed = parser.parseProgram();
    const generated = generate(parsed.main, file);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the compiler's output is the program
    const factory = new Function("R", "K", "F", generated.source) as Factory;
    return { file, main: factory(runtime, generated.infos, floats(generated.floats)), constants: parsed.constants };
  } catch (e) {
    if (e instanceof CompileError) throw e;
    const at = parser.position();
    // Hundreds of nested brackets exhaust the recursive descent (or V8's own parser of the output).
    if (isStackOverflow(e)) throw new CompileError(file, at.line, at.column, "expressions or blocks nested too deeply");
    // A safety net: the parser should refuse whatever V8 would refuse in the generated code, but if
    // it misses something the program is still rejected as S7 says, never with a bare JS error.
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new CompileError(file, at.line, at.column, `cannot compile this program (the generated code failed: ${what})`);
  }
}
