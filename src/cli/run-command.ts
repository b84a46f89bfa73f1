import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { RealClock } from "../clock/real-clock.js";
import * as C from "../constants.js";
import type { InterfaceType } from "../constants.js";
import { defaultInterface } from "../network/host/default-interface.js";
import { ElapsedClock } from "../network/host/elapsed-clock.js";
import { parseProxyUrl, parseServerUrl } from "../network/host/endpoints.js";
import { mmcliPath } from "../network/host/modem-state.js";
import { isWireless, iwPath } from "../network/host/wifi-state.js";
import type { HostLinkOptions } from "../network/host/host-link.js";
import { NEWEST_RELEASE, RELEASES, isRelease } from "../releases.js";
import type { DeviceModel } from "../scenario/types.js";
import { badIdReason, DEVICE_ID_PATTERN } from "../wire/topics.js";
import { StreamSink, TeeSink } from "../timeline/sinks.js";
import type { TimelineEvent, TimelineSink } from "../timeline/events.js";
import { startRealDevice } from "../programs/real-device.js";
import type { RealTarget } from "../programs/real-device.js";
import { CliInputError } from "./cli-errors.js";
import { wantsColor } from "./color.js";
import { loadAgentProgram, loadDeviceProgram } from "../scenario/load-program.js";
import type { RealIo } from "./real-io.js";
import { untilStopped } from "./real-io.js";

export interface RunOptions extends RealTargetOptions {
  id: string;
  agent?: string;
  libs?: string[];
  /** --var NAME=VALUE (commander names the option `var`). */
  var?: Record<string, string>;
  json?: boolean;
  /** Stop after this many ms (default: run until SIGINT/SIGTERM). */
  forMs?: number;
  /** End at the first connection; a run that ends without one exits 1, saying why. */
  untilConnected?: boolean;
}

const IDS: Readonly<Record<string, InterfaceType>> = { eth0: "ethernet", wl0: "wifi", cell0: "cell" };

/**
 * `impnet run PROGRAM`: one device program on the host stack with the real
 * clock, printing the same timeline as `impnet sim`. Every input is checked
 * before anything starts.
 */
export async function runCommand(file: string, options: RunOptions, io: RealIo): Promise<number> {
  const env = io.env ?? process.env;
  const target = realTarget(options, env, path.resolve(file), warner(io));
  const libs = (options.libs ?? []).map((d) => path.resolve(d));
  const load = { libs, ...(options.var === undefined ? {} : { vars: options.var }) };
  const program = await loadDeviceProgram(target.model.program, load);
  const agent = options.agent === undefined ? undefined : await loadAgentProgram(path.resolve(options.agent), load);

  const clock = new ElapsedClock(new RealClock());
  const sink = new StreamSink(io.stdout, options.json === true ? "json" : "human", { color: options.json !== true && wantsColor(io), deviceWidth: Math.min(24, Math.max(8, target.model.id.length)) });
  // What a script needs to know: did the device get online, and if not, why not.
  let lastAttempt: Extract<TimelineEvent, { type: "attempt" }> | undefined;
  let connected = false;
  let ending = false; // the attempt the end of the run cuts short is not why it never connected
  let onConnected: () => void = () => {};
  const connectedOnce = new Promise<void>((resolve) => (onConnected = resolve));
  const watch: TimelineSink = {
    write: (e) => {
      if (e.type === "attempt" && !ending) lastAttempt = e;
      else if (e.type === "connected") {
        connected = true;
        onConnected();
      }
    },
  };
  const running = await startRealDevice(target, program, agent === undefined ? undefined : { entry: agent, credentials: serviceCredentials(env) }, clock, new TeeSink(sink, watch));
  const ends: Promise<void>[] = [new Promise<void>((resolve) => sink.onReaderGone(resolve))]; // a reader that has gone (`| head -1`) ends it as Ctrl-C would
  if (options.forMs !== undefined) ends.push(new Promise<void>((resolve) => clock.setTimer(options.forMs!, resolve)));
  if (options.untilConnected === true) ends.push(connectedOnce);
  await untilStopped(io, Promise.race(ends));
  ending = true;
  await running.stop();
  clock.dispose(); // the program's own timers would keep the process alive
  if (sink.error !== undefined) return 1;
  if (options.untilConnected === true && !connected) {
    const why = lastAttempt === undefined ? "no attempt ended" : `the last attempt: ${lastAttempt.reasonName}${lastAttempt.layer === undefined ? "" : ` at ${lastAttempt.layer}`}${lastAttempt.detail === undefined ? "" : ` (${lastAttempt.detail})`}`;
    io.stderr.write(`impnet run: never connected; ${why}\n`);
    return 1;
  }
  return 0;
}

/** Where a device on the host stack connects, and as whom: what `impnet run` and `impnet test --server` take. */
export interface RealTargetOptions {
  server: string;
  /** Absent only where credentials are optional (doctor): the session is then tried without them. */
  id?: string;
  proxy?: string;
  secretFile?: string;
  proxyPasswordFile?: string;
  ca?: string;
  interface?: string[];
  release?: string;
  /** --turn-limit, ms. */
  turnLimit?: number;
  /** false with --no-reports. */
  reports?: boolean;
}

/**
 * Checks every input of a host-stack device before anything starts (one clear
 * line each, exit 2). Without an id (doctor), the device has a throwaway one
 * and no secret: its CONNECT carries no credentials.
 */
export function realTarget(options: RealTargetOptions, env: NodeJS.ProcessEnv, program: string, warn: (text: string) => void = () => {}): RealTarget {
  const server = parseServerUrl(options.server, "--server");
  const anonymous = options.id === undefined;
  const id = options.id ?? `impnet-doctor-${randomBytes(4).toString("hex")}`;
  if (!DEVICE_ID_PATTERN.test(id)) throw new CliInputError(`--id: not a device id: ${badIdReason(id)}`);
  const secret = anonymous ? "" : secretFrom(env.IMPNET_DEVICE_SECRET, options.secretFile, "device secret", "IMPNET_DEVICE_SECRET", "--secret-file");
  if (id === secret) throw new CliInputError("--id: that is the device's secret, not its id (the command line is visible to every user: rotate the secret)");
  const release = options.release === undefined ? NEWEST_RELEASE : Number(options.release);
  if (!isRelease(release)) throw new CliInputError(`--release: not a release impnet knows (${options.release ?? ""}): one of ${RELEASES.join(", ")}`);
  const interfaces = interfaceMap(options.interface ?? [], server.host);
  const model: DeviceModel = {
    id,
    baseId: id,
    release,
    interfaces: C.DEFAULT_SEQUENCE.filter((t) => interfaces[t] !== undefined),
    // The simulator's modem and SIM; on the host stack cell0's layers read ModemManager instead, and this is never consulted.
    cell: { modem: false, sim: "missing" },
    quirks: [],
    program,
  };
  if (options.proxy !== undefined) {
    const proxy = parseProxyUrl(options.proxy, "--proxy");
    const password = secretFrom(env.IMPNET_PROXY_PASSWORD, options.proxyPasswordFile, "proxy password", "IMPNET_PROXY_PASSWORD", "--proxy-password-file", true);
    if (proxy.user !== undefined && password === undefined)
      warn(`--proxy names the user ${proxy.user} but no password was given (IMPNET_PROXY_PASSWORD or --proxy-password-file): the proxy gets an empty one`);
    model.proxy = { ...proxy, ...(password === undefined ? {} : { password }) };
  }
  const linkOptions: HostLinkOptions = { server, secret, interfaces, ...(options.reports === false ? { reports: false } : {}) };
  if (interfaces.wifi !== undefined && isWireless(interfaces.wifi)) {
    const iw = iwPath();
    if (iw === undefined) throw new CliInputError(`--interface wl0=${interfaces.wifi}: impnet reads the network a wireless interface is associated with through iw, which is not installed (apt-get install iw)`);
    linkOptions.iw = iw;
  }
  if (interfaces.cell !== undefined) {
    const mmcli = mmcliPath();
    if (mmcli === undefined)
      throw new CliInputError(`--interface cell0=${interfaces.cell}: impnet reads the modem, SIM and registration from ModemManager, whose mmcli is not installed (apt-get install modemmanager)`);
    linkOptions.mmcli = mmcli;
  }
  if (options.ca !== undefined) {
    const ca = readInput(options.ca, "--ca: certificate");
    // Without one, TLS would silently fall back to no extra CA and fail later, far from the cause.
    if (!ca.toString("latin1").includes("-----BEGIN CERTIFICATE-----")) throw new CliInputError(`--ca: ${options.ca} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    linkOptions.ca = ca;
  }
  return { serverUrl: options.server, model, linkOptions, ...(options.turnLimit === undefined ? {} : { turnLimitMs: options.turnLimit }) };
}

/** Warnings on stderr, one line each: the command goes on. */
export function warner(io: RealIo): (text: string) => void {
  return (text) => void io.stderr.write(`impnet: warning: ${text}\n`);
}

/** The agent host's service user, from IMPNET_SERVICE_USER (default `agents`) and IMPNET_SERVICE_SECRET. */
export function serviceCredentials(env: NodeJS.ProcessEnv): { user: string; secret: string } {
  return { user: env.IMPNET_SERVICE_USER ?? "agents", secret: secretFrom(env.IMPNET_SERVICE_SECRET, undefined, "service secret for the agent host", "IMPNET_SERVICE_SECRET", "") };
}

function interfaceMap(pairs: string[], serverHost: string): Partial<Record<InterfaceType, string>> {
  const map: Partial<Record<InterfaceType, string>> = {};
  for (const pair of pairs) {
    const m = /^(eth0|wl0|cell0)=([A-Za-z0-9_.:@-]{1,15})$/.exec(pair);
    if (m === null) throw new CliInputError(`--interface: expected eth0=IF, wl0=IF or cell0=IF (got "${pair}")`);
    map[IDS[m[1]!]!] = m[2]!;
  }
  if (pairs.length === 0) map.ethernet = defaultInterface(serverHost);
  return map;
}

function secretFrom(fromEnv: string | undefined, file: string | undefined, what: string, envName: string, fileOption: string, optional?: false): string;
function secretFrom(fromEnv: string | undefined, file: string | undefined, what: string, envName: string, fileOption: string, optional: true): string | undefined;
function secretFrom(fromEnv: string | undefined, file: string | undefined, what: string, envName: string, fileOption: string, optional = false): string | undefined {
  if (file !== undefined) return readInput(file, `${fileOption}`).toString("utf8").trim();
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (optional) return undefined;
  throw new CliInputError(`no ${what}: set ${envName}${fileOption === "" ? "" : ` or use ${fileOption} FILE`} (never on the command line)`);
}

function readInput(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliInputError(`${what} ${file}: ${code === "ENOENT" ? "no such file" : `cannot read it (${code ?? "error"})`}`);
  }
}
