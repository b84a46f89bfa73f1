import * as C from "../../constants.js";
import type { InterfaceType } from "../../constants.js";
import type { DeviceModel, LayerTimings, WorldModel } from "../../scenario/types.js";
import type { LayerName } from "../layers.js";
import { LAYER_REASON } from "../layers.js";

export interface LayerResult {
  ok: boolean;
  /** How long the layer takes; Infinity when nothing answers (it then runs to the deadline). */
  ms: number;
  reason: number;
  detail?: string;
}

/** The attempt's settings, read when it starts, and what its earlier layers established. */
export interface AttemptContext {
  iface: InterfaceType;
  wifi: { ssid: string; key: string } | undefined;
  /** Proxies apply to WiFi and Ethernet only (R11). */
  proxy: DeviceModel["proxy"];
  /** Set by the wps layer; undefined, not absent, before it (the context is reused and keeps one shape). */
  wpsNetwork?: { ssid: string; key: string } | undefined;
}

const NO_ANSWER = Infinity;

/** Successes are immutable and few (one per layer time), so they are shared. */
const successes = new Map<number, LayerResult>();

function ok(ms: number): LayerResult {
  let r = successes.get(ms);
  if (r === undefined) {
    r = Object.freeze({ ok: true, ms, reason: C.SERVER_CONNECTED });
    successes.set(ms, r);
  }
  return r;
}

/**
 * Failures are shared too, by detail: an attempt keeps its layers' results
 * for seconds, and a fleet failing against one outage fails alike. Details
 * name scenario things (SSIDs, hosts), so the table stays small; the cap
 * bounds it for a process that runs many scenarios.
 */
const failures = new Map<string, LayerResult[]>();
const MAX_SHARED_FAILURES = 4096;

function fail(layer: LayerName, ms: number, detail: string, reason = LAYER_REASON[layer]): LayerResult {
  let same = failures.get(detail);
  if (same !== undefined) {
    for (const r of same) if (r.ms === ms && r.reason === reason) return r;
  } else if (failures.size < MAX_SHARED_FAILURES) {
    same = [];
    failures.set(detail, same);
  }
  const r: LayerResult = Object.freeze({ ok: false, ms, reason, detail });
  same?.push(r);
  return r;
}

/** Whether the simulated DNS answers for a name. */
export function resolves(world: WorldModel, host: string): boolean {
  return world.dns.names[host] ?? world.dns.ok;
}

/**
 * One layer against the world as it is when the layer starts (R10). Failure
 * times follow scenario.md's layer table.
 */
export function evaluateLayer(
  layer: LayerName,
  world: WorldModel,
  device: DeviceModel,
  t: LayerTimings,
  ctx: AttemptContext,
): LayerResult {
  switch (layer) {
    case "wps": {
      ctx.wpsNetwork = undefined;
      const ap = world.wifi.find((a) => a.wps);
      if (ap === undefined) return fail(layer, NO_ANSWER, "no WPS access point answered");
      ctx.wpsNetwork = { ssid: ap.ssid, key: ap.key };
      return ok(t.wps);
    }
    case "wifi": {
      const want = ctx.wpsNetwork ?? ctx.wifi;
      if (want === undefined) return fail(layer, t.wifiJoin, "no WiFi network configured");
      const ap = world.wifi.find((a) => a.ssid === want.ssid);
      if (ap === undefined) return fail(layer, NO_ANSWER, `no access point "${want.ssid}" in range`);
      if (ap.key !== want.key) return fail(layer, 2 * t.wifiJoin, `"${want.ssid}" rejected the key`);
      return ok(t.wifiJoin);
    }
    case "link":
      return world.ethernet.link ? ok(t.link) : fail(layer, t.link, "no carrier");
    case "ip": {
      const dhcp = ctx.iface === "wifi" ? wifiDhcp(world, ctx) : ctx.iface === "ethernet" ? world.ethernet.dhcp : true;
      return dhcp ? ok(t.dhcp) : fail(layer, NO_ANSWER, "no DHCP answer");
    }
    case "dns": {
      const host = ctx.proxy?.host ?? world.server.host;
      if (resolves(world, host)) return ok(t.dns);
      return world.dns.failure === "nxdomain"
        ? fail(layer, t.dns, `${host}: NXDOMAIN`)
        : fail(layer, NO_ANSWER, `${host}: no answer from DNS`);
    }
    case "proxy":
      return proxyLayer(world, ctx.proxy!, t);
    case "tcp":
      if (ctx.proxy !== undefined) return throughProxy(world, t);
      if (world.server.up) return ok(t.tcp);
      return world.server.failure === "refuse"
        ? fail(layer, t.tcp, "ECONNREFUSED")
        : fail(layer, NO_ANSWER, "no answer from the server (ETIMEDOUT)");
    case "tls":
      return ok(t.tls);
    case "session":
      return world.server.accept ? ok(t.session) : fail(layer, t.session, "the server refused the session (not authorised)");
    case "modem":
      return device.cell.modem ? ok(t.modem) : fail(layer, t.modem, "no modem detected");
    case "sim":
      return device.cell.sim === "ok" ? ok(t.sim) : fail(layer, t.sim, `SIM ${device.cell.sim}`);
    case "registration":
      switch (world.cell.registration) {
        case "home":
        case "roaming":
          return ok(t.registration);
        case "denied":
          return fail(layer, t.registration / 2, "registration denied", C.REGISTRATION_DENIED);
        case "none":
          return fail(layer, NO_ANSWER, "no cellular network found");
      }
      break;
    case "ppp":
      return world.cell.ppp ? ok(t.ppp) : fail(layer, t.ppp, "PPP negotiation failed");
    case "internet":
      return world.cell.internet ? ok(t.internet) : fail(layer, NO_ANSWER, "no traffic through PPP");
  }
  return fail(layer, NO_ANSWER, "unknown layer");
}

function wifiDhcp(world: WorldModel, ctx: AttemptContext): boolean {
  const ssid = (ctx.wpsNetwork ?? ctx.wifi)?.ssid;
  return world.wifi.find((a) => a.ssid === ssid)?.dhcp ?? false;
}

function proxyLayer(world: WorldModel, want: NonNullable<DeviceModel["proxy"]>, t: LayerTimings): LayerResult {
  const proxy = world.proxies.find((p) => p.host === want.host && p.port === want.port);
  if (proxy === undefined || !proxy.up) return fail("proxy", t.proxy, `${want.host}:${want.port}: ECONNREFUSED`);
  if (proxy.user !== undefined) {
    // tinyproxy's answers: 407 without credentials, 401 with wrong ones.
    if (want.user === undefined) return fail("proxy", t.proxy, "HTTP 407 Proxy Authentication Required", C.NOT_AUTHORISED);
    if (want.user !== proxy.user || (want.password ?? "") !== (proxy.password ?? ""))
      return fail("proxy", t.proxy, "HTTP 401 Unauthorized", C.NOT_AUTHORISED);
  }
  return ok(t.proxy);
}

function throughProxy(world: WorldModel, t: LayerTimings): LayerResult {
  if (!resolves(world, world.server.host)) return fail("tcp", t.tcp, "proxy answered HTTP 502 (server name did not resolve)");
  if (world.server.up) return ok(t.tcp);
  return world.server.failure === "refuse"
    ? fail("tcp", t.tcp, "proxy answered HTTP 500 (server refused)")
    : fail("tcp", NO_ANSWER, "proxy: no answer from the server");
}
