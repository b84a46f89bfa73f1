import path from "node:path";

/**
 * A folder as the user named it (`display`, kept for messages and the line
 * map: relative to the process's working folder, or absolute) and as the file
 * system finds it (`abs`).
 */
export interface Folder {
  readonly display: string;
  readonly abs: string;
}

export function folder(display: string): Folder {
  return { display, abs: path.resolve(display) };
}

/** A file found: how it is named in messages and maps, and where it is. */
export interface FoundFile {
  readonly display: string;
  readonly abs: string;
}

export function inFolder(dir: Folder, relative: string): FoundFile {
  return { display: path.normalize(path.join(dir.display, relative)), abs: path.resolve(dir.abs, relative) };
}
