import { connectAsync } from "mqtt";
import { RealClock } from "../src/clock/real-clock.js";
import * as C from "../src/constants.js";
import { EmbeddedCloud } from "../src/cloud/embedded-cloud.js";
import { Device } from "../src/device/device.js";
import { ElapsedClock } from "../src/network/host/elapsed-clock.js";
import { HostLink } from "../src/network/host/host-link.js";
import { CountingSink } from "../src/timeline/sinks.js";
import { deviceModel } from "../test/host/harness.js";
import { tempDir } from "../test/host/real-parts.js";
const clock = new ElapsedClock(new RealClock());
const cloud = await EmbeddedCloud.start({ dataDir: tempDir(), port: 0, clock, wall: new RealClock(), sink: new CountingSink() });
const server = { host: "127.0.0.1", port: cloud.port, tls: false };
const apiModel = deviceModel("bench-api");
const apiSecret = cloud.registry.addDevice("bench-api");
const apiLink = new HostLink(apiModel, clock, { server, secret: apiSecret, interfaces: { ethernet: "lo" }, retryFloorMs: 0 });
let api: { connect: () => Promise<void> } | undefined;
await new Promise<void>((resolve) => {
  const device = new Device(apiModel, { clock, sink: new CountingSink(), link: apiLink, program: (root) => {
    root.server.setsendtimeoutpolicy(C.RETURN_ON_ERROR, C.WAIT_TIL_SENT, 10);
    api = { connect: () => new Promise<void>((done2) => { root.server.disconnect(); root.server.connect(() => done2(), 10); }) };
    resolve();
  } });
  apiLink.listener = device;
  device.boot();
});
const secret = cloud.registry.addDevice("bench-conn");
const bare = async () => { const c = await connectAsync(cloud.url, { username: "bench-conn", password: secret, clientId: "bench-conn", reconnectPeriod: 0, protocolVersion: 4, keepalive: 0 }); await c.endAsync(true); };
const settle = () => new Promise((r) => setTimeout(r, 3));
const as: number[] = [], bs: number[] = [], rs: number[] = [];
for (let r = 0; r < 8; r++) {
  let sa = 0, sb = 0;
  for (let i = 0; i < 60; i++) { await settle(); let t = performance.now(); await api!.connect(); sa += performance.now() - t; await settle(); t = performance.now(); if (!process.env.NOBARE) await bare(); sb += performance.now() - t; }
  if (r >= 2) { as.push(sa / 60); bs.push(sb / 60); rs.push(sa / sb); }
}
const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1]!;
console.log("api", med(as).toFixed(3), "bare", med(bs).toFixed(3), "ratio", med(rs).toFixed(2));
await cloud.stop(); clock.dispose(); process.exit(0);
