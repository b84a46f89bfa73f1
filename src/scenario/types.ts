import type { InterfaceType } from "../constants.js";
import type { Release } from "../releases.js";

/**
 * A scenario after validation and defaulting: every duration in ms, every
 * default filled in. This is what the simulator consumes; the file format
 * (scenario.md) is parsed into it by loadScenario().
 */
export interface Scenario {
  /** Absolute path of the scenario file, or a name for in-memory scenarios. */
  source: string;
  /** Directory program paths are resolved against. */
  baseDir: string;
  durationMs: number;
  seed: number;
  world: WorldModel;
  devices: DeviceModel[];
  events: WorldEvent[];
  timing: LayerTimings;
  /** Absolute library folders for Squirrel programs' #require (S6). */
  libs: string[];
}

export type ServerFailure = "refuse" | "blackhole";
export type DnsFailure = "nxdomain" | "timeout";

export interface WorldModel {
  server: { host: string; up: boolean; failure: ServerFailure; accept: boolean };
  dns: { ok: boolean; failure: DnsFailure; names: Record<string, boolean> };
  wifi: AccessPoint[];
  ethernet: { link: boolean; dhcp: boolean };
  cell: { registration: "home" | "roaming" | "none" | "denied"; ppp: boolean; internet: boolean };
  proxies: ProxyModel[];
}

export interface AccessPoint {
  ssid: string;
  key: string;
  wps: boolean;
  dhcp: boolean;
}

export interface ProxyModel {
  host: string;
  port: number;
  up: boolean;
  user?: string;
  password?: string;
}

export interface DeviceModel {
  /** Id of this copy: the file's id, or `<id>-<n>` when count > 1. */
  id: string;
  /** The id as written in the file (shared by all copies). */
  baseId: string;
  release: Release;
  interfaces: InterfaceType[];
  wifi?: { ssid: string; key: string };
  proxy?: { host: string; port: number; user?: string; password?: string };
  cell: { modem: boolean; sim: "ok" | "missing" | "error" };
  quirks: "sticky-no-server"[];
  /** Absolute path of the device program. */
  program: string;
  /** Absolute path of the agent program. */
  agent?: string;
}

export interface WorldEvent {
  atMs: number;
  /** Dotted path → new value, as written (`world.server.up`, `devices.dev-a.cell.sim`). */
  set: Record<string, unknown>;
}

export interface LayerTimings {
  wifiJoin: number;
  wps: number;
  link: number;
  dhcp: number;
  dns: number;
  proxy: number;
  tcp: number;
  tls: number;
  session: number;
  modem: number;
  sim: number;
  registration: number;
  ppp: number;
  internet: number;
}

/** scenario.md's layer-time table; wrong-key and denied failures have their own times. */
export const DEFAULT_TIMINGS: LayerTimings = {
  wifiJoin: 2000,
  wps: 20000,
  link: 50,
  dhcp: 1000,
  dns: 50,
  proxy: 20,
  tcp: 30,
  tls: 200,
  session: 100,
  modem: 1000,
  sim: 500,
  registration: 10000,
  ppp: 3000,
  internet: 1000,
};
