import { addGlobals } from "../../squirrel/builtins/globals.js";
import { jsonDecode, jsonEncode } from "../../squirrel/builtins/json.js";
import { native, nativeTable } from "../../squirrel/builtins/native.js";
import { toInteger } from "../../squirrel/runtime/ops.js";
import { SqTable } from "../../squirrel/table.js";
import type { SqFloat } from "../../squirrel/values.js";
import { utf8Bytes } from "./bytes.js";
import type { Bridge } from "./bridge.js";
import { notEmulated } from "./bridge.js";
import { constValue } from "./load-squirrel.js";
import type { SquirrelSource } from "./load-squirrel.js";

interface HostRoot {
  math: { rand: () => number };
  date: () => { time: number; usec: number };
  [name: string]: unknown;
}

/** The agent's http JSON functions, on Squirrel values (the imp's key order, integers apart from floats). */
function httpTable(): SqTable {
  return nativeTable([native("jsonencode", 2, null, (_self, [v]) => jsonEncode(v!)), native("jsondecode", 2, ".s", (_self, [s]) => jsonDecode(s as string))]);
}

/** The imp's date(t?): a table of the time's UTC fields, on the device's (virtual) clock. */
function dateTable(root: HostRoot) {
  return native("date", -1, null, (_self, args) => {
    const now = root.date();
    const given = args[0];
    const time = given === undefined || given === null ? now.time : toInteger(given as number | SqFloat);
    const d = new Date(time * 1000);
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    const t = new SqTable();
    t.newSlot("sec", d.getUTCSeconds());
    t.newSlot("min", d.getUTCMinutes());
    t.newSlot("hour", d.getUTCHours());
    t.newSlot("day", d.getUTCDate());
    t.newSlot("month", d.getUTCMonth());
    t.newSlot("year", d.getUTCFullYear());
    t.newSlot("wday", d.getUTCDay());
    t.newSlot("yday", Math.floor((d.getTime() - start) / 86_400_000));
    t.newSlot("usec", given === undefined || given === null ? now.usec : 0);
    t.newSlot("time", time);
    return t;
  });
}

/**
 * A Squirrel program's root table, built from the JavaScript root table the
 * device or agent gives (so the set and the release gating are the same, S1),
 * plus the language's globals. `nv` is the one table that outlives the VM.
 */
export function buildSquirrelRoot(bridge: Bridge, root: HostRoot, source: SquirrelSource, nv: SqTable | null): void {
  const t = bridge.vm.root;
  for (const key in root) {
    if (key === "nv" || key === "math" || key === "date") continue;
    t.newSlot(utf8Bytes(key), key === "http" ? httpTable() : bridge.toSq(root[key], key));
  }
  addGlobals(t, { random: () => root.math.rand() / 2 ** 31 });
  t.newSlot("date", dateTable(root));
  const hardware = t.get("hardware");
  if (hardware instanceof SqTable) notEmulated(hardware, "hardware");
  if (nv !== null) t.newSlot("nv", nv);
  for (const [name, value] of source.compiled.constants) bridge.vm.consts.newSlot(name, constValue(value));
}
