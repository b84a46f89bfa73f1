import { addGlobals } from "../../squirrel/builtins/globals.js";
import { jsonDecode, jsonEncode } from "../../squirrel/builtins/json.js";
import { native, nativeTable } from "../../squirrel/builtins/native.js";
import { toInteger } from "../../squirrel/runtime/ops.js";
import { SqTable } from "../../squirrel/table.js";
import type { SqFloat } from "../../squirrel/values.js";
import { toBytes as utf8Bytes } from "../../squirrel/bytes.js";
import type { Bridge } from "./bridge.js";
import { notEmulated } from "./bridge.js";
import { currentBridge } from "./host-natives.js";
import { constValue } from "./load-squirrel.js";
import type { SquirrelSource } from "./load-squirrel.js";

interface HostRoot {
  math: { rand: () => number };
  date: () => { time: number; usec: number };
  [name: string]: unknown;
}

const hostRoot = () => currentBridge().jsRoot as HostRoot;

/** The imp's date(t?): a table of the time's UTC fields, on the device's (virtual) clock. */
const dateNative = native("date", -1, null, (_self, args) => {
  const now = hostRoot().date();
  const given = args[0];
  const time = given === undefined || given === null ? now.time : toInteger(given as number | SqFloat);
  const d = new Date(time * 1000);
  const t = new SqTable();
  t.newSlot("sec", d.getUTCSeconds());
  t.newSlot("min", d.getUTCMinutes());
  t.newSlot("hour", d.getUTCHours());
  t.newSlot("day", d.getUTCDate());
  t.newSlot("month", d.getUTCMonth());
  t.newSlot("year", d.getUTCFullYear());
  t.newSlot("wday", d.getUTCDay());
  t.newSlot("yday", Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000));
  t.newSlot("usec", given === undefined || given === null ? now.usec : 0);
  t.newSlot("time", time);
  return t;
});

/** The agent's http JSON functions, on Squirrel values (the imp's key order, integers apart from floats). */
const httpTemplate = nativeTable([native("jsonencode", 2, null, (_self, [v]) => jsonEncode(v!)), native("jsondecode", 2, ".s", (_self, [s]) => jsonDecode(s as string))]);

/** What every root of one kind shares: the language's globals, date, the release's constants. Built once per kind. */
const templates = new WeakMap<object, SqTable>();
const AGENT = {};

function template(root: HostRoot, agent: boolean): SqTable {
  const key = agent ? AGENT : (Object.getPrototypeOf(root) as object);
  let t = templates.get(key);
  if (t === undefined) {
    t = new SqTable();
    addGlobals(t, { random: () => hostRoot().math.rand() / 2 ** 31 });
    t.newSlot("date", dateNative);
    for (const name in root) {
      const v = root[name];
      if (!Object.hasOwn(root, name) && typeof v === "number") t.newSlot(utf8Bytes(name), v); // the release's constants
    }
    templates.set(key, t);
  }
  return t;
}

/**
 * A Squirrel program's root table, built from the JavaScript root table the
 * device or agent gives (so the set and the release gating are the same, S1),
 * plus the language's globals. Host functions are natives shared by every VM;
 * the tables holding them are the VM's own. `nv` is the one table that
 * outlives the VM.
 */
export function buildSquirrelRoot(bridge: Bridge, root: HostRoot, source: SquirrelSource, nv: SqTable | null): void {
  const t = bridge.vm.root;
  const shared = template(root, nv === null);
  // `math` and the globals' other values are shared by every VM: natives hold no VM state.
  for (let i = shared.nextIndex(0); i >= 0; i = shared.nextIndex(i + 1)) t.newSlot(shared.keyAt(i), shared.valueAt(i));
  for (const key of Object.keys(root)) {
    if (key === "nv" || key === "math" || key === "date") continue;
    t.newSlot(utf8Bytes(key), key === "http" ? httpTemplate.clone() : bridge.toSq(root[key], key));
  }
  const hardware = t.get("hardware");
  if (hardware instanceof SqTable) notEmulated(hardware, "hardware");
  if (nv !== null) t.newSlot("nv", nv);
  for (const [name, value] of source.compiled.constants) bridge.vm.consts.newSlot(name, constValue(value));
}
