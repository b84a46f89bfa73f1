import { checkFleetFits } from "./fleet-memory.js";
import { isSquirrel } from "./load-program.js";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument, visit } from "yaml";
import { ScenarioError } from "../errors.js";
import { fromZod, issueLine } from "./issues.js";
import type { Issue } from "./issues.js";
import { checkDeviceFiles, checkDevices, checkEvents, expandDevice, toWorldEvents } from "./normalize.js";
import type { Indexed } from "./normalize.js";
import { DeviceSchema, DurationSchema, EventSchema, ScenarioFileSchema, WorldSchema } from "./schema.js";
import type { DeviceFile, EventFile, ScenarioFile } from "./schema.js";
import type { Scenario, WorldModel } from "./types.js";

export interface LoadOptions {
  /** Overrides the file's `seed`. */
  seed?: number;
  /** Overrides the `count` of the scenario's one device entry (impnet fleet --devices). */
  count?: number;
}

/** Read and validate a scenario file (YAML, or JSON, which is YAML). Throws ScenarioError listing every bad field. */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<Scenario> {
  const source = resolve(file);
  let text: string;
  try {
    text = await readFile(source, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : `cannot read: ${(error as Error).message}`;
    throw new ScenarioError(source, [reason]);
  }
  return parseScenario(parseYaml(text, source), source, dirname(source), options);
}

/** What a scenario file may be: far beyond any real one, well within what the YAML parser survives. */
const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;
const MAX_FLOW_DEPTH = 100;

function parseYaml(text: string, source: string): unknown {
  const lines = new LineCounter();
  if (text.length > MAX_SCENARIO_BYTES) throw new ScenarioError(source, [`the file is ${text.length} bytes: a scenario is at most ${MAX_SCENARIO_BYTES}`]);
  // yaml recurses per nested [ or {: a few hundred levels exhaust the stack, and then V8's memory (a fatal abort, not an error).
  const deep = flowTooDeep(text);
  if (deep !== null) {
    const at = lineAndColumn(text, deep);
    throw new ScenarioError(source, [`line ${at.line}, column ${at.col}: [ and { nested more than ${MAX_FLOW_DEPTH} levels deep`]);
  }
  // prettyErrors would append a multi-line excerpt; an issue is one line.
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      source,
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return `line ${line}, column ${col}: ${e.message}`;
      }),
    );
  }
  try {
    return doc.toJS();
  } catch (error) {
    // An alias that cannot be resolved or expands too much: the yaml error has no position, its first alias has.
    let where = "";
    visit(doc, {
      Alias(_key, node) {
        if (node.range === undefined || node.range === null) return undefined;
        const { line, col } = lines.linePos(node.range[0]);
        where = `line ${line}, column ${col}: `;
        return visit.BREAK;
      },
    });
    throw new ScenarioError(source, [`${where}${(error as Error).message}`]);
  }
}

/**
 * The offset where [ and { first nest deeper than MAX_FLOW_DEPTH, or null.
 * Quotes and comments are not skipped: an apostrophe in plain text would
 * otherwise hide what follows; no real scenario holds 100 open brackets.
 */
function flowTooDeep(text: string): number | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "[" || c === "{") {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  return null;
}

function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, col: offset - before.lastIndexOf("\n") };
}

/** Validate an in-memory scenario; `source` names it in errors, program paths resolve against `baseDir`. */
export function parseScenario(raw: unknown, source: string, baseDir: string, options: LoadOptions = {}): Scenario {
  const issues: Issue[] = [];
  const result = ScenarioFileSchema.safeParse(raw, { reportInput: true });
  if (!result.success) issues.push(...fromZod(result.error));
  const parts = result.success ? whole(result.data) : salvage(raw);
  if (options.count !== undefined) {
    if (!(Number.isSafeInteger(options.count) && options.count > 0)) issues.push({ path: ["devices"], message: `the device count must be a positive integer, got ${options.count}` });
    else if (parts.devices.length !== 1) issues.push({ path: ["devices"], message: `a device count applies to a scenario with one device entry; this one has ${parts.devices.length}` });
    else parts.devices[0]!.value.count = options.count;
  }

  issues.push(...checkDevices(parts.devices));
  issues.push(...checkDeviceFiles(typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>).devices : undefined, baseDir));
  // Before a million copies are made: a fleet this process cannot hold is refused with what it needs.
  checkFleetFits(
    parts.devices.reduce((n, { value }) => n + value.count, 0),
    parts.devices.reduce((n, { value }) => n + (isSquirrel(value.program) ? value.count : 0), 0),
  );
  const devices = parts.devices.flatMap(({ value }) => expandDevice(value, parts.world, baseDir));
  const events = toWorldEvents(parts.events);
  issues.push(...checkEvents(events, { durationMs: parts.durationMs, world: parts.world, devices, allDevices: parts.allDevices }));
  const seed = options.seed ?? result.data?.seed;
  if (options.seed !== undefined && !(Number.isSafeInteger(options.seed) && options.seed >= 0)) {
    issues.push({ path: ["seed"], message: `the seed option must be a non-negative integer, got ${options.seed}` });
  }

  if (!result.success || issues.length > 0 || seed === undefined) throw new ScenarioError(source, issues.map(issueLine));
  const file = result.data;
  return {
    source,
    baseDir,
    durationMs: file.duration,
    seed,
    world: file.world,
    devices,
    events: events.map(({ atMs, set }) => ({ atMs, set })),
    timing: file.timing,
    libs: file.libs.map((dir) => resolve(baseDir, dir)),
  };
}

interface Parts {
  durationMs: number | undefined;
  world: WorldModel | undefined;
  devices: Indexed<DeviceFile>[];
  events: Indexed<EventFile>[];
  allDevices: boolean;
}

function whole(file: ScenarioFile): Parts {
  return {
    durationMs: file.duration,
    world: file.world,
    devices: file.devices.map((value, index) => ({ index, value })),
    events: file.events.map((value, index) => ({ index, value })),
    allDevices: true,
  };
}

/** The parts of an invalid file that are valid on their own, so their checks still run. */
function salvage(raw: unknown): Parts {
  const file: Record<string, unknown> = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const each = <T>(list: unknown, parse: (item: unknown) => { success: true; data: T } | { success: false }): { ok: Indexed<T>[]; all: boolean } => {
    const items = Array.isArray(list) ? (list as unknown[]) : [];
    const ok: Indexed<T>[] = [];
    items.forEach((item, index) => {
      const r = parse(item);
      if (r.success) ok.push({ index, value: r.data });
    });
    return { ok, all: Array.isArray(list) && ok.length === items.length };
  };
  const devices = each(file.devices, (d) => DeviceSchema.safeParse(d));
  const world = WorldSchema.safeParse(file.world ?? {});
  const duration = DurationSchema.safeParse(file.duration);
  return {
    durationMs: duration.success ? duration.data : undefined,
    world: world.success ? world.data : undefined,
    devices: devices.ok,
    events: each(file.events, (e) => EventSchema.safeParse(e)).ok,
    allDevices: devices.all,
  };
}
