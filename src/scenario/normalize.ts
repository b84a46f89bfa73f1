import { resolve } from "node:path";
import { has } from "../releases.js";
import { proxyReleaseMessage, trySet } from "./apply-set.js";
import type { SetTarget } from "./apply-set.js";
import { prefixed } from "./issues.js";
import { programFileProblem } from "./load-program.js";
import type { Issue } from "./issues.js";
import { WorldSchema } from "./schema.js";
import type { DeviceFile, EventFile } from "./schema.js";
import type { DeviceModel, WorldEvent, WorldModel } from "./types.js";

/*
 * The checks a schema cannot make field by field (they relate fields to each
 * other or to the file system), and the step from the file's shape to the
 * model's. They run on whatever parts of the file parsed, so one bad device
 * does not hide the problems of another.
 */

export interface Indexed<T> {
  index: number;
  value: T;
}

/** The copies a device entry stands for, with its defaults resolved. */
export function expandDevice(device: DeviceFile, world: WorldModel | undefined, baseDir: string): DeviceModel[] {
  const firstAp = world?.wifi[0];
  // Left out, a WiFi device knows the first access point so the default world is healthy; null stores nothing.
  const wifi =
    device.wifi === null ? undefined : (device.wifi ?? (device.interfaces.includes("wifi") && firstAp ? { ssid: firstAp.ssid, key: firstAp.key } : undefined));
  const proxy = device.proxy ?? undefined;
  const program = resolve(baseDir, device.program);
  const agent = device.agent === undefined ? undefined : resolve(baseDir, device.agent);
  const out: DeviceModel[] = [];
  for (let n = 1; n <= device.count; n++) {
    // Each copy gets its own objects: events and programs change copies separately.
    const copy: DeviceModel = {
      id: device.count > 1 ? `${device.id}-${n}` : device.id,
      baseId: device.id,
      release: device.release,
      interfaces: [...device.interfaces],
      cell: { ...device.cell },
      quirks: [...device.quirks],
      program,
    };
    if (wifi) copy.wifi = { ...wifi };
    if (proxy) copy.proxy = { ...proxy };
    if (agent !== undefined) copy.agent = agent;
    out.push(copy);
  }
  return out;
}

export function checkDevices(devices: readonly Indexed<DeviceFile>[]): Issue[] {
  const issues: Issue[] = [];
  const owners = new Map<string, number>();
  for (const { index, value: device } of devices) {
    if (device.proxy && !has(device.release, "proxy")) issues.push({ path: ["devices", index, "proxy"], message: proxyReleaseMessage(device.release) });
    // A counted device's copies are `id-1` … `id-N`: the longest must still be an id.
    const longest = device.count > 1 ? `${device.id}-${device.count}` : device.id;
    if (longest.length > 64) issues.push({ path: ["devices", index, "id"], message: `with count ${device.count} the ids reach ${longest.length} characters: an id is at most 64` });
    const clash = claimNames(device, index, owners);
    if (clash !== undefined) issues.push({ path: ["devices", index, "id"], message: `"${clash.name}" is also the id of devices[${clash.owner}]` });
  }
  return issues;
}

/** Programs must exist; checked on the file as written so a device with other errors is still checked. */
export function checkDeviceFiles(rawDevices: unknown, baseDir: string): Issue[] {
  if (!Array.isArray(rawDevices)) return [];
  const issues: Issue[] = [];
  (rawDevices as unknown[]).forEach((device, index) => {
    if (typeof device !== "object" || device === null) return;
    for (const field of ["program", "agent"] as const) {
      const file = (device as Record<string, unknown>)[field];
      if (typeof file !== "string" || file === "") continue;
      const path = resolve(baseDir, file);
      const problem = programFileProblem(path);
      if (problem !== null) issues.push({ path: ["devices", index, field], message: `${problem}: ${path}` });
    }
  });
  return issues;
}

/** Ids must be unique after expansion, and so must the names events use (a counted device's base id). */
function claimNames(device: DeviceFile, index: number, owners: Map<string, number>): { name: string; owner: number } | undefined {
  let clash: { name: string; owner: number } | undefined;
  const claim = (name: string): void => {
    const owner = owners.get(name);
    if (owner === undefined) owners.set(name, index);
    else if (owner !== index) clash ??= { name, owner };
  };
  claim(device.id);
  if (device.count > 1) for (let n = 1; n <= device.count; n++) claim(`${device.id}-${n}`);
  return clash;
}

/** Events in time order; ties keep the file's order. */
export function toWorldEvents(events: readonly Indexed<EventFile>[]): (WorldEvent & { index: number })[] {
  return events.map(({ index, value }) => ({ index, atMs: value.at, set: { ...value.set } })).sort((a, b) => a.atMs - b.atMs);
}

export interface EventCheckInput {
  durationMs: number | undefined;
  world: WorldModel | undefined;
  devices: readonly DeviceModel[];
  /** False when some device entries did not parse: an unknown device id may be one of them. */
  allDevices: boolean;
}

/**
 * Every event must fall inside the run, and every set must apply: the sets are
 * played in time order on a copy of the model, as the simulator will play them.
 */
export function checkEvents(events: readonly (WorldEvent & { index: number })[], input: EventCheckInput): Issue[] {
  const issues: Issue[] = [];
  const target: SetTarget = {
    world: structuredClone(input.world ?? WorldSchema.parse({})),
    // Device sets replace whole fields, so shallow copies keep the real devices untouched.
    devices: input.devices.map((d) => ({ ...d })),
  };
  for (const event of events) {
    if (input.durationMs !== undefined && event.atMs > input.durationMs) {
      issues.push({ path: ["events", event.index, "at"], message: `${event.atMs} ms is after the end of the run (duration ${input.durationMs} ms)` });
    }
    for (const [path, value] of Object.entries(event.set)) {
      if (path.split(".")[0] === "world" && input.world === undefined) continue; // the world's own errors are reported
      const found = trySet(target, path, value).filter((i) => input.allDevices || i.unknown !== "device");
      issues.push(...prefixed(["events", event.index, "set", path], found));
    }
  }
  return issues;
}
