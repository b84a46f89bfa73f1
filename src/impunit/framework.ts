import { readdirSync } from "node:fs";
import path from "node:path";
import type { SquirrelLoadOptions, SquirrelPart } from "../programs/squirrel/load-squirrel.js";
import { squirrelPart, textPart } from "../programs/squirrel/load-squirrel.js";
import { toBytes } from "../squirrel/bytes.js";
import { IMP_TEST_CASE_NUT } from "./framework/imp-test-case-nut.js";
import { JSON_ENCODER_NUT } from "./framework/json-encoder-nut.js";
import { PROMISE_NUT } from "./framework/promise-nut.js";
import { RUNNER_NUT } from "./framework/runner-nut.js";

/** The first library file in the folders named `names[i]` or `names[i]@VERSION`. */
function libraryFile(libs: readonly string[], names: readonly string[]): string | undefined {
  for (const dir of libs) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const hit = entries.find((e) => e === name || e.startsWith(`${name}@`));
      if (hit !== undefined) return path.join(dir, hit);
    }
  }
  return undefined;
}

/**
 * The framework a test side runs first (T1): Promise and JSONEncoder (the
 * user's own when the library folders hold them, else impnet's), then
 * ImpTestCase and the runner.
 */
export function frameworkParts(load: SquirrelLoadOptions): SquirrelPart[] {
  const promise = libraryFile(load.libs, ["Promise.lib.nut", "promise.class.nut"]);
  const encoder = libraryFile(load.libs, ["JSONEncoder.class.nut"]);
  return [
    promise === undefined ? textPart(toBytes(PROMISE_NUT), "(impnet Promise)") : squirrelPart(promise, load),
    encoder === undefined ? textPart(toBytes(JSON_ENCODER_NUT), "(impnet JSONEncoder)") : squirrelPart(encoder, load),
    textPart(toBytes(IMP_TEST_CASE_NUT), "(impnet ImpTestCase)"),
    textPart(toBytes(RUNNER_NUT), "(impnet test runner)"),
  ];
}
