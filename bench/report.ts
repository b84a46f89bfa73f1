/** What every bench prints with: medians and one aligned markdown table; its arguments; its children's code. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository, from bench/ under tsx or from .bench-out/bench/ once compiled. */
export const ROOT = path.resolve(HERE, HERE.includes(`${path.sep}.bench-out${path.sep}`) ? "../.." : "..");

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A markdown table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? ":" : "-") + "-".repeat(w) + (i === 0 ? "-" : ":")).join("|")}|`, ...rows.map(line)].join("\n");
}

export const int = (n: number): string => Math.round(n).toLocaleString("en-US");

/** `--name N` on the command line: a positive integer, or `fallback` when absent. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer`);
  return n;
}

/** `--name 1,2,3` on the command line: positive integers, or `fallback` when absent. */
export function listArg(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const list = (process.argv[i + 1] ?? "").split(",").map(Number);
  if (list.length === 0 || list.some((n) => !Number.isSafeInteger(n) || n <= 0)) throw new Error(`${name}: expected a comma-separated list of positive integers`);
  return list;
}

let compiled = false;

/**
 * The tsc build of a bench script (`.bench-out/bench/NAME.js`), compiled once
 * per process. Children run it rather than tsx: esbuild's keepNames wraps
 * every named closure, which costs about 3 KB per device and doubles setup
 * time. What is measured is what `npm install` builds.
 */
export function compiledBench(name: string): string {
  if (!compiled) {
    const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.bench.json"], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) throw new Error("tsc -p tsconfig.bench.json failed");
    compiled = true;
  }
  return path.join(ROOT, ".bench-out/bench", `${name}.js`);
}
