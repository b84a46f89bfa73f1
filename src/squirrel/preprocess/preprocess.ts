import type { LineMap } from "./line-map.js";
import { Preprocessor } from "./preprocessor.js";

export interface PreprocessOptions {
  /** Library folders, in order: for `#require` and `github:` includes. */
  readonly libs: readonly string[];
  /** Builder variables from the command line (`--var NAME=VALUE`). */
  readonly vars?: Readonly<Record<string, string>>;
  /** The environment Builder variables fall back to; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The working folder, the last place a relative include is looked for; the process's by default. */
  readonly cwd?: string;
}

/** An `@warning` met on the way. */
export interface PreprocessWarning {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface Preprocessed {
  /**
   * The program, as a byte string (each char code 0–255 is one byte, the
   * representation the Squirrel compiler reads): files pass through
   * byte-for-byte; text Builder writes is UTF-8 encoded.
   */
  readonly code: string;
  /** Every output line (1-based) back to its original file and line. */
  readonly map: LineMap;
  readonly warnings: readonly PreprocessWarning[];
}

/**
 * Preprocesses a Squirrel file as Electric Imp's Builder does (S6), offline:
 * `@include [once]`, `@set`, `@if/@elseif/@else/@endif`, `@{…}`,
 * `@macro/@end`, `@while`, `@repeat`, `@error`, `@warning`, `__FILE__`,
 * `__LINE__`, `__PATH__`, Builder's functions; and Squirrel's
 * `#require "NAME:VERSION"` from the library folders. Directive lines leave
 * no output line. File names in the map and errors are as the user gave them
 * (relative to the process's working folder, or absolute).
 * @throws PreprocessError (`FILE:LINE:COLUMN: message`)
 */
export function preprocess(file: string, options: PreprocessOptions): Preprocessed {
  return new Preprocessor(options).run(file);
}
