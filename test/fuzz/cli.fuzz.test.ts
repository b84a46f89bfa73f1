import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { TimerId } from "../../src/clock/clock.js";
import { RealClock } from "../../src/clock/real-clock.js";
import { explain, fuzz, reportTried, TEST_MS } from "./fuzz-support.js";

/*
 * Hardening, point 4: every CLI command's arguments, fuzzed. argv mixes each
 * command's real options with junk, and is always wrong before anything would
 * start (no secret for `run`, a bad --port for `serve`, a bad --for for
 * `demo`, an invalid id for `device add`, files that do not exist): main()
 * resolves to exit code 2 with one error line on stderr, `impnet: …` or
 * commander's `error: …` (a scenario's issues follow it, indented), nothing on
 * stdout, no stack trace, nothing thrown.
 */

/** Data folders and configs live here: an empty folder, so nothing the fuzzer names exists. */
const scratch = mkdtempSync(path.join(tmpdir(), "impnet-fuzz-cli-"));
const empty = mkdtempSync(path.join(tmpdir(), "impnet-fuzz-cli-empty-"));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
  reportTried("cli.fuzz.test.ts");
});

const clock = new RealClock();
/** A main() that has not answered by then has started something: stop it and fail. */
const ANSWER_MS = 3000;

interface Outcome {
  code: number | "hung";
  out: string;
  err: string;
}

async function cli(argv: readonly string[]): Promise<Outcome> {
  const out = { text: "" };
  const err = { text: "" };
  // Already aborted: a long-running command that did start would stop at once.
  const controller = new AbortController();
  controller.abort();
  const io = { stdout: { write: (s: string) => void (out.text += s) }, stderr: { write: (s: string) => void (err.text += s) }, env: {}, signal: controller.signal };
  const running = main(["node", "impnet", ...argv], io);
  let timer: TimerId | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = clock.setTimer(ANSWER_MS, () => resolve("hung"))));
  const code = await Promise.race([running, hung]);
  if (timer !== undefined) clock.clearTimer(timer);
  if (code === "hung") void running.catch(() => {});
  return { code, out: out.text, err: err.text };
}

/**
 * Exit 2, one `impnet:`/`error:` line, no stack, no output. Below it only a
 * scenario's issues (indented) or commander's "(Did you mean --json?)".
 */
function expectUsageError(argv: readonly string[], r: Outcome): void {
  const what = `argv ${JSON.stringify(argv)}: exit ${r.code}, stdout ${JSON.stringify(r.out.slice(0, 200))}, stderr ${JSON.stringify(r.err.slice(0, 600))}`;
  if (r.code !== 2) throw new Error(`expected exit code 2; ${what}`);
  if (r.out !== "") throw new Error(`expected nothing on stdout; ${what}`);
  const lines = r.err.endsWith("\n") ? r.err.slice(0, -1).split("\n") : [r.err];
  if (!/^(impnet|error): \S/.test(lines[0] ?? "")) throw new Error(`expected "impnet: …" or "error: …" first; ${what}`);
  const extra = (l: string) => (l.startsWith("  ") && !/^\s+at /.test(l)) || /^\(Did you mean [^\n]+\?\)$/.test(l);
  if (!lines.slice(1).every(extra)) throw new Error(`expected one error line (and indented issues); ${what}`);
}

// ---- argv pieces ----

/** Text that names nothing on disk (relative to the working folder either), and is not an option. */
const junk = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("0", "-0", "1e3", "99999", "NaN", "Infinity", "__proto__", "constructor", "a b", "x".repeat(300), "ü", "\u0000", "%s", "../nope", "mqtt://", "http://[::1"),
    fc.stringMatching(/^[a-z0-9]{1,8}$/).map((n) => `/nonexistent-impnet-fuzz/${n}`),
    fc.stringMatching(/^[a-z0-9]{1,8}$/).map((n) => `${n}.nut`),
  )
  .filter((s) => !s.startsWith("-") && !s.includes("\u0000") && !existsSync(path.resolve(s)));
/** A file that does not exist in a folder that does. */
const missingIn = (dir: string) => fc.stringMatching(/^[a-z0-9]{1,8}$/).map((n) => path.join(dir, `missing-${n}`));
const digits = fc.oneof(fc.nat().map(String), fc.constantFrom("-1", "1.5", "1e3", "0x10", "", " 7", "9007199254740993"));
const duration = fc.oneof(junk, fc.constantFrom("5s", "100", "1.5m", "0", "-1s", "1x", "", "1e999s", "9".repeat(400)));
const port = fc.oneof(digits, fc.constantFrom("99999", "65536", "abc", "-1", "80.5", "0x50", "", " 80"));
const variable = fc.oneof(junk, fc.constantFrom("A=1", "1=2", "=x", "A", "__proto__=x", "A.B=1"));
const url = fc.oneof(junk, fc.constantFrom("mqtt://127.0.0.1:1883", "mqtts://localhost:8883", "mqtt://127.0.0.1:0", "mqtt://[::1]:1883", "http://127.0.0.1:1883", "mqtt://u:p@h:1", "mqtt://h:99999"));
const deviceId = fc.oneof(junk, fc.constantFrom("dev-1", "x".repeat(65), "a/b", "a+b", "a#", "__proto__"));

/** Units are self-contained (an option with its value) so a unit never eats the next one. */
type Unit = readonly string[];
const flag = (name: string): fc.Arbitrary<Unit> => fc.constant([name]);
const opt = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<Unit> =>
  fc.oneof(
    value.map((v) => [name, v]),
    value.map((v) => [`${name}=${v}`]),
  );
/** Tokens every command may get: unknown options, `--`, stray words. */
const common: fc.Arbitrary<Unit>[] = [
  fc.constantFrom(["--nope"], ["--json=1"], ["-x"], ["--"], ["--JSON"], ["--port"]),
  junk.map((j) => [j]),
];

/**
 * argv for a command: `forced` (the unit that makes it wrong before anything
 * starts) at a random place among random units, and maybe a last option
 * missing its value.
 */
function argv(
  command: readonly string[],
  units: fc.Arbitrary<Unit>[],
  options: { forced?: fc.Arbitrary<Unit>; first?: fc.Arbitrary<Unit>; dangling?: readonly string[]; common?: fc.Arbitrary<Unit>[] } = {},
): fc.Arbitrary<string[]> {
  return fc
    .record({
      first: options.first ?? fc.constant([] as Unit),
      units: fc.array(fc.oneof(...units, ...(options.common ?? common)), { maxLength: 7 }),
      forced: options.forced ?? fc.constant([] as Unit),
      at: fc.nat(),
      dangling: fc.option(fc.constantFrom(...(options.dangling ?? ["--nope"])), { nil: undefined }),
    })
    .map(({ first, units: list, forced, at, dangling }) => {
      const all = [...list];
      all.splice(at % (all.length + 1), 0, forced);
      return [...command, ...first, ...all.flat(), ...(dangling === undefined ? [] : [dangling])];
    });
}

const squirrel = [opt("--libs", junk), opt("--var", variable)];

const commands: Record<string, fc.Arbitrary<string[]>> = {
  sim: argv(["sim"], [flag("--json"), opt("--seed", digits), ...squirrel], { dangling: ["--seed", "--libs", "--var"] }),
  // Every configuration sits in an empty folder (a default ./.impt.test would look through the checkout).
  test: argv(
    ["test"],
    [
      opt("--config", missingIn(empty)),
      opt("--tests", fc.oneof(junk, fc.constantFrom("a:B::c", ":::", "::"))),
      opt("--scenario", junk),
      opt("--seed", digits),
      flag("--json"),
      opt("--timeline", missingIn(empty)),
      opt("--server", url),
      opt("--id", deviceId),
      ...squirrel,
    ],
    { first: missingIn(empty).map((c) => ["--config", c]), dangling: ["--config", "--tests", "--server", "--id", "--timeline"] },
  ),
  // No IMPNET_DEVICE_SECRET in the environment, and no --secret-file that exists: run never starts.
  run: argv(
    ["run"],
    [
      opt("--server", url),
      opt("--id", deviceId),
      opt("--agent", junk),
      ...squirrel,
      opt("--proxy", fc.oneof(junk, fc.constantFrom("http://u@127.0.0.1:3128", "http://h", "socks5://h:1"))),
      opt("--secret-file", junk),
      opt("--proxy-password-file", junk),
      opt("--ca", junk),
      opt("--interface", fc.oneof(junk, fc.constantFrom("eth0=lo", "wl0=wlan0", "cell0=x".repeat(4), "eth1=lo", "eth0="))),
      opt("--release", fc.oneof(digits, fc.constantFrom("28", "41", "42", "1e1"))),
      opt("--for", duration),
      flag("--json"),
    ],
    { dangling: ["--server", "--id", "--for", "--release"] },
  ),
  // A --port that is not a port: commander refuses it before the cloud starts.
  serve: argv(
    ["serve"],
    [
      opt("--port", port),
      opt("--host", fc.oneof(junk, fc.constantFrom("0.0.0.0", "::", "localhost", "256.1.1.1"))),
      opt("--data", missingIn(scratch)),
      opt("--agent", junk),
      opt("--libs", junk),
      opt("--tls-cert", junk),
      opt("--tls-key", junk),
      flag("--json"),
    ],
    { forced: fc.constantFrom("99999", "65536", "abc", "-1", "80.5", "0x50", "", " 80", "1e3").map((p) => ["--port", p]), dangling: ["--port", "--host", "--data"] },
  ),
  // Ids that are not ids (and no `--`, after which `--json` would be one); the registry's
  // folder is a scratch one, given first (a later --data wins).
  "device add": argv(
    ["device", "add"],
    [
      junk.filter((s) => !/^[A-Za-z0-9._-]{1,64}$/.test(s)).map((id) => [id]),
      fc.constant(["__proto__"]),
      opt("--data", missingIn(scratch)),
      flag("--service"),
      flag("--json"),
    ],
    { first: missingIn(scratch).map((d) => ["--data", d]), dangling: ["--data"], common: [fc.constantFrom(["--nope"], ["--json=1"], ["-x"], ["--JSON"])] },
  ),
  // A --for that is not a duration, an unknown option or a stray word: demo never starts.
  demo: argv(["demo"], [opt("--for", fc.constantFrom("5s", "1m", "100")), flag("--json")], {
    forced: fc.oneof(fc.constantFrom("abc", "", "-1s", "1x", "5 s", "Infinity", "1e999").map((d) => ["--for", d]), fc.constant(["--nope"]), junk.map((j) => [j])),
    dangling: ["--for"],
  }),
};

describe("hostile input: every CLI command's arguments (Hardening 4)", () => {
  for (const [name, args] of Object.entries(commands)) {
    it(`impnet ${name}: junk arguments give exit 2 and one clear error line, and start nothing`, async () => {
      await fuzz(
        `impnet ${name}`,
        fc.asyncProperty(args, async (a) => {
          let r: Outcome;
          try {
            r = await cli(a);
          } catch (e) {
            throw new Error(`main() threw for ${JSON.stringify(a)}: ${explain(e)}`);
          }
          expectUsageError(a, r);
        }),
        { numRuns: 500, ms: 1500, timeout: ANSWER_MS + 1000 },
      );
    }, TEST_MS);
  }

  it("impnet device add with junk ids left every registry it opened without a device or service user", () => {
    const registries = readdirSync(scratch, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("registry.json"));
    for (const f of registries) {
      const data = JSON.parse(readFileSync(path.join(scratch, f), "utf8")) as { devices?: object; services?: object };
      expect([Object.keys(data.devices ?? {}), Object.keys(data.services ?? {})]).toEqual([[], []]);
    }
  }, TEST_MS);

  // Found by this property (seed 80509, run 71): a --config in a missing folder was an ENOENT stack, exit 1.
  it("impnet test with a --config in a missing folder gives exit 2 and one clear line", async () => {
    const config = fc.oneof(missingIn(empty), fc.stringMatching(/^[a-z0-9]{1,8}$/).map((n) => `/nonexistent-impnet-fuzz/${n}`));
    await fuzz(
      "impnet test --config in a missing folder",
      fc.asyncProperty(argv(["test"], [opt("--config", config), opt("--tests", junk), flag("--json")], { first: config.map((c) => ["--config", c]) }), async (a) => expectUsageError(a, await cli(a))),
      { numRuns: 500, ms: 1500, timeout: ANSWER_MS + 1000 },
    );
  }, TEST_MS);
});
