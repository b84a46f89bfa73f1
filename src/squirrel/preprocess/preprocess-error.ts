import { ImpnetError } from "../../errors.js";

/**
 * A Builder directive, an include or a `#require` that cannot be processed
 * (S6, S7): `FILE:LINE:COLUMN: message`, the place in the original file.
 * LINE and COLUMN are 1-based; COLUMN counts bytes, as the compiler's do.
 */
export class PreprocessError extends ImpnetError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super("IMPNET_SQUIRREL_PREPROCESS", `${file}:${line}:${column}: ${reason}`);
  }
}
