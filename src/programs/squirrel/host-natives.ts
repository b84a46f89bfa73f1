import { native } from "../../squirrel/builtins/native.js";
import { ctx } from "../../squirrel/runtime/context.js";
import type { SqNative, SqValue } from "../../squirrel/values.js";
import type { SquirrelVM } from "../../squirrel/vm.js";
import type { Bridge } from "./bridge.js";

/** The bridge of the VM whose code is running: shared natives act for whichever device called them. */
export function currentBridge(): Bridge {
  return (ctx as SquirrelVM).host as Bridge;
}

const natives = new Map<string, SqNative>();

/**
 * The one native for a host function path (`server.log`, `imp.net.info`),
 * shared by every VM: it calls the running device's own function by path.
 * A fleet of 100,000 Squirrel devices then holds one set of natives, not one each.
 */
export function hostNative(path: string): SqNative {
  let n = natives.get(path);
  if (n === undefined) {
    const parts = path.split(".");
    n = native(path, 0, null, (_self, args: SqValue[]) => currentBridge().callHost(parts, path, args));
    natives.set(path, n);
  }
  return n;
}
