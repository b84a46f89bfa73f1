import { readFileSync } from "node:fs";
import { ImpnetError } from "../errors.js";

/** A --secrets file that cannot be read or used. */
export class FleetSecretsError extends ImpnetError {
  constructor(file: string, detail: string) {
    super("IMPNET_FLEET_SECRETS", `--secrets ${file}: ${detail}`);
  }
}

/**
 * Each device's secret, in the order of `ids`, from a file of `id:secret`
 * lines: the plain form mosquitto_passwd -U turns into a password file, so one
 * file provisions the broker and the fleet. Blank lines and `#` comments are
 * skipped. A secret may not hold a colon: mosquitto_passwd would cut it
 * there, and the broker would refuse the device. Every device of the fleet
 * must have one. Secrets never appear in an error.
 */
export function readFleetSecrets(file: string, ids: readonly string[]): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FleetSecretsError(file, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : `cannot be read (${code ?? String(e)})`);
  }
  const secrets = new Map<string, string>();
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const [id = "", secret = "", ...more] = line.split(":");
    if (id === "" || secret === "") throw new FleetSecretsError(file, `line ${i + 1} is not id:secret`);
    if (more.length > 0) throw new FleetSecretsError(file, `line ${i + 1}: the secret holds a colon, where mosquitto_passwd would cut it`);
    if (secrets.has(id)) throw new FleetSecretsError(file, `line ${i + 1} names ${id} a second time`);
    secrets.set(id, secret);
  }
  const missing = ids.filter((id) => !secrets.has(id));
  if (missing.length > 0) throw new FleetSecretsError(file, `no secret for ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ` and ${missing.length - 3} more of the fleet's devices` : ""}`);
  return ids.map((id) => secrets.get(id)!);
}
