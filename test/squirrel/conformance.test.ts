import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runSquirrel } from "./run-squirrel.js";

/**
 * The language conformance suite (S2, S3, S4): each conformance/NAME.nut with
 * the output it must print in conformance/NAME.out. The expected outputs come
 * from the reference interpreter built for 32-bit integers and floats, except
 * where the imp's 3.0.4 differs (each such file says so in a comment).
 */
const dir = path.join(import.meta.dirname, "conformance");
const cases = readdirSync(dir)
  .filter((f) => f.endsWith(".nut"))
  .sort();

describe("S2 S3 S4 Squirrel conformance: small programs and their exact output", () => {
  it.each(cases)("%s", (name) => {
    const source = readFileSync(path.join(dir, name), "utf8");
    const expected = readFileSync(path.join(dir, name.replace(/\.nut$/, ".out")), "utf8");
    expect(runSquirrel(source, name)).toBe(expected);
  });
});
