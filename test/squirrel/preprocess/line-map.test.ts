import { describe, expect, it } from "vitest";
import { LineMapBuilder } from "../../../src/squirrel/preprocess/line-map.js";

describe("S6 the line map", () => {
  it("merges contiguous lines of one file into one range; an expanded line is one range", () => {
    const b = new LineMapBuilder();
    b.add("main.nut", 1, 3, 1);
    b.add("main.nut", 4, 2, 1); // contiguous: merged
    b.add("lib.nut", 1, 1000, 1);
    b.add("main.nut", 8, 3, 0); // line 8 expanded to 3 output lines
    b.add("main.nut", 9, 1, 1);
    const map = b.build({ file: "main.nut", line: 1 });
    expect(map.ranges).toBe(4);
    expect(map.lines).toBe(1009);
    const at = (n: number): string => {
      const s = map.lookup(n);
      return `${s.file}:${s.line}`;
    };
    expect([1, 5, 6, 1005, 1006, 1007, 1008, 1009].map(at)).toEqual([
      "main.nut:1",
      "main.nut:5",
      "lib.nut:1",
      "lib.nut:1000",
      "main.nut:8",
      "main.nut:8",
      "main.nut:8",
      "main.nut:9",
    ]);
    // past either end: the nearest line (the compiler's "unexpected end of file" is one past)
    expect([0, 1010, 99_999].map(at)).toEqual(["main.nut:1", "main.nut:9", "main.nut:9"]);
  });

  it("an empty output maps to the top file's first line", () => {
    expect(new LineMapBuilder().build({ file: "empty.nut", line: 1 }).lookup(1)).toEqual({ file: "empty.nut", line: 1 });
  });
});
