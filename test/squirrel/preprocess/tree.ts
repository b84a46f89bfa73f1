import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A temporary folder of files for a test; `remove()` deletes it. */
export interface Tree {
  readonly dir: string;
  /** The absolute path of `rel` inside the tree. */
  at(rel: string): string;
  write(rel: string, content: string | Buffer): string;
  remove(): void;
}

const made = new Set<string>();

/** Removes every tree made so far (for afterEach). */
export function removeTrees(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  made.clear();
}

export function tree(files: Record<string, string | Buffer> = {}): Tree {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "impnet-preprocess-"));
  made.add(dir);
  const t: Tree = {
    dir,
    at: (rel) => path.join(dir, rel),
    write(rel, content) {
      const p = path.join(dir, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
      return p;
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
      made.delete(dir);
    },
  };
  for (const [rel, content] of Object.entries(files)) t.write(rel, content);
  return t;
}
