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
  hardware: { millis: () => number };
  math: { rand: () => number };
  time: () => number;
  date: () => { time: number; usec: number };
  [constant: string]: unknown;
}

export function buildRoot(device: Device): RootTable {
  // Same properties in the same order for every device of a release, so a fleet's
  // root tables share one hidden class.
  const root: RootTable = {
    server: buildServer(device),
    imp: buildImp(device),
    agent: buildAgent(device),
    nv: device.nv,
    hardware: { millis: () => Math.floor(device.clock.now()) },
    math: { rand: () => Math.floor(device.random() * 2 ** 31) },
    time: () => Math.floor(device.clock.now() / 1000),
    date: () => {
      const ms = device.clock.now();
      return { time: Math.floor(ms / 1000), usec: Math.floor((ms % 1000) * 1000) };
    },
  };
  return Object.assign(root, constantsFor(device.release));
}
