import { ScenarioError } from "../errors.js";
import { FEATURES, has } from "../releases.js";
import { fromZod, issueLine } from "./issues.js";
import type { Issue, PathSegment } from "./issues.js";
import { DEVICE_STATE_FIELDS, DeviceStateSchema, WorldSchema } from "./schema.js";
import type { DeviceModel, WorldModel } from "./types.js";

/*
 * Event `set` paths (scenario.md): `world.<field…>` or
 * `devices.<id>.<wifi|proxy|cell|quirks>…`. A set is checked by applying it to
 * a copy and re-running the same schema the file went through, so a value is
 * valid in an event exactly when it would be valid in the file, and partial
 * objects get the file's defaults.
 */

export interface SetTarget {
  world: WorldModel;
  devices: DeviceModel[];
}

type Container = Record<string, unknown> | unknown[];

// Keys that would reach Object.prototype rather than a field.
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);
const INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Apply one already-validated `set` entry to the live model. World values are
 * written in place at the path (holders of `world.server` etc. see the change);
 * a device set replaces the device's whole `wifi`/`proxy`/`cell`/`quirks`
 * value, on every copy the id matches.
 */
export function applySet(target: SetTarget, path: string, value: unknown): void {
  const issues = trySet(target, path, value);
  if (issues.length > 0) throw new ScenarioError(`set ${path}`, issues.map((i) => issueLine({ ...i, path: ["set", path, ...i.path] })));
}

/**
 * Apply `path` = `value` to `target` if valid. Returns the problems, with paths
 * relative to the set entry, and changes nothing when there are any.
 */
export function trySet(target: SetTarget, path: string, value: unknown): Issue[] {
  const [root, ...keys] = path.split(".");
  if (root === "world") return setWorld(target.world, keys, value);
  if (root === "devices") return setDevices(target.devices, keys, value);
  return [unknownPath('a path starts with "world." or "devices."')];
}

function setWorld(world: WorldModel, rawKeys: string[], value: unknown): Issue[] {
  if (rawKeys.length === 0) return [unknownPath('name a field of the world, like "world.server.up"')];
  // Host names contain dots: everything after `dns.names.` is one key.
  const keys = rawKeys[0] === "dns" && rawKeys[1] === "names" && rawKeys.length > 3 ? ["dns", "names", rawKeys.slice(2).join(".")] : rawKeys;
  const copy = structuredClone(world) as unknown as Container;
  const placed = placeAt(copy, keys, value, "world");
  if (!Array.isArray(placed)) return [placed];
  const result = WorldSchema.safeParse(copy, { reportInput: true });
  if (!result.success) return relativeTo(placed, fromZod(result.error), "world");
  writeAt(world as unknown as Container, placed, readAt(result.data, placed));
  return [];
}

function setDevices(devices: DeviceModel[], allKeys: string[], value: unknown): Issue[] {
  // Ids may hold dots (`devices.gw.1.wifi`): the id runs up to the first field a set may change that leaves a known id before it.
  let split = 1;
  for (let i = 1; i < allKeys.length; i++) {
    const candidate = allKeys.slice(0, i).join(".");
    if ((DEVICE_STATE_FIELDS as readonly string[]).includes(allKeys[i]!) && devices.some((d) => d.id === candidate || d.baseId === candidate)) {
      split = i;
      break;
    }
  }
  const keys = [allKeys.slice(0, split).join("."), ...allKeys.slice(split)];
  const [id, field] = keys;
  if (id === undefined || id === "") return [unknownPath('name a device, like "devices.dev-a.wifi"')];
  const matches = devices.filter((d) => d.id === id || d.baseId === id);
  if (matches.length === 0) return [{ path: [], message: `unknown device "${id}"`, unknown: "device" }];
  if (field === undefined || !(DEVICE_STATE_FIELDS as readonly string[]).includes(field)) {
    return [unknownPath(`an event can set a device's ${DEVICE_STATE_FIELDS.join(", ")}`)];
  }
  // Check every copy before changing any, so a bad set leaves all of them alone.
  // Copies of a fleet mostly share one state: check each distinct state once.
  const outcomes = new Map<string, { next: unknown } | Issue[]>();
  const updates: { device: DeviceModel; next: unknown }[] = [];
  for (const device of matches) {
    const state = stateOf(device);
    const key = `${device.release} ${JSON.stringify(state)}`;
    let outcome = outcomes.get(key);
    if (outcome === undefined) {
      outcome = checkDeviceSet(device, state, keys.slice(1), value);
      outcomes.set(key, outcome);
    }
    if (Array.isArray(outcome)) return outcome;
    // Copies never share an object: programs and later sets change them one by one.
    updates.push({ device, next: updates.length === 0 ? outcome.next : structuredClone(outcome.next) });
  }
  for (const { device, next } of updates) {
    // null in a set means "nothing stored", like in the file.
    if (next === null || next === undefined) Reflect.deleteProperty(device, field);
    else Reflect.set(device, field, next);
  }
  return [];
}

/** The device's new value of the field `keys[0]`, or why the set does not apply to it. */
function checkDeviceSet(device: DeviceModel, state: Record<string, unknown>, keys: readonly string[], value: unknown): { next: unknown } | Issue[] {
  const label = `devices.${device.id}`;
  const copy = structuredClone(state) as Container;
  const placed = placeAt(copy, keys, value, label);
  if (!Array.isArray(placed)) return [placed];
  const result = DeviceStateSchema.safeParse(copy, { reportInput: true });
  if (!result.success) return relativeTo(placed, fromZod(result.error), label);
  if (result.data.proxy && !has(device.release, "proxy")) {
    return relativeTo(placed, [{ path: ["proxy"], message: proxyReleaseMessage(device.release) }], label);
  }
  return { next: (result.data as Record<string, unknown>)[keys[0] ?? ""] };
}

export function proxyReleaseMessage(release: number): string {
  return `a stored proxy needs release ${FEATURES.proxy} or newer (this device is ${release})`;
}

function stateOf(device: DeviceModel): Record<string, unknown> {
  const state: Record<string, unknown> = { cell: device.cell, quirks: device.quirks };
  if (device.wifi) state.wifi = device.wifi;
  if (device.proxy) state.proxy = device.proxy;
  return state;
}

function unknownPath(hint: string): Issue {
  return { path: [], message: `unknown path: ${hint}`, unknown: "field" };
}

/**
 * Put `value` at `keys` inside `root`, every step but the last having to exist.
 * Returns the path as schema issues spell it (numbers for list indices), or
 * the reason it does not exist.
 */
function placeAt(root: Container, keys: readonly string[], value: unknown, label: string): PathSegment[] | Issue {
  const path: PathSegment[] = [];
  let container: Container = root;
  for (const [i, key] of keys.entries()) {
    const where = [label, ...keys.slice(0, i + 1)].join(".");
    if (FORBIDDEN.has(key)) return unknownPath(`${where} does not exist`);
    const last = i === keys.length - 1;
    if (Array.isArray(container)) {
      const index = INDEX.test(key) ? Number(key) : -1;
      if (index < 0 || index >= container.length) return unknownPath(`${where} does not exist (the list has ${container.length} ${container.length === 1 ? "entry" : "entries"})`);
      path.push(index);
      if (last) container[index] = value;
      else {
        const next = container[index];
        if (!isContainer(next)) return unknownPath(`${where} is not an object or list`);
        container = next;
      }
    } else {
      path.push(key);
      if (last) container[key] = value; // a key the schema does not know is reported by it
      else {
        const next = Object.hasOwn(container, key) ? container[key] : undefined;
        if (!isContainer(next)) return unknownPath(next === undefined ? `${where} does not exist` : `${where} is not an object or list`);
        container = next;
      }
    }
  }
  return path;
}

function isContainer(value: unknown): value is Container {
  return typeof value === "object" && value !== null;
}

function readAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const key of path) node = isContainer(node) ? (node as Record<PathSegment, unknown>)[key] : undefined;
  return node;
}

function writeAt(root: Container, path: readonly PathSegment[], value: unknown): void {
  const parent = readAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (key !== undefined && isContainer(parent)) (parent as Record<PathSegment, unknown>)[key] = value;
}

/** Schema issues re-addressed relative to the set entry; a misspelt last key reads as an unknown path. */
function relativeTo(placed: readonly PathSegment[], issues: readonly Issue[], label: string): Issue[] {
  return issues.map((issue) => {
    const inside = placed.every((key, i) => issue.path[i] === key);
    if (!inside) return { path: [], message: `makes ${label}.${issue.path.join(".")} invalid: ${issue.message}` };
    const rest = issue.path.slice(placed.length);
    if (rest.length === 0 && issue.unknown === "field") return unknownPath(`${label}.${placed.join(".")} does not exist`);
    return { ...issue, path: rest };
  });
}
