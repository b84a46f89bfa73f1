import type { AgentEntry, AgentRoot } from "../../cloud/agent-runtime.js";
import { selfBounded } from "../../clock/turn-guard.js";
import type { ProgramEntry, ProgramHost } from "../../device/device.js";
import type { RootTable } from "../../device/api/root.js";
import { defaultDelegates } from "../../squirrel/builtins/delegates.js";
import { SqTable } from "../../squirrel/table.js";
import { SquirrelVM } from "../../squirrel/vm.js";
import { Bridge } from "./bridge.js";
import type { SquirrelSource } from "./load-squirrel.js";
import { buildSquirrelRoot } from "./root-table.js";
import { decodeTyped, encodeTyped } from "./typed-wire.js";

/** Room for the globals, the constants and the APIs from the start: the root table never grows while it is built. */
const ROOT_SIZE = 128;

/** The default delegates hold only natives (no VM state): one set serves every VM. */
let delegates: Map<string, SqTable> | null = null;
function sharedDelegates(): Map<string, SqTable> {
  return (delegates ??= defaultDelegates());
}

/** What a host adds to a program's root table beyond the imp's (the test session's `__impnet_test`). */
export type RootExtension = (root: SqTable, bridge: Bridge) => void;

/**
 * A device program in Squirrel: each start (cold boot, wake, restart after an
 * error) builds a fresh VM whose main function is the whole file (S1); only
 * `nv` carries over, as on the imp. The VM bounds its own turns (S7).
 */
export function squirrelDeviceProgram(source: SquirrelSource, extend?: RootExtension): ProgramEntry {
  const nvTables = new WeakMap<object, SqTable>();
  return selfBounded((root: RootTable, host: ProgramHost) => {
    const vm = new SquirrelVM(sharedDelegates(), new SqTable(ROOT_SIZE));
    const bridge = new Bridge(vm, host, source, root);
    const nv = vm.within(() => carryOver(nvTables.get(root.nv)));
    nvTables.set(root.nv, nv);
    vm.within(() => {
      buildSquirrelRoot(bridge, root, source, nv);
      extend?.(vm.root, bridge);
    });
    return bridge.run(source.compiled.main, []);
  });
}

/**
 * `nv` as the new VM gets it: the data the old one left, copied as the imp
 * keeps it (what a message can carry), so nothing of the old VM — a closure,
 * an instance, an object key numbered by the old VM — reaches the new one.
 * A value that cannot be carried is left behind.
 */
function carryOver(old: SqTable | undefined): SqTable {
  const nv = new SqTable();
  if (old === undefined) return nv;
  for (let i = old.nextIndex(0); i >= 0; i = old.nextIndex(i + 1)) {
    try {
      nv.newSlot(decodeTyped(encodeTyped(old.keyAt(i))), decodeTyped(encodeTyped(old.valueAt(i))));
    } catch {
      // a function or an instance: not data, not kept
    }
  }
  return nv;
}

/** An agent program in Squirrel: its own VM, its root table from the agent's (no hardware, no nv). */
export function squirrelAgentProgram(source: SquirrelSource, extend?: RootExtension): AgentEntry {
  return selfBounded((root: AgentRoot, host: ProgramHost) => {
    const vm = new SquirrelVM(sharedDelegates(), new SqTable(ROOT_SIZE));
    const bridge = new Bridge(vm, host, source, root);
    vm.within(() => {
      buildSquirrelRoot(bridge, root, source, null);
      extend?.(vm.root, bridge);
    });
    return bridge.run(source.compiled.main, []);
  });
}
