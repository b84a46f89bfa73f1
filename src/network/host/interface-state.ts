import { readFileSync } from "node:fs";
import path from "node:path";

/** What the host says about one network interface (R10). */
export interface InterfaceState {
  /** Carrier present and the interface not administratively down. */
  link: boolean;
  /** Why there is no link (for diagnostics). */
  linkDetail?: string;
}

const SYS_CLASS_NET = "/sys/class/net";

/**
 * The link from `/sys/class/net/<if>/operstate` and `carrier`. Reading
 * `carrier` of a downed interface fails with EINVAL: that is "no link" too.
 */
export function readLink(name: string, sysRoot: string = SYS_CLASS_NET): InterfaceState {
  const dir = path.join(sysRoot, name);
  const operstate = readSys(path.join(dir, "operstate"));
  if (operstate.error !== undefined) return { link: false, linkDetail: `${name}: no such interface (${operstate.error})` };
  if (operstate.value === "down" || operstate.value === "lowerlayerdown" || operstate.value === "notpresent")
    return { link: false, linkDetail: `${name}: operstate ${operstate.value}` };
  const carrier = readSys(path.join(dir, "carrier"));
  if (carrier.error !== undefined) return { link: false, linkDetail: `${name}: no carrier (${carrier.error})` };
  if (carrier.value !== "1") return { link: false, linkDetail: `${name}: no carrier` };
  return { link: true };
}

function readSys(file: string): { value: string; error?: undefined } | { value?: undefined; error: string } {
  try {
    return { value: readFileSync(file, "utf8").trim() };
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? "unreadable" };
  }
}
