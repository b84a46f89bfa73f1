import { inFolder } from "./folder.js";
import type { Folder, FoundFile } from "./folder.js";
import { isFile } from "./resolve-include.js";

/**
 * Finds the file for `#require "NAME:VERSION"` (S6): a file `NAME@VERSION`
 * in the library folders (in order), else a file `NAME`. Library names carry
 * their extension (`ConnectionManager.lib.nut`), so nothing is appended.
 */
export function resolveLibrary(name: string, version: string, libs: readonly Folder[]): { found: FoundFile } | { missing: string } {
  const candidates = [...libs.map((lib) => inFolder(lib, `${name}@${version}`)), ...libs.map((lib) => inFolder(lib, name))];
  const found = candidates.find((c) => isFile(c.abs));
  if (found !== undefined) return { found };
  const where =
    libs.length === 0
      ? "no library folders given (--libs DIR, a scenario's libs, IMPNET_LIBS)"
      : `looked for ${name}@${version}, then ${name}, in ${libs.map((l) => l.display).join(", ")}`;
  return { missing: `library ${name} version ${version} not found: ${where}; impnet never downloads` };
}
