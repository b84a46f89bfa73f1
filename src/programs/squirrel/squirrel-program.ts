import type { AgentEntry, AgentRoot } from "../../cloud/agent-runtime.js";
import type { ProgramEntry } from "../../device/device.js";
import type { RootTable } from "../../device/api/root.js";
import { defaultDelegates } from "../../squirrel/builtins/delegates.js";
import { SqTable } from "../../squirrel/table.js";
import { SquirrelVM } from "../../squirrel/vm.js";
import { Bridge } from "./bridge.js";
import type { SquirrelSource } from "./load-squirrel.js";
import { buildSquirrelRoot } from "./root-table.js";

/** Room for the globals, the constants and the APIs from the start: the root table never grows while it is built. */
const ROOT_SIZE = 128;

/** The default delegates hold only natives (no VM state): one set serves every VM. */
let delegates: Map<string, SqTable> | null = null;
function sharedDelegates(): Map<string, SqTable> {
  return (delegates ??= defaultDelegates());
}

/**
 * A device program in Squirrel: each start (cold boot, wake, restart after an
 * error) builds a fresh VM whose main function is the whole file (S1); only
 * `nv` carries over, as on the imp.
 */
export function squirrelDeviceProgram(source: SquirrelSource): ProgramEntry {
  const nvTables = new WeakMap<object, SqTable>();
  return (root: RootTable, host) => {
    let nv = nvTables.get(root.nv);
    if (nv === undefined) {
      nv = new SqTable();
      nvTables.set(root.nv, nv);
    }
    const vm = new SquirrelVM(sharedDelegates(), new SqTable(ROOT_SIZE));
    const bridge = new Bridge(vm, host, source, root);
    const nvTable = nv;
    vm.within(() => buildSquirrelRoot(bridge, root, source, nvTable));
    return bridge.run(source.compiled.main, []);
  };
}

/** An agent program in Squirrel: its own VM, its root table from the agent's (no hardware, no nv). */
export function squirrelAgentProgram(source: SquirrelSource): AgentEntry {
  return (root: AgentRoot, host) => {
    const vm = new SquirrelVM(sharedDelegates(), new SqTable(ROOT_SIZE));
    const bridge = new Bridge(vm, host, source, root);
    vm.within(() => buildSquirrelRoot(bridge, root, source, null));
    return bridge.run(source.compiled.main, []);
  };
}
