import { ImpnetError } from "../errors.js";

/** A command's input is unusable (missing secret, unreadable file, bad option). Nothing was started. */
export class CliInputError extends ImpnetError {
  constructor(message: string) {
    super("IMPNET_BAD_INPUT", message);
  }
}
