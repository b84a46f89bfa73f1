import type { CliIo } from "./sim-command.js";

/**
 * Colour for people, by the conventions terminal programs share: NO_COLOR
 * (any non-empty value) turns it off, FORCE_COLOR (anything but 0 or false)
 * turns it on even into a pipe, and otherwise a colour terminal decides.
 */
export function wantsColor(io: CliIo): boolean {
  const env = io.env ?? process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  return io.stdout.isTTY === true && (io.stdout.hasColors?.() ?? false);
}
