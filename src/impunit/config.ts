import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ImpnetError } from "../errors.js";

/** A test configuration that cannot be used: one line, exit 2 (T3). */
export class TestConfigError extends ImpnetError {
  constructor(message: string) {
    super("IMPNET_TEST_CONFIG", message);
  }
}

/** `.impt.test` as impnet reads it (impt's fields; the device group's are ignored). */
export interface TestConfig {
  /** The folder holding `.impt.test`: test globs, deviceFile/agentFile and includes are relative to it. */
  dir: string;
  testFiles: string[];
  deviceFile?: string;
  agentFile?: string;
  timeoutS: number;
  stopOnFail: boolean;
  allowDisconnect: boolean;
  /** Builder variables from `builderConfig` (and the older `.imptest-builder`). */
  vars: Record<string, string>;
}

const DEFAULT_GLOBS = ["*.test.nut", "tests/**/*.test.nut"];

function readJson(file: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new TestConfigError(`${what} ${file}: ${e instanceof SyntaxError ? `not valid JSON (${e.message})` : (e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new TestConfigError(`${what} ${file}: expected a JSON object`);
  return parsed as Record<string, unknown>;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function variables(json: Record<string, unknown>, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) {
    if (typeof v === "object" && v !== null) throw new TestConfigError(`Builder variables ${file}: ${k} must be a string, number or boolean`);
    out[k] = String(v);
  }
  return out;
}

/** Reads `.impt.test` (a missing one means impt's defaults, in `dir`). */
export function loadTestConfig(file: string): TestConfig {
  const dir = path.dirname(path.resolve(file));
  // A missing .impt.test means impt's defaults, in its folder: that folder must exist.
  if (!existsSync(file) && !isDirectory(dir)) throw new TestConfigError(`test configuration ${file}: no such file, and its folder ${dir} does not exist`);
  const json = existsSync(file) ? readJson(file, "test configuration") : {};
  const field = <T>(name: string, check: (v: unknown) => v is T, expected: string, fallback: T): T => {
    const v = json[name];
    if (v === undefined) return fallback;
    if (!check(v)) throw new TestConfigError(`test configuration ${file}: ${name} must be ${expected}`);
    return v;
  };
  const isString = (v: unknown): v is string => typeof v === "string" && v !== "";
  const isBool = (v: unknown): v is boolean => typeof v === "boolean";
  const isPositive = (v: unknown): v is number => typeof v === "number" && v > 0 && Number.isFinite(v);
  const isGlobs = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((g) => typeof g === "string" && g !== "");
  const config: TestConfig = {
    dir,
    testFiles: field("testFiles", isGlobs, "a non-empty array of globs", DEFAULT_GLOBS),
    timeoutS: field("timeout", isPositive, "a number of seconds > 0", 30),
    stopOnFail: field("stopOnFail", isBool, "true or false", false),
    allowDisconnect: field("allowDisconnect", isBool, "true or false", false),
    vars: {},
  };
  for (const side of ["deviceFile", "agentFile"] as const) {
    const f = field<string | false>(side, (v): v is string | false => isString(v) || v === false, "a file name", false);
    if (f === false) continue;
    const abs = path.resolve(dir, f);
    if (!existsSync(abs)) throw new TestConfigError(`test configuration ${file}: ${side} ${f} does not exist`);
    config[side] = abs;
  }
  const older = path.join(dir, ".imptest-builder");
  if (existsSync(older)) Object.assign(config.vars, variables(readJson(older, "Builder variables"), older));
  const builderConfig = field<string | false>("builderConfig", (v): v is string | false => isString(v) || v === false, "a file name", false);
  if (builderConfig !== false) {
    const abs = path.resolve(dir, builderConfig);
    Object.assign(config.vars, variables(readJson(abs, "Builder variables"), abs));
  }
  return config;
}

/** A glob of `.impt.test` (`*`, `**`, `?`) as a regular expression over paths relative to the config folder. */
function globRegex(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, rel = "", out: string[] = []): string[] {
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const r = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) walk(dir, r, out);
    else out.push(r);
  }
  return out;
}

export interface TestFile {
  /** Absolute path. */
  file: string;
  /** Agent code (T1: its path relative to the config folder has the word "agent"). */
  agentSide: boolean;
  /** The other side's partner file, when it exists. */
  partner?: string;
}

function describeFile(dir: string, abs: string): TestFile {
  const rel = path.relative(dir, abs).split(path.sep).join("/");
  const agentSide = /\bagent\b/i.test(rel);
  const t: TestFile = { file: abs, agentSide };
  // X.agent.test.nut runs beside X.device.nut; X.device.test.nut beside X.agent.nut.
  const m = /^(.*)\.(agent|device)\.test\.nut$/i.exec(abs);
  if (m !== null) {
    const partner = `${m[1]}.${m[2]!.toLowerCase() === "agent" ? "device" : "agent"}.nut`;
    if (existsSync(partner)) t.partner = partner;
  }
  return t;
}

/** The session files: those named (files or folders), else `.impt.test`'s globs; in a stable order. */
export function findTestFiles(config: TestConfig, named: readonly string[]): TestFile[] {
  let files: string[];
  if (named.length > 0) {
    files = [];
    for (const n of named) {
      const abs = path.resolve(n);
      if (!existsSync(abs)) throw new TestConfigError(`test file ${n}: no such file`);
      if (statSync(abs).isDirectory()) files.push(...walk(abs).filter((f) => f.endsWith(".test.nut")).map((f) => path.join(abs, f)));
      else files.push(abs);
    }
  } else {
    const globs = config.testFiles.map(globRegex);
    files = walk(config.dir)
      .filter((rel) => globs.some((g) => g.test(rel)))
      .map((rel) => path.join(config.dir, rel));
  }
  files = [...new Set(files)].sort();
  if (files.length === 0) throw new TestConfigError(`no test files: none match ${named.length > 0 ? named.join(", ") : config.testFiles.join(", ")} in ${config.dir}`);
  return files.map((f) => describeFile(config.dir, f));
}
