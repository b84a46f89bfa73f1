import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RealClock } from "../../src/clock/real-clock.js";
import { stopChild } from "../../src/fleet/child-process.js";
import { makeCertificates, onCleanup, requireBinary, sleep, tempDir } from "../host/real-parts.js";

/**
 * A real network for one test, in two Linux network namespaces joined by a
 * veth pair: the "device" side, where `impnet run` runs, and the "network"
 * side, with a real DNS server (dnsmasq), a real proxy with BasicAuth
 * (tinyproxy) and the embedded cloud (`impnet serve`, with TLS), each started
 * inside it. Faults are made the way they happen: a link set down, an address
 * flushed, packets dropped by nftables, a process stopped or killed.
 *
 * Needs root (CI runs as root). Anything that cannot be made fails the test
 * with the command that failed: no silent skip. Everything is removed after
 * the test file, even when a test fails, and names carry this process's pid so
 * that a later run sweeps what a killed one left.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const IMPNET = path.join(ROOT, "bin/impnet.js");
const clock = new RealClock();

export const NETWORK_ADDRESS = "10.77.0.1";
export const DEVICE_ADDRESS = "10.77.0.2";
/** Names the DNS server knows; every other name under .test is NXDOMAIN. */
export const CLOUD_NAME = "cloud.test";
export const PROXY_NAME = "proxy.test";
/** A name that resolves to an address nothing answers on (the proxy cannot reach it). */
export const NOWHERE_NAME = "nowhere.test";
const NOWHERE_ADDRESS = "10.77.0.99";
export const MQTT_PORT = 1883;
export const MQTTS_PORT = 8883;
/** mosquitto, with the device's id and secret in its password file and impnet's topic ACL. */
export const MOSQUITTO_PORT = 1884;
export const PROXY_PORT = 8888;
export const PROXY_USER = "imp";
export const PROXY_PASSWORD = "proxy-secret";
const PREFIX = "imn-";

let beds = 0;
/** One CA and server certificate for every bed of this process. */
let certificates: ReturnType<typeof makeCertificates> | undefined;

function ip(...args: string[]): Promise<string> {
  return run("ip", args);
}

/** Asynchronous, so that tests running side by side do not stall each other's event loops (and measurements). */
function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(bin, args, { encoding: "utf8" }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`network namespace test bed: \`${bin} ${args.join(" ")}\` failed: ${(stderr || error.message).trim()}`));
    }),
  );
}

/** Removes namespaces that runs whose process is gone left behind (a killed CI run, a crashed worker). */
async function sweepLeftovers(): Promise<void> {
  for (const line of (await ip("netns", "list")).split("\n")) {
    const name = line.split(" ")[0] ?? "";
    const m = /^imn-[dn]-(\d+)-\d+$/.exec(name);
    if (m === null) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      await ip("netns", "del", name).catch(() => {}); // another worker may have swept it first
      rmSync(path.join("/etc/netns", name), { recursive: true, force: true });
    }
  }
}

export interface RunResult {
  code: number | null;
  lines: Record<string, unknown>[];
  stderr: string;
}

export interface DeviceRun {
  /** Resolves with the first timeline line that satisfies the predicate; rejects if the run ends first. */
  until(what: string, predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  done: Promise<RunResult>;
  /** Ends the run as Ctrl-C would (SIGINT), and gives what it printed. */
  stop(): Promise<RunResult>;
}

export interface NetBed {
  device: { ns: string; iface: string };
  network: { ns: string; iface: string };
  deviceId: string;
  /** The device's secret on both clouds. */
  secret: string;
  caFile: string;
  otherCaFile: string;
  /** Runs `ip netns exec <ns> …`. */
  exec(ns: string, bin: string, ...args: string[]): Promise<string>;
  /** `impnet run PROGRAM --json …` in the device namespace as eth0 (or the given device interface), the device's secret in its environment. */
  run(program: string, args: string[], options?: { iface?: string; env?: NodeJS.ProcessEnv }): DeviceRun;
  /** `impnet doctor ARGS` in the device namespace, to its end. */
  doctor(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** nftables rules in the network namespace's input hook, e.g. "udp dport 53 drop". */
  drop(rule: string): Promise<void>;
  /** Removes every rule drop() added. */
  undrop(): Promise<void>;
  /** The embedded cloud's process, to stop (SIGSTOP), continue or kill. */
  cloud: ChildProcess;
  /** Starts the embedded cloud again after it was killed. */
  restartCloud(): Promise<void>;
  /** The mosquitto process, to stop, continue or kill. */
  mosquitto: ChildProcess;
}

/**
 * Makes the namespaces, the veth pair, the DNS server, the proxy and the
 * cloud (plain MQTT on 1883, TLS on 8883 with a certificate for cloud.test).
 */
export async function makeNetBed(): Promise<NetBed> {
  if (process.getuid?.() !== 0) throw new Error("the network namespace tests need root (ip netns, nftables): run them as root, as .ci/run does");
  const dnsmasq = requireBinary("dnsmasq", "dnsmasq-base");
  const tinyproxy = requireBinary("tinyproxy", "tinyproxy");
  requireBinary("nft", "nftables");
  requireBinary("ip", "iproute2");
  await sweepLeftovers();

  const tag = `${process.pid}-${beds++}`;
  const dev = { ns: `${PREFIX}d-${tag}`, iface: `imd${tag}`.slice(0, 15) };
  const net = { ns: `${PREFIX}n-${tag}`, iface: `imn${tag}`.slice(0, 15) };
  const children = new Set<ChildProcess>();
  onCleanup(async () => {
    for (const child of children) await stopChild(child, clock);
    for (const ns of [dev.ns, net.ns]) {
      await ip("netns", "del", ns).catch(() => {}); // takes the veth pair with it; fails only if never made
      rmSync(path.join("/etc/netns", ns), { recursive: true, force: true });
    }
  });
  await ip("netns", "add", dev.ns);
  await ip("netns", "add", net.ns);
  await ip("link", "add", dev.iface, "type", "veth", "peer", "name", net.iface);
  await ip("link", "set", dev.iface, "netns", dev.ns);
  await ip("link", "set", net.iface, "netns", net.ns);
  for (const [side, address] of [
    [dev, DEVICE_ADDRESS],
    [net, NETWORK_ADDRESS],
  ] as const) {
    await ip("-n", side.ns, "link", "set", "lo", "up");
    await ip("-n", side.ns, "addr", "add", `${address}/24`, "dev", side.iface);
    await ip("-n", side.ns, "link", "set", side.iface, "up");
  }
  await ip("-n", net.ns, "addr", "add", `${NOWHERE_ADDRESS}/32`, "dev", "lo"); // routed, but nothing listens: connections are refused
  // `ip netns exec` mounts these over /etc/resolv.conf and /etc/hosts: the device asks our DNS server and nothing else.
  const etc = path.join("/etc/netns", dev.ns);
  mkdirSync(etc, { recursive: true });
  writeFileSync(path.join(etc, "resolv.conf"), `nameserver ${NETWORK_ADDRESS}\n`);
  writeFileSync(path.join(etc, "hosts"), "127.0.0.1 localhost\n");
  const netEtc = path.join("/etc/netns", net.ns); // the proxy resolves the names it is asked for with the same server
  mkdirSync(netEtc, { recursive: true });
  writeFileSync(path.join(netEtc, "resolv.conf"), `nameserver ${NETWORK_ADDRESS}\n`);

  const exec = (ns: string, bin: string, ...args: string[]) => run("ip", ["netns", "exec", ns, bin, ...args]);
  const spawnIn = (ns: string, bin: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const child = spawn("ip", ["netns", "exec", ns, bin, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    children.add(child);
    child.once("exit", () => children.delete(child));
    return child;
  };
  const listening = async (ns: string, port: number, child: ChildProcess, what: string) => {
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; i < 400; i++) {
      if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${stderr.trim()}`);
      if ((await exec(ns, "ss", "-Hltn", `sport = :${port}`)).trim() !== "") return;
      await sleep(25);
    }
    throw new Error(`${what} did not listen on ${port} in ${ns}: ${stderr.trim()}`);
  };

  const data = tempDir("impnet-netbed-");
  const dns = spawnIn(net.ns, dnsmasq, [
    "--keep-in-foreground",
    "--conf-file=/dev/null",
    "--no-resolv",
    "--no-hosts",
    "--user=root",
    "--bind-interfaces",
    `--listen-address=${NETWORK_ADDRESS}`,
    "--local=/test/",
    `--address=/${CLOUD_NAME}/${NETWORK_ADDRESS}`,
    `--address=/${PROXY_NAME}/${NETWORK_ADDRESS}`,
    `--address=/${NOWHERE_NAME}/${NOWHERE_ADDRESS}`,
    `--pid-file=${path.join(data, "dnsmasq.pid")}`,
  ]);
  const proxyConf = path.join(data, "tinyproxy.conf");
  writeFileSync(proxyConf, [`Port ${PROXY_PORT}`, `Listen ${NETWORK_ADDRESS}`, "Timeout 5", "MaxClients 20", `BasicAuth ${PROXY_USER} ${PROXY_PASSWORD}`, "LogLevel Critical", ""].join("\n"));
  const proxy = spawnIn(net.ns, tinyproxy, ["-d", "-c", proxyConf]);

  certificates ??= makeCertificates(tempDir("impnet-netbed-certs-"), { dns: [CLOUD_NAME] });
  const certs = certificates;
  const deviceId = `netbed-${tag}`;
  const cloudData = path.join(data, "cloud");
  const { secret } = JSON.parse(await run(process.execPath, [IMPNET, "device", "add", deviceId, "--data", cloudData, "--json"])) as { secret: string };
  // The TLS cloud gets the same registry (its key and the device's hash), so the one secret works on both.
  const tlsData = path.join(data, "tls-cloud");
  mkdirSync(tlsData, { mode: 0o700 });
  copyFileSync(path.join(cloudData, "registry.json"), path.join(tlsData, "registry.json"));
  const startCloud = async () => {
    const plain = spawnIn(net.ns, process.execPath, [IMPNET, "serve", "--host", NETWORK_ADDRESS, "--port", String(MQTT_PORT), "--data", cloudData]);
    await listening(net.ns, MQTT_PORT, plain, "impnet serve");
    return plain;
  };
  const tlsCloud = spawnIn(net.ns, process.execPath, [IMPNET, "serve", "--host", NETWORK_ADDRESS, "--port", String(MQTTS_PORT), "--data", tlsData, "--tls-cert", certs.certFile, "--tls-key", certs.keyFile]);
  await listening(net.ns, 53, dns, "dnsmasq");
  await listening(net.ns, PROXY_PORT, proxy, "tinyproxy");
  await listening(net.ns, MQTTS_PORT, tlsCloud, "impnet serve (TLS)");
  const mosquitto = spawnIn(net.ns, requireBinary("mosquitto", "mosquitto"), ["-c", await mosquittoConfig(data, deviceId, secret)]);
  await listening(net.ns, MOSQUITTO_PORT, mosquitto, "mosquitto");

  let nft = false;
  const bed: NetBed = {
    device: dev,
    network: net,
    deviceId,
    secret,
    caFile: certs.caFile,
    otherCaFile: certs.otherCaFile,
    exec,
    cloud: await startCloud(),
    mosquitto,
    restartCloud: async () => {
      bed.cloud = await startCloud();
    },
    drop: async (rule) => {
      if (!nft) await exec(net.ns, "nft", "add table inet impnet; add chain inet impnet input { type filter hook input priority 0; policy accept; }");
      nft = true;
      await exec(net.ns, "nft", `add rule inet impnet input ${rule}`);
    },
    undrop: async () => {
      if (nft) await exec(net.ns, "nft", "flush chain inet impnet input");
    },
    doctor: (args, env) =>
      new Promise((resolve) => {
        const child = spawnIn(dev.ns, process.execPath, [IMPNET, "doctor", ...args], env);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.once("close", (code) => resolve({ code, stdout, stderr }));
      }),
    run: (program, args, options = {}) => {
      const env = { IMPNET_DEVICE_SECRET: secret, ...options.env };
      const child = spawnIn(dev.ns, process.execPath, [IMPNET, "run", program, "--json", "--interface", `${options.iface ?? "eth0"}=${dev.iface}`, "--id", deviceId, ...args], env);
      const lines: Record<string, unknown>[] = [];
      let stderr = "";
      let partial = "";
      const waiters = new Set<() => void>();
      child.stdout.on("data", (d: Buffer) => {
        partial += d.toString();
        const complete = partial.split("\n");
        partial = complete.pop()!;
        for (const l of complete) if (l.trim() !== "") lines.push(JSON.parse(l) as Record<string, unknown>);
        for (const w of waiters) w();
      });
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const done = new Promise<RunResult>((resolve) => child.once("close", (code) => resolve({ code, lines, stderr })));
      let ended = false;
      void done.then(() => {
        ended = true;
        for (const w of waiters) w();
      });
      return {
        done,
        stop: () => {
          child.kill("SIGINT");
          return done;
        },
        until: (what, predicate) =>
          new Promise((resolve, reject) => {
            const check = () => {
              const hit = lines.find(predicate);
              if (hit !== undefined) {
                waiters.delete(check);
                resolve(hit);
              } else if (ended) {
                waiters.delete(check);
                reject(new Error(`impnet run ended without ${what}: ${JSON.stringify(lines)} ${stderr}`));
              }
            };
            waiters.add(check);
            check();
          }),
      };
    },
  };
  return bed;
}

/** mosquitto on the network side: the device's credentials, the impnet topic layout's ACL, no persistence. */
async function mosquittoConfig(dir: string, deviceId: string, secret: string): Promise<string> {
  const passwd = path.join(dir, "mosquitto.passwd");
  writeFileSync(passwd, `${deviceId}:${secret}\n`);
  await run(requireBinary("mosquitto_passwd", "mosquitto"), ["-U", passwd]);
  const acl = path.join(dir, "mosquitto.acl");
  writeFileSync(acl, ["pattern write impnet/+/%u/log", "pattern write impnet/+/%u/msg", "pattern write impnet/+/%u/status", "pattern write impnet/+/%u/diag", "pattern read impnet/+/%u/cmd", ""].join("\n"));
  const conf = path.join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [`listener ${MOSQUITTO_PORT} ${NETWORK_ADDRESS}`, "user root", "allow_anonymous false", `password_file ${passwd}`, `acl_file ${acl}`, "persistence false", "log_dest none", ""].join("\n"),
  );
  return conf;
}
