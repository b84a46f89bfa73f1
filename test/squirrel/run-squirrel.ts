import { defaultDelegates } from "../../src/squirrel/builtins/delegates.js";
import { addGlobals } from "../../src/squirrel/builtins/globals.js";
import { native } from "../../src/squirrel/builtins/native.js";
import { compileScript } from "../../src/squirrel/compile.js";
import { toStr } from "../../src/squirrel/runtime/ops.js";
import { SqError } from "../../src/squirrel/values.js";
import { SquirrelVM } from "../../src/squirrel/vm.js";
import { constValue } from "../../src/programs/squirrel/load-squirrel.js";
import { CompileError } from "../../src/squirrel/compiler/compile-error.js";
import { seededRandom } from "../../src/scenario/random.js";

const delegates = defaultDelegates();

/**
 * Runs a Squirrel program on a bare VM with the language's globals and a
 * test-only `print` (the imp has none: S1), as the reference interpreter's
 * `sq` does, and returns what it printed. An uncaught error ends the output
 * with `ERROR: <message>`, as sq reports it; a program that does not compile
 * prints only `COMPILE ERROR: FILE:LINE:COLUMN: message` (S7).
 */
export function runSquirrel(source: string, file = "test.nut"): string {
  let out = "";
  let script;
  try {
    script = compileScript(Buffer.from(source, "utf8").toString("latin1"), file);
  } catch (e) {
    if (e instanceof CompileError) return `COMPILE ERROR: ${e.message}`;
    throw e;
  }
  const vm = new SquirrelVM(delegates);
  vm.within(() => {
    for (const [name, value] of script.constants) vm.consts.newSlot(name, constValue(value));
    addGlobals(vm.root, { random: seededRandom(1, file) });
    vm.root.newSlot(
      "print",
      native("print", 2, null, (_self, [v]) => {
        out += toStr(v!);
        return null;
      }),
    );
  });
  try {
    const r = vm.run(script.main, vm.root, []);
    if (r instanceof Promise) throw new Error("the program blocked: no host here");
  } catch (e) {
    if (!(e instanceof SqError)) throw e;
    out += `\nERROR: ${vm.within(() => toStr(e.value))}`;
  }
  return Buffer.from(out, "latin1").toString("utf8");
}
