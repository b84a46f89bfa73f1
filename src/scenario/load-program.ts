import { pathToFileURL } from "node:url";
import { ImpnetError } from "../errors.js";

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
