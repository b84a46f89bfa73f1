import { constantsFor } from "../../releases.js";
import type { Device } from "../device.js";
import type { AgentApi } from "./agent.js";
import { buildAgent } from "./agent.js";
import type { ImpApi } from "./imp.js";
import { buildImp } from "./imp.js";
import type { ServerApi } from "./server.js";
import { buildServer } from "./server.js";

/**
 * A device program's root table (R02, R35): the APIs and exactly the constants
 * its release knows. Typed loosely on constants: programs compare by name.
 */
export interface RootTable {
  server: ServerApi;
  imp: ImpApi;
  agent: AgentApi;
  nv: Record<string, unknown>;
  hardware: { millis: () => number; micros: () => number; getdeviceid: () => string };
  math: { rand: () => number };
  time: () => number;
  date: () => { time: number; usec: number };
  [constant: string]: unknown;
}

/**
 * The APIs are the root's own properties; the release's constants sit on a
 * frozen prototype shared by every device of that release (about 1.5 KB a
 * device less across a fleet). Reads, `in`, destructuring and for…in see them.
 */
export function buildRoot(device: Device): RootTable {
  const root = Object.create(constantsFor(device.release)) as RootTable;
  return Object.assign(root, {
    server: buildServer(device),
    imp: buildImp(device),
    agent: buildAgent(device),
    nv: device.nv,
    // Both wrap at 32 bits, as the imp's counters do (S2).
    hardware: {
      millis: () => Math.floor(device.clock.now()) | 0,
      micros: () => Math.floor(device.clock.now() * 1000) | 0,
      getdeviceid: () => device.model.id,
    },
    math: { rand: () => Math.floor(device.random() * 2 ** 31) },
    time: () => Math.floor(device.clock.now() / 1000),
    date: () => {
      const ms = device.clock.now();
      return { time: Math.floor(ms / 1000), usec: Math.floor((ms % 1000) * 1000) };
    },
  });
}
