import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir spins for ever
 * where a level cannot be made though its parent exists (`--data /proc/foo`
 * kept a core at 100 %); this fails at once with the level's own error.
 */
export function makeDirs(dir: string, mode: number): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}
