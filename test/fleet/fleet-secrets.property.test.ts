import { writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FleetSecretsError, readFleetSecrets } from "../../src/fleet/fleet-secrets.js";
import { tempDir } from "../host/real-parts.js";

const token = fc.stringMatching(/^[A-Za-z0-9_.+/=-]{1,20}$/);

describe("fleet --secrets files (id:secret lines)", () => {
  it("gives every device its own secret, in the fleet's order, whatever the comments, blank lines, line endings and line order", () => {
    const dir = tempDir();
    const file = path.join(dir, "secrets.txt");
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(token, token), { minLength: 1, maxLength: 30, selector: ([id]) => id }),
        fc.array(fc.constantFrom("", "# comment: with colons", "   ", "  # indented"), { maxLength: 5 }),
        fc.constantFrom("\n", "\r\n"),
        fc.nat(),
        (pairs, noise, eol, shift) => {
          const lines = pairs.map(([id, secret]) => `${id}:${secret}`);
          const rotated = [...lines.slice(shift % lines.length), ...lines.slice(0, shift % lines.length)];
          noise.forEach((n, i) => rotated.splice(i % (rotated.length + 1), 0, n));
          writeFileSync(file, rotated.join(eol) + eol);
          const ids = pairs.map(([id]) => id);
          expect(readFleetSecrets(file, ids)).toEqual(pairs.map(([, secret]) => secret));
        },
      ),
    );
  });

  it("never puts a secret in its errors: a missing id, a second line for an id", () => {
    const dir = tempDir();
    const file = path.join(dir, "secrets.txt");
    writeFileSync(file, "a:TOPSECRET\na:OTHERSECRET\n");
    expect(() => readFleetSecrets(file, ["a"])).toThrow(new FleetSecretsError(file, "line 2 names a a second time"));
    writeFileSync(file, "a:TOPSECRET\n");
    expect(() => readFleetSecrets(file, ["a", "b"])).toThrow(/no secret for b$/);
    expect(() => readFleetSecrets(dir, ["a"])).toThrow(/is a directory, not a file/);
  });
});
