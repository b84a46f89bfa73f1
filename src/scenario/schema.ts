import { DEVICE_ID_PATTERN } from "../wire/topics.js";
import { z } from "zod";
import type { InterfaceType } from "../constants.js";
import { RELEASES } from "../releases.js";
import { DURATION_HINT, InvalidDurationError, parseDuration } from "./duration.js";
import { DEFAULT_TIMINGS } from "./types.js";
import type { LayerTimings } from "./types.js";

/*
 * The scenario file as written (scenario.md), with every default that makes a
 * healthy world. Objects are strict so that a misspelt field is reported by
 * path instead of silently ignored. The output of WorldSchema is a WorldModel
 * and is itself valid input, which lets events re-validate a changed world.
 */

/** A duration field: a number of ms or a string like "2m30s"; parses to ms. */
export const DurationSchema = z
  .union([z.number(), z.string()], {
    error: (issue) => (issue.input === undefined ? "required" : DURATION_HINT),
  })
  .transform((value, ctx) => {
    try {
      return parseDuration(value);
    } catch (error) {
      if (!(error instanceof InvalidDurationError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message, input: value });
      return z.NEVER;
    }
  });

const port = z.int().min(1).max(65535);
/** The port an HTTP proxy listens on when none is given (Squid's). */
export const DEFAULT_PROXY_PORT = 3128;

export const AccessPointSchema = z.strictObject({
  ssid: z.string(),
  key: z.string().default(""), // "": an open network
  wps: z.boolean().default(false),
  dhcp: z.boolean().default(true),
});

export const WorldProxySchema = z.strictObject({
  host: z.string().min(1),
  port: port.default(DEFAULT_PROXY_PORT),
  up: z.boolean().default(true),
  user: z.string().optional(), // no user: the proxy asks for no credentials
  password: z.string().optional(),
});

export const DEFAULT_ACCESS_POINT = { ssid: "home", key: "secret", wps: false, dhcp: true } as const;

export const WorldSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).default("impnet.local"),
      up: z.boolean().default(true),
      failure: z.enum(["refuse", "blackhole"]).default("refuse"),
      accept: z.boolean().default(true),
    })
    .prefault({}),
  dns: z
    .strictObject({
      ok: z.boolean().default(true),
      failure: z.enum(["nxdomain", "timeout"]).default("nxdomain"),
      names: z.record(z.string().min(1), z.boolean()).default(() => ({})),
    })
    .prefault({}),
  wifi: z.array(AccessPointSchema).default(() => [{ ...DEFAULT_ACCESS_POINT }]),
  ethernet: z
    .strictObject({
      link: z.boolean().default(true),
      dhcp: z.boolean().default(true),
    })
    .prefault({}),
  cell: z
    .strictObject({
      registration: z.enum(["home", "roaming", "none", "denied"]).default("home"),
      ppp: z.boolean().default(true),
      internet: z.boolean().default(true),
    })
    .prefault({}),
  proxies: z.array(WorldProxySchema).default(() => []),
});

/** The network a device has stored; null in a file means "none stored". */
export const DeviceWifiSchema = z.strictObject({
  ssid: z.string(),
  key: z.string().default(""),
});

export const DeviceProxySchema = z.strictObject({
  host: z.string().min(1),
  port: port.default(DEFAULT_PROXY_PORT),
  user: z.string().optional(),
  password: z.string().optional(),
});

export const DeviceCellSchema = z.strictObject({
  modem: z.boolean().default(true),
  sim: z.enum(["ok", "missing", "error"]).default("ok"),
});

export const QuirksSchema = z.array(z.literal("sticky-no-server")).default(() => []);

/** One rule for a device id everywhere (the simulator, run, the registry, topics): 1-64 of A-Z a-z 0-9 . _ - */
export const DEVICE_ID = DEVICE_ID_PATTERN;
/** A guard against a typo like `count: 1e9` hanging the loader; fleets are far smaller. */
export const MAX_COUNT = 1_000_000;

/**
 * The part of a device that events may change (`devices.<id>.wifi`, …); the
 * rest is hardware or boot configuration.
 */
export const DeviceStateSchema = z.strictObject({
  wifi: DeviceWifiSchema.nullable().optional(),
  proxy: DeviceProxySchema.nullable().optional(),
  cell: DeviceCellSchema.prefault({}),
  quirks: QuirksSchema,
});
export const DEVICE_STATE_FIELDS = ["wifi", "proxy", "cell", "quirks"] as const;

export const DeviceSchema = z.strictObject({
  ...DeviceStateSchema.shape,
  id: z.string().regex(DEVICE_ID, { error: "expected 1-64 of A-Z a-z 0-9 . _ - (the same rule as impnet device add)" }),
  release: z.literal(RELEASES).default(42),
  interfaces: z
    .array(z.enum(["wifi", "ethernet", "cell"]))
    .min(1)
    .check((ctx) => {
      const seen = new Set<string>();
      ctx.value.forEach((name, index) => {
        if (seen.has(name)) ctx.issues.push({ code: "custom", message: `duplicate interface ${name}`, input: name, path: [index] });
        seen.add(name);
      });
    })
    .default((): InterfaceType[] => ["wifi"]),
  program: z.string().min(1),
  agent: z.string().min(1).optional(),
  count: z.int().min(1).max(MAX_COUNT).default(1),
});

export const EventSchema = z.strictObject({
  at: DurationSchema,
  set: z.record(z.string(), z.unknown()).refine((set) => Object.keys(set).length > 0, "expected at least one path"),
});

const timing = (key: keyof LayerTimings) => DurationSchema.default(DEFAULT_TIMINGS[key]);

export const TimingSchema = z.strictObject({
  wifiJoin: timing("wifiJoin"),
  wps: timing("wps"),
  link: timing("link"),
  dhcp: timing("dhcp"),
  dns: timing("dns"),
  proxy: timing("proxy"),
  tcp: timing("tcp"),
  tls: timing("tls"),
  session: timing("session"),
  modem: timing("modem"),
  sim: timing("sim"),
  registration: timing("registration"),
  ppp: timing("ppp"),
  internet: timing("internet"),
}) satisfies z.ZodType<LayerTimings>;

/**
 * A run's length: more than nothing, and at most a year of virtual time. A
 * year holds every schedule a device keeps; beyond it a typo (`1e15`) would
 * run for hours with nothing to show. [our choice]
 */
export const MAX_RUN_MS = 366 * 24 * 3_600_000;
const RunDurationSchema = DurationSchema.check((ctx) => {
  if (ctx.value <= 0) ctx.issues.push({ code: "custom", message: "a run must last more than 0 ms", input: ctx.value });
  else if (ctx.value > MAX_RUN_MS) ctx.issues.push({ code: "custom", message: `at most 366 days (${MAX_RUN_MS} ms) of virtual time (got ${ctx.value} ms)`, input: ctx.value });
});

export const ScenarioFileSchema = z.strictObject({
  duration: RunDurationSchema,
  seed: z.int().min(0).default(1),
  world: WorldSchema.prefault({}),
  devices: z.array(DeviceSchema).min(1),
  events: z.array(EventSchema).default(() => []),
  timing: TimingSchema.prefault({}),
  /** Folders #require looks in for Squirrel programs (squirrel.md S6), relative to the scenario. */
  libs: z.array(z.string().min(1)).default(() => []),
});

export type ScenarioFile = z.output<typeof ScenarioFileSchema>;
export type DeviceFile = z.output<typeof DeviceSchema>;
export type DeviceState = z.output<typeof DeviceStateSchema>;
export type EventFile = z.output<typeof EventSchema>;
