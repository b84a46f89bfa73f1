/** Where a Squirrel line ends up: in code, inside `/* … *\/`, or inside a verbatim string `@"…"`. */
export type SquirrelState = "code" | "comment" | "verbatim";

/**
 * Scans one line of Squirrel (bytes, without its newline) from `state` and
 * returns the state at its end. Only block comments and verbatim strings span
 * lines; `"…"` and `'…'` end at the line's end at the latest.
 */
export function scanSquirrelLine(line: string, state: SquirrelState): SquirrelState {
  const n = line.length;
  let i = 0;
  while (i < n) {
    if (state === "comment") {
      const end = line.indexOf("*/", i);
      if (end < 0) return "comment";
      i = end + 2;
      state = "code";
      continue;
    }
    if (state === "verbatim") {
      const q = line.indexOf('"', i);
      if (q < 0) return "verbatim";
      if (line.charCodeAt(q + 1) === 34 /* "" is a quote */) {
        i = q + 2;
        continue;
      }
      i = q + 1;
      state = "code";
      continue;
    }
    const c = line.charCodeAt(i);
    if (c === 35 /* # */) return "code";
    if (c === 47 /* / */) {
      const d = line.charCodeAt(i + 1);
      if (d === 47) return "code";
      if (d === 42) {
        state = "comment";
        i += 2;
        continue;
      }
    } else if (c === 64 /* @ */ && line.charCodeAt(i + 1) === 34) {
      state = "verbatim";
      i += 2;
      continue;
    } else if (c === 34 || c === 39 /* " ' */) {
      i++;
      while (i < n && line.charCodeAt(i) !== c) i += line.charCodeAt(i) === 92 /* \ */ ? 2 : 1;
    }
    i++;
  }
  return state;
}
