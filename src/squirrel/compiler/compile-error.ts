import { ImpnetError } from "../../errors.js";

/** A Squirrel program that does not compile (S7): `FILE:LINE:COLUMN: message`. */
export class CompileError extends ImpnetError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super("IMPNET_SQUIRREL_COMPILE", `${file}:${line}:${column}: ${reason}`);
  }
}
