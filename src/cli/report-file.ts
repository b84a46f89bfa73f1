import { statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CliInputError } from "./cli-errors.js";

/** Refuses, before anything runs, a report file whose folder does not exist or that names a folder: a long run must not end unable to write. */
export function checkWritable(file: string, option: string): void {
  const dir = path.dirname(path.resolve(file));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new CliInputError(`${option} ${file}: the folder ${dir} does not exist`);
  try {
    if (statSync(file).isDirectory()) throw new CliInputError(`${option} ${file}: is a folder, not a file`);
  } catch (e) {
    if (e instanceof CliInputError) throw e; // else: no such file yet, as expected
  }
}

/** Writes a report, or says why it could not. */
export function writeReport(file: string, text: string, option: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new CliInputError(`${option} ${file}: cannot write it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}
