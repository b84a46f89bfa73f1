import { accessSync, constants } from "node:fs";
import path from "node:path";

/** Where Debian puts the host tools impnet reads (mmcli, iw); sbin first, as an unprivileged PATH often lacks it. */
export const TOOL_DIRS: readonly string[] = ["/usr/sbin", "/usr/bin", "/sbin", "/usr/local/sbin", "/usr/local/bin"];

/** The first runnable `name` in `dirs`, looked up by hand rather than through PATH; undefined when it is not installed. */
export function findTool(name: string, dirs: readonly string[] = TOOL_DIRS): string | undefined {
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here, or not runnable: look in the next place
    }
  }
  return undefined;
}
