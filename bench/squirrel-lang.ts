/**
 * S8: the Squirrel language on impnet beside the reference C interpreter.
 * Each program prints a checksum (both must print the same); impnet's time is
 * compile + run in this process, the reference's the whole `sq` process.
 *
 *   npm run bench:squirrel-lang                                   # impnet only
 *   npm run bench:squirrel-lang -- --reference /path/to/sq --reps 5
 *
 * The reference is yours to build from a fetched copy of the interpreter; it
 * is never part of impnet or its CI.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defaultDelegates } from "../src/squirrel/builtins/delegates.js";
import { addGlobals } from "../src/squirrel/builtins/globals.js";
import { native } from "../src/squirrel/builtins/native.js";
import { compileScript } from "../src/squirrel/compile.js";
import { toStr } from "../src/squirrel/runtime/ops.js";
import { SquirrelVM } from "../src/squirrel/vm.js";
import { median, table } from "./report.js";

const PROGRAMS: Record<string, string> = {
  "fib(27)": `
    function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
    print(fib(27));`,
  "10 M integer ops": `
    local s = 0;
    for (local i = 0; i < 2000000; i++) { s = s + i * 3; s = s ^ (i << 2); s = s - (i >> 1); }
    print(s);`,
  "string building": `
    local s = "";
    for (local i = 0; i < 20000; i++) s += i + ",";
    local parts = split(s, ",");
    print(s.len() + " " + parts.len());`,
  "table and array work": `
    local t = {};
    for (local i = 0; i < 200000; i++) t["k" + (i % 5000)] <- i;
    local a = [];
    foreach (k, v in t) a.append(v);
    a.sort();
    local sum = 0;
    foreach (v in a) sum += v;
    local arr = array(100000, 1);
    for (local i = 0; i < arr.len(); i++) arr[i] = arr[i] + i;
    print(sum + " " + arr.top());`,
  "method calls": `
    class Counter {
      n = 0;
      function add(k) { n += k; return this; }
      function get() { return n; }
    }
    class Twice extends Counter {
      function add(k) { return base.add(k * 2); }
    }
    local c = Twice();
    for (local i = 0; i < 500000; i++) c.add(1);
    print(c.get());`,
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}
const reference = arg("--reference");
const reps = Number(arg("--reps") ?? 3);

const delegates = defaultDelegates();
function runImpnet(code: string): { ms: number; out: string } {
  let out = "";
  const t0 = performance.now();
  const script = compileScript(code, "bench.nut");
  const vm = new SquirrelVM(delegates);
  vm.within(() => {
    addGlobals(vm.root, { random: Math.random });
    vm.root.newSlot("print", native("print", 2, null, (_s, [v]) => ((out += toStr(v!)), null)));
  });
  if (vm.run(script.main, vm.root, []) instanceof Promise) throw new Error("a benchmark program blocked: nothing here can unblock it");
  return { ms: performance.now() - t0, out };
}

const dir = mkdtempSync(path.join(tmpdir(), "impnet-lang-bench-"));
function runReference(sq: string, name: string, code: string): { ms: number; out: string } {
  const file = path.join(dir, `${name.replace(/\W+/g, "_")}.nut`);
  writeFileSync(file, code);
  const t0 = performance.now();
  const r = spawnSync(sq, [file], { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${sq} ${file}: ${r.stderr}`);
  return { ms, out: r.stdout.trim() };
}

const rows: string[][] = [];
try {
  for (const [name, code] of Object.entries(PROGRAMS)) {
    const ours: number[] = [];
    const theirs: number[] = [];
    let check = "";
    for (let k = 0; k < reps; k++) {
      const a = runImpnet(code);
      ours.push(a.ms);
      check = a.out;
      if (reference !== undefined) {
        const b = runReference(reference, name, code);
        theirs.push(b.ms);
        if (b.out !== a.out) throw new Error(`${name}: impnet printed ${a.out}, the reference ${b.out}`);
      }
    }
    const mine = median(ours);
    const ref = theirs.length > 0 ? median(theirs) : undefined;
    rows.push([name, mine.toFixed(1), ref === undefined ? "—" : ref.toFixed(1), ref === undefined ? "—" : (mine / ref).toFixed(2), check]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`Squirrel language: impnet beside ${reference ?? "(no reference given)"}; medians of ${reps}, ms`);
console.log(table(["program", "impnet ms", "reference ms", "ratio", "output"], rows));
console.log("\ngoal: ratio ≤ 3 on every line. impnet: compile + run in-process; reference: the whole sq process.");
