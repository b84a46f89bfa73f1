import net from "node:net";
import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { PACKET_LIMITS } from "../../src/cloud/embedded-cloud.js";
import { topicFor } from "../../src/wire/topics.js";
import { RealClock, wallMs } from "../../src/clock/real-clock.js";
import { makeCertificates, tempDir } from "../host/real-parts.js";
import { startCloud } from "../host/support-cloud.js";

/** An MQTT fixed header: packet type and flags, then the remaining length as MQTT's variable-length integer. */
function fixedHeader(typeAndFlags: number, remaining: number): Buffer {
  const bytes = [typeAndFlags];
  do {
    let b = remaining % 128;
    remaining = Math.floor(remaining / 128);
    if (remaining > 0) b |= 0x80;
    bytes.push(b);
  } while (remaining > 0);
  return Buffer.from(bytes);
}

/**
 * Writes the header, then streams filler as fast as the socket takes it, until
 * the server closes the connection or `max` bytes went. Returns how many went
 * and whether the server closed first.
 */
function flood(port: number, header: Buffer, max: number, before: Buffer = Buffer.alloc(0)): Promise<{ sent: number; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let sent = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      while (!closed && sent < max) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      if (!closed) {
        socket.destroy();
        resolve({ sent, closed: false });
      }
    };
    socket.on("error", () => {});
    socket.once("close", () => {
      if (closed) return;
      closed = true;
      resolve({ sent, closed: sent < max });
    });
    socket.once("connect", () => {
      socket.write(Buffer.concat([before, header]));
      pump();
    });
  });
}

/** A minimal MQTT 3.1.1 CONNECT with a username and password. */
function connectPacket(clientId: string, username: string, password: string): Buffer {
  const str = (s: string) => {
    const b = Buffer.from(s);
    return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  };
  const body = Buffer.concat([str("MQTT"), Buffer.from([4, 0xc2, 0, 0]), str(clientId), str(username), str(password)]);
  return Buffer.concat([fixedHeader(0x10, body.length), body]);
}

describe("clients that try to make the cloud hold what it should not", () => {
  let cloud: EmbeddedCloud;
  beforeAll(async () => {
    cloud = await startCloud({ preSessionTimeoutMs: 300 });
  });
  afterAll(() => cloud.stop());

  it("a CONNECT that claims 256 MB is cut off at its header, before the client has logged in", async () => {
    const r = await flood(cloud.port, fixedHeader(0x10, 268_435_455), 32 * 1024 * 1024);
    expect(r.closed).toBe(true);
    expect(r.sent).toBeLessThan(8 * 1024 * 1024); // what loopback's socket buffers took before the reset, not what the broker kept
  });

  it("a logged-in device's packet that claims more than the payload cap is cut off at its header too", async () => {
    const secret = cloud.registry.addDevice("claims-much");
    const publish = fixedHeader(0x32, PACKET_LIMITS.later + 1);
    const r = await flood(cloud.port, publish, 32 * 1024 * 1024, connectPacket("claims-much", "claims-much", secret));
    expect(r.closed).toBe(true);
    expect(r.sent).toBeLessThan(8 * 1024 * 1024);
  });

  it("a remaining length of more than four bytes is no MQTT: closed", async () => {
    const r = await flood(cloud.port, Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01]), 32 * 1024 * 1024);
    expect(r.closed).toBe(true);
  });

  it("within the limits the same cloud serves a device's largest message (the payload cap itself is broker-acl's test)", async () => {
    const secret = cloud.registry.addDevice("fits");
    const c = await connectAsync(cloud.url, { username: "fits", password: secret, clientId: "fits", reconnectPeriod: 0, protocolVersion: 4 });
    await c.publishAsync(topicFor("fits", "log"), JSON.stringify({ text: "x".repeat(PACKET_LIMITS.later - 2048), error: false }), { qos: 1 });
    expect(c.connected).toBe(true);
    await c.endAsync();
  });

  it("a connect flood (300 sockets at once: silent, wrong secrets, a CONNECT dribbled a byte at a time) does not keep a device out, and every one of them is closed", { timeout: 30_000 }, async () => {
    const secret = cloud.registry.addDevice("through-the-flood");
    const closes: Promise<void>[] = [];
    const open = (send: (s: net.Socket) => void) =>
      closes.push(
        new Promise<void>((resolve) => {
          const s = net.connect(cloud.port, "127.0.0.1", () => send(s));
          s.on("error", () => {});
          s.resume(); // read (and drop) what the server says: a socket that never reads never sees it close
          s.once("close", () => resolve());
        }),
      );
    const dribble = connectPacket("nobody", "nobody", "x".repeat(43));
    const wall = new RealClock();
    for (let i = 0; i < 100; i++) {
      open(() => {}); // says nothing
      open((s) => s.write(connectPacket(`flood-${i}`, `flood-${i}`, "wrong-secret"))); // refused at once
      open((s) => {
        let at = 0;
        const next = () => {
          if (s.destroyed || at >= dribble.length) return;
          s.write(dribble.subarray(at, ++at));
          wall.setTimer(50, next); // slower than the pre-session timeout allows
        };
        next();
      });
    }
    const c = await connectAsync(cloud.url, { username: "through-the-flood", password: secret, clientId: "through-the-flood", reconnectPeriod: 0, protocolVersion: 4 });
    expect(c.connected).toBe(true);
    await c.endAsync();
    await Promise.all(closes); // the refused at once, the silent and the dribblers after the pre-session timeout
  });

  it("a connection that never says CONNECT is closed after the pre-session timeout", async () => {
    const closedAfter = await new Promise<number>((resolve) => {
      const t0 = wallMs();
      const s = net.connect(cloud.port, "127.0.0.1");
      s.on("error", () => {});
      s.once("close", () => resolve(wallMs() - t0));
    });
    expect(closedAfter).toBeGreaterThanOrEqual(250);
  });
});

describe("TLS clients that never finish their handshake", () => {
  it("are closed after the pre-session timeout, so idle sockets cannot use up the server's descriptors", async () => {
    const certs = makeCertificates(tempDir());
    const cloud = await startCloud({ tls: { certFile: certs.certFile, keyFile: certs.keyFile }, preSessionTimeoutMs: 300 });
    try {
      const closed = await Promise.all(
        Array.from(
          { length: 20 },
          () =>
            new Promise<boolean>((resolve) => {
              const s = net.connect(cloud.port, "127.0.0.1", () => s.write(Buffer.from([0x16, 0x03, 0x01]))); // a ClientHello that never finishes
              s.on("error", () => {});
              s.once("close", () => resolve(true));
            }),
        ),
      );
      expect(closed).toEqual(Array.from({ length: 20 }, () => true));
    } finally {
      await cloud.stop();
    }
  });
});
