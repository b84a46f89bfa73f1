// Real parts for the host-stack tests: mosquitto and tinyproxy (Debian
// packages, started here with our own configurations on free loopback ports),
// the embedded cloud, a tiny DNS server, a throwaway CA. No mocks.
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { RealClock } from "../../src/clock/real-clock.js";

const clock = new RealClock();

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}

export function tempDir(prefix = "impnet-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function freePort(): Promise<number> {
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
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`${what} did not listen on ${port}`);
}

export interface Running {
  port: number;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(child.pid, "SIGTERM");
  await exited;
}

/** mosquitto with a password file and the impnet topic ACL patterns. */
export async function startMosquitto(users: Record<string, string>): Promise<Running> {
  const bin = requireBinary("mosquitto", "mosquitto");
  const passwd = requireBinary("mosquitto_passwd", "mosquitto");
  const dir = tempDir("impnet-mosquitto-");
  const port = await freePort();
  const pwFile = path.join(dir, "passwd");
  writeFileSync(pwFile, "");
  for (const [user, password] of Object.entries(users)) execFileSync(passwd, ["-b", pwFile, user, password]);
  const aclFile = path.join(dir, "acl");
  writeFileSync(
    aclFile,
    [
      "pattern write impnet/+/%u/log",
      "pattern write impnet/+/%u/msg",
      "pattern write impnet/+/%u/status",
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
      "allow_anonymous false", `password_file ${pwFile}`, `acl_file ${aclFile}`,       "persistence false",
      "log_dest none",
      "",
    ].join("\n"),
  );
  const child = spawn(bin, ["-c", conf], { stdio: "ignore" });
  await waitForPort(port, child, "mosquitto");
  return { port, stop: () => stopChild(child) };
}

/** tinyproxy with BasicAuth, in the foreground (-d), stopped by PID. */
export async function startTinyproxy(user: string, password: string): Promise<Running> {
  const bin = requireBinary("tinyproxy", "tinyproxy");
  const dir = tempDir("impnet-tinyproxy-");
  const port = await freePort();
  const conf = path.join(dir, "tinyproxy.conf");
  writeFileSync(conf, [`Port ${port}`, "Listen 127.0.0.1", "Timeout 5", "MaxClients 50", `BasicAuth ${user} ${password}`, "LogLevel Critical", ""].join("\n"));
  const child = spawn(bin, ["-d", "-c", conf], { stdio: "ignore" });
  await waitForPort(port, child, "tinyproxy");
  return { port, stop: () => stopChild(child) };
}

/** A TCP server that accepts and never says a word: the server that never answers. */
export async function startSilentServer(): Promise<Running> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
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
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, stop: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost, made by openssl. */
export function makeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string; otherCaFile: string } {
  const openssl = requireBinary("openssl", "openssl");
  const f = (name: string) => path.join(dir, name);
  const run = (...args: string[]) => execFileSync(openssl, args, { stdio: "ignore" });
  for (const ca of ["ca", "other-ca"]) {
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f(`${ca}.key`), "-out", f(`${ca}.pem`), "-days", "2", "-subj", `/CN=impnet test ${ca}`);
  }
  run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost");
  writeFileSync(f("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  run("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f("server.pem"), "-days", "2", "-extfile", f("ext.cnf"));
  return { caFile: f("ca.pem"), certFile: f("server.pem"), keyFile: f("server.key"), otherCaFile: f("other-ca.pem") };
}
