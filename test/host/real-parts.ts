// Real parts for the host-stack tests: mosquitto and tinyproxy (Debian
// packages, started here with our own configurations on free loopback ports),
// the embedded cloud, a tiny DNS server, a throwaway CA. No mocks.
//
// Every part and temp dir is registered for cleanup the moment it exists, so a
// failure part-way through a setup leaks nothing: each test file that imports
// this module stops what is left (and removes its temp dirs) after its last
// test, and a process 'exit' hook kills what is left after that. (A worker
// thread that vitest terminates gets no 'exit' event; the per-file cleanup is
// what counts there. Ctrl-C in a terminal reaches the children directly, as
// they share the foreground process group.)
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { RealClock } from "../../src/clock/real-clock.js";
import { accepts, stopChild } from "../../src/fleet/child-process.js";

const clock = new RealClock();

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}

// ---- cleanup registry ----

type Stop = () => Promise<void>;

interface Registry {
  /** Cleanups still to run, in the order they were registered. */
  stops: Set<Stop>;
  /** Children still running: what the 'exit' hook kills. */
  children: Set<ChildProcess>;
  dirs: Set<string>;
  /** How many ports this worker has handed out (see freePort). */
  portsHanded: number;
}

// One registry per worker (module instances are per test file; one 'exit' hook in all).
const REGISTRY = Symbol.for("impnet.test.real-parts");
const store = globalThis as { [REGISTRY]?: Registry };
const registry: Registry = store[REGISTRY] ?? createRegistry();

function createRegistry(): Registry {
  const r: Registry = { stops: new Set(), children: new Set(), dirs: new Set(), portsHanded: 0 };
  store[REGISTRY] = r;
  process.on("exit", () => {
    for (const child of r.children) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    for (const dir of r.dirs) rmSync(dir, { recursive: true, force: true });
  });
  return r;
}

/**
 * Registers a cleanup now; returns the function that runs it, at most once
 * (calling it also takes it out of the registry).
 */
export function onCleanup(fn: () => Promise<void> | void): Stop {
  let done: Promise<void> | undefined;
  const stop: Stop = () => {
    registry.stops.delete(stop);
    return (done ??= Promise.resolve().then(fn));
  };
  registry.stops.add(stop);
  return stop;
}

/** Runs every cleanup still registered, newest first, then removes the temp dirs. Rethrows the first failure once all ran. */
export async function stopAll(): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of [...registry.stops].reverse()) {
    try {
      await stop();
    } catch (e) {
      failures.push(e);
    }
  }
  for (const dir of registry.dirs) rmSync(dir, { recursive: true, force: true });
  registry.dirs.clear();
  if (failures.length > 0) throw failures[0];
}

// Under vitest, each test file stops its parts after its last test; the benches
// (bench/real-stack.ts) import these helpers too, and stop their parts themselves.
if (process.env.VITEST !== undefined) afterAll(stopAll);

/** A fresh temp dir, removed after the test file (or at exit). */
export function tempDir(prefix = "impnet-test-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  registry.dirs.add(dir);
  return dir;
}

// ---- ports ----

const SLICE = 50;
const SLICE_BASE = 10_000;

/**
 * This worker's own ports: a slice chosen by VITEST_POOL_ID (distinct among
 * the workers of one run) below the OS's ephemeral range, where neither
 * listen(0) nor an outgoing connection ever lands. So no other worker's
 * mosquitto, tinyproxy or silent server can take a port this worker expects
 * to be closed. Residual risk: two vitest runs at once on one machine, or an
 * unrelated program binding the port between our probe and its use.
 */
function portSlice(): number | null {
  let ephemeralLow = 32768;
  try {
    ephemeralLow = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
  } catch {
    // not Linux: assume the usual range
  }
  const slices = Math.floor((ephemeralLow - SLICE_BASE) / SLICE);
  if (!(slices >= 1)) return null;
  const worker = Number(process.env.VITEST_POOL_ID ?? "1");
  return SLICE_BASE + ((Number.isInteger(worker) ? worker : 1) % slices) * SLICE;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port nothing listens on, for a part to bind or for a test to
 * find closed (ECONNREFUSED): from this worker's own slice (see portSlice),
 * probed free now.
 */
export async function freePort(): Promise<number> {
  const first = portSlice();
  if (first !== null) {
    for (let i = 0; i < SLICE; i++) {
      const port = first + (registry.portsHanded++ % SLICE);
      if (await canBind(port)) return port;
    }
  }
  // No slice (or all of it taken): whatever the OS gives, with the old race.
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Fails with the Debian package to install when a binary is missing: CI installs them; no silent skip. */
export function requireBinary(name: string, pkg: string): string {
  for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]) {
    const file = path.join(dir, name);
    try {
      execFileSync("test", ["-x", file]);
      return file;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} not found: install the Debian package "${pkg}" (apt-get install ${pkg}; .ci/run does)`);
}

async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  let failed: Error | undefined;
  child.once("error", (e) => (failed = e));
  for (let i = 0; i < 200; i++) {
    if (failed !== undefined) throw new Error(`${what} did not start: ${failed.message}`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited with ${child.exitCode ?? child.signalCode}`);
    if (await accepts(port)) return;
    await sleep(25);
  }
  throw new Error(`${what} did not listen on ${port}`);
}

export interface Running {
  port: number;
  /** Runs once, however often called; real-parts runs it after the test file if the test did not. */
  readonly stop: () => Promise<void>;
}

/** Stops a child (SIGTERM, then SIGKILL) and forgets it. */
async function stopChildPart(child: ChildProcess): Promise<void> {
  try {
    await stopChild(child, clock);
  } finally {
    registry.children.delete(child);
  }
}

/** Spawns a part's process, registered for cleanup before anything can fail. */
function spawnPart(bin: string, args: string[]): { child: ChildProcess; stop: Stop } {
  const child = spawn(bin, args, { stdio: "ignore" });
  child.on("error", () => {}); // a failed spawn is reported by waitForPort
  registry.children.add(child);
  return { child, stop: onCleanup(() => stopChildPart(child)) };
}

/** A running mosquitto that can be stopped and started again on the same port (its persistent sessions kept, with `persistence`). */
export interface RunningMosquitto extends Running {
  /** After stop() (SIGTERM: mosquitto saves its sessions): the same broker again. */
  start(): Promise<void>;
  /** The running broker's process id (benches read its memory). */
  readonly pid: number | undefined;
}

export interface MosquittoOptions {
  /** Keep sessions and queued messages across restarts. */
  persistence?: boolean;
  /**
   * TCP_NODELAY on its sockets (off by default in mosquitto 2.0): without it,
   * Nagle's algorithm meets the peer's delayed ACK and a busy connection's
   * small publishes wait up to 40 ms. For latency figures.
   */
  noDelay?: boolean;
}

/**
 * A mosquitto configuration (written to a private temp dir, returned as its
 * path) with a password file for `users` and the impnet topic ACL patterns,
 * listening on the loopback `port`; `persistence` keeps sessions and queued
 * messages across restarts.
 */
export function mosquittoConfig(users: Record<string, string>, port: number, options: MosquittoOptions = {}): string {
  const passwd = requireBinary("mosquitto_passwd", "mosquitto");
  const dir = tempDir("impnet-mosquitto-");
  const pwFile = path.join(dir, "passwd");
  // user:password lines, hashed in place in one run (one process per user is slow for a fleet).
  writeFileSync(pwFile, Object.entries(users).map(([user, password]) => `${user}:${password}\n`).join(""));
  execFileSync(passwd, ["-U", pwFile]);
  const aclFile = path.join(dir, "acl");
  writeFileSync(
    aclFile,
    [
      "pattern write impnet/+/%u/log",
      "pattern write impnet/+/%u/msg",
      "pattern write impnet/+/%u/status",
      "pattern write impnet/+/%u/diag",
      "pattern read impnet/+/%u/cmd",
      "user agents",
      "topic read impnet/#",
      "topic write impnet/+/+/cmd",
      "",
    ].join("\n"),
  );
  const conf = path.join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      // As root, mosquitto would switch to its own user, who cannot read this private temp dir.
      ...(process.getuid?.() === 0 ? ["user root"] : []),
      "allow_anonymous false",
      `password_file ${pwFile}`,
      `acl_file ${aclFile}`,
      ...(options.persistence === true ? ["persistence true", `persistence_location ${dir}/`, "max_queued_messages 100000"] : ["persistence false"]),
      ...(options.noDelay === true ? ["set_tcp_nodelay true"] : []),
      "log_dest none",
      "",
    ].join("\n"),
  );
  return conf;
}

/** mosquitto with a password file and the impnet topic ACL patterns (mosquittoConfig), started on a free port. */
export async function startMosquitto(users: Record<string, string>, options: MosquittoOptions = {}): Promise<RunningMosquitto> {
  const bin = requireBinary("mosquitto", "mosquitto");
  const port = await freePort();
  const conf = mosquittoConfig(users, port, options);
  let part = spawnPart(bin, ["-c", conf]);
  await waitForPort(port, part.child, "mosquitto");
  return {
    port,
    get pid() {
      return part.child.pid;
    },
    stop: () => part.stop(),
    start: async () => {
      part = spawnPart(bin, ["-c", conf]);
      await waitForPort(port, part.child, "mosquitto");
    },
  };
}

/** tinyproxy with BasicAuth on loopback; `extra` config lines (e.g. `Allow 10.0.0.1`, which denies loopback clients with 403). */
export async function startTinyproxy(user: string, password: string, extra: string[] = []): Promise<Running> {
  const bin = requireBinary("tinyproxy", "tinyproxy");
  const dir = tempDir("impnet-tinyproxy-");
  const port = await freePort();
  const conf = path.join(dir, "tinyproxy.conf");
  writeFileSync(conf, [`Port ${port}`, "Listen 127.0.0.1", "Timeout 5", "MaxClients 50", `BasicAuth ${user} ${password}`, "LogLevel Critical", ...extra, ""].join("\n"));
  const { child, stop } = spawnPart(bin, ["-d", "-c", conf]);
  await waitForPort(port, child, "tinyproxy");
  return { port, stop };
}

/** A TCP server that accepts and never says a word: the server that never answers. */
export async function startSilentServer(): Promise<Running> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
  });
  const stop = onCleanup(async () => {
    for (const s of sockets) s.destroy();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, stop };
}

/**
 * A minimal DNS server over UDP: names in `answers` get an A record, every
 * other name NXDOMAIN; names in `silent` get no answer at all.
 */
export async function startDns(answers: Record<string, string>, silent: string[] = []): Promise<Running> {
  const socket = createSocket("udp4");
  socket.on("message", (query, peer) => {
    let at = 12;
    const labels: string[] = [];
    while (at < query.length && query[at] !== 0) {
      const len = query[at]!;
      labels.push(query.subarray(at + 1, at + 1 + len).toString("latin1"));
      at += len + 1;
    }
    const name = labels.join(".").toLowerCase();
    if (silent.includes(name)) return;
    const question = query.subarray(12, at + 5);
    const address = answers[name];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(address === undefined ? 0x8183 : 0x8180, 2); // response, RD+RA; rcode 3 = NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(address === undefined ? 0 : 1, 6);
    const parts = [header, question];
    if (address !== undefined) {
      const answer = Buffer.alloc(16);
      answer.writeUInt16BE(0xc00c, 0);
      answer.writeUInt16BE(1, 2);
      answer.writeUInt16BE(1, 4);
      answer.writeUInt32BE(5, 6);
      answer.writeUInt16BE(4, 10);
      address.split(".").forEach((octet, i) => answer.writeUInt8(Number(octet), 12 + i));
      parts.push(answer);
    }
    socket.send(Buffer.concat(parts), peer.port, peer.address);
  });
  const stop = onCleanup(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, stop };
}

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost (and any other DNS names given), made by openssl. */
export function makeCertificates(dir: string, names: { dns?: string[] } = {}): { caFile: string; certFile: string; keyFile: string; otherCaFile: string } {
  const openssl = requireBinary("openssl", "openssl");
  const f = (name: string) => path.join(dir, name);
  const run = (...args: string[]) => execFileSync(openssl, args, { stdio: "ignore" });
  for (const ca of ["ca", "other-ca"]) {
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f(`${ca}.key`), "-out", f(`${ca}.pem`), "-days", "2", "-subj", `/CN=impnet test ${ca}`);
  }
  run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost");
  writeFileSync(f("ext.cnf"), `subjectAltName=${["IP:127.0.0.1", "DNS:localhost", ...(names.dns ?? []).map((n) => `DNS:${n}`)].join(",")}\n`);
  run("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f("server.pem"), "-days", "2", "-extfile", f("ext.cnf"));
  return { caFile: f("ca.pem"), certFile: f("server.pem"), keyFile: f("server.key"), otherCaFile: f("other-ca.pem") };
}
