import { statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { AgentEntry } from "../cloud/agent-runtime.js";
import type { ProgramEntry } from "../device/device.js";
import { ImpnetError } from "../errors.js";
import { libraryFolders, loadSquirrel } from "../programs/squirrel/load-squirrel.js";
import { squirrelAgentProgram, squirrelDeviceProgram } from "../programs/squirrel/squirrel-program.js";

/** A module failed to load, or has no default-exported function. */
export class ProgramLoadError extends ImpnetError {
  constructor(file: string, why: string) {
    super("IMPNET_PROGRAM_LOAD", `${file}: ${why}`);
  }
}

/**
 * Imports a device or agent program (JavaScript, or TypeScript through tsx)
 * and returns its default export. One module instance per file: every copy of
 * a device shares its module-level state (R36).
 */
export async function loadDefaultExport<T>(file: string): Promise<T> {
  const url = pathToFileURL(file).href;
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw new ProgramLoadError(file, String(e));
    try {
      const { tsImport } = await import("tsx/esm/api");
      mod = (await tsImport(url, import.meta.url)) as { default?: unknown };
    } catch (e2) {
      throw new ProgramLoadError(file, String(e2));
    }
  }
  // A .ts file outside an ESM package loads as CommonJS: its exports arrive wrapped once more.
  const entry = typeof mod.default === "object" && mod.default !== null && "default" in mod.default ? mod.default.default : mod.default;
  if (typeof entry !== "function") throw new ProgramLoadError(file, "the module has no default-exported function");
  return entry as T;
}

/** How a device or agent program file becomes an entry: `.nut` is Squirrel (S1), anything else a JavaScript module. */
export interface ProgramLoadOptions {
  /** Library folders for Squirrel's #require (before IMPNET_LIBS). */
  libs?: readonly string[];
  /** Builder variables from the command line (--var NAME=VALUE). */
  vars?: Readonly<Record<string, string>>;
}

function squirrelOptions(options: ProgramLoadOptions) {
  return { libs: libraryFolders(options.libs ?? []), ...(options.vars === undefined ? {} : { vars: options.vars }) };
}

/** Why a path cannot be a program file, or null when it can be read as one. */
export function programFileProblem(file: string): string | null {
  try {
    return statSync(file).isFile() ? null : "is a directory, not a program file";
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "file not found" : `cannot read it (${code ?? String(e)})`;
  }
}

function checkProgramFile(file: string): void {
  const problem = programFileProblem(file);
  if (problem !== null) throw new ProgramLoadError(file, problem);
}

export async function loadDeviceProgram(file: string, options: ProgramLoadOptions = {}): Promise<ProgramEntry> {
  checkProgramFile(file);
  if (isSquirrel(file)) return squirrelDeviceProgram(loadSquirrel(file, squirrelOptions(options)));
  return loadDefaultExport<ProgramEntry>(file);
}

export async function loadAgentProgram(file: string, options: ProgramLoadOptions = {}): Promise<AgentEntry> {
  checkProgramFile(file);
  if (isSquirrel(file)) return squirrelAgentProgram(loadSquirrel(file, squirrelOptions(options)));
  return loadDefaultExport<AgentEntry>(file);
}

/** Whether a program is Squirrel (S1: a .nut file). */
export function isSquirrel(file: string): boolean {
  return file.endsWith(".nut");
}
