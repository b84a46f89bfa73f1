import fs from "node:fs";
import path from "node:path";
import { inFolder } from "./folder.js";
import type { Folder, FoundFile } from "./folder.js";

/** Where a relative include is looked for, in order (S6, Builder's "Searching The Included File"). */
export interface IncludeFolders {
  /** The including file's folder. */
  readonly beside: Folder;
  /** The top file's folder. */
  readonly top: Folder;
  /** The working folder. */
  readonly cwd: Folder;
  /** Library folders, for `github:` includes. */
  readonly libs: readonly Folder[];
}

/** The include resolved, or why not (a sentence naming what was searched). */
export type IncludeResolution = { readonly found: FoundFile } | { readonly missing: string };

// Builder's GitHub reference: github:OWNER/REPO/PATH[@REF] (also github.com: and github.com/)
const GITHUB = /^(?:github:|github\.com:|github\.com\/)([a-z0-9\-._]+)\/([a-z0-9\-._]+)\/(.*?)(?:@([^@]*))?$/i;
const REMOTE = /^(?:https?:|bitbucket-server:|git-azure-repos:|git-local:)/i;

export function isFile(abs: string): boolean {
  return fs.statSync(abs, { throwIfNoEntry: false })?.isFile() ?? false;
}

/**
 * Finds the file an `@include` names, offline: an absolute path as it is; a
 * relative one beside the including file, then beside the top file, then in
 * the working folder; `github:OWNER/REPO/PATH[@REF]` in the first library
 * folder holding OWNER/REPO/PATH, else the first holding a file named like
 * PATH's last part (the REF is not checked: a folder holds one version).
 */
export function resolveInclude(spec: string, where: IncludeFolders): IncludeResolution {
  const github = GITHUB.exec(spec);
  if (github !== null) {
    const [, owner, repo, file] = github as unknown as [string, string, string, string];
    if (file === "" || file.endsWith("/")) return { missing: `"${spec}" names no file` };
    const candidates = [
      ...where.libs.map((lib) => inFolder(lib, path.join(owner, repo, file))),
      ...where.libs.map((lib) => inFolder(lib, path.basename(file))),
    ];
    const found = candidates.find((c) => isFile(c.abs));
    if (found !== undefined) return { found };
    if (where.libs.length === 0) {
      return { missing: `"${spec}" not found: no library folders given (--libs DIR, a scenario's libs, IMPNET_LIBS); impnet never downloads` };
    }
    return {
      missing:
        `"${spec}" not found in the library folders ${where.libs.map((l) => l.display).join(", ")} ` +
        `(looked for ${path.join(owner, repo, file)}, then ${path.basename(file)}); impnet never downloads`,
    };
  }
  if (REMOTE.test(spec)) {
    return { missing: `"${spec}": impnet reads no remote files; put it in a library folder and include "github:…" or a local path` };
  }
  if (path.isAbsolute(spec)) {
    const found = { display: path.normalize(spec), abs: path.resolve(spec) };
    return isFile(found.abs) ? { found } : { missing: `"${spec}" not found` };
  }
  const seen = new Set<string>();
  const searched: FoundFile[] = [];
  for (const dir of [where.beside, where.top, where.cwd]) {
    if (seen.has(dir.abs)) continue;
    seen.add(dir.abs);
    const candidate = inFolder(dir, spec);
    if (isFile(candidate.abs)) return { found: candidate };
    searched.push(candidate);
  }
  return { missing: `"${spec}" not found (looked for ${searched.map((c) => c.display).join(", ")})` };
}
