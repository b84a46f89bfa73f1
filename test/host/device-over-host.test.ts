import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RealClock } from "../../src/clock/real-clock.js";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import { Device } from "../../src/device/device.js";
import type { ProgramEntry } from "../../src/device/device.js";
import type { NetInfo } from "../../src/device/api/net.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import { HostLink } from "../../src/network/host/host-link.js";
import type { DeviceModel } from "../../src/scenario/types.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { deviceModel } from "./harness.js";
import type { Running } from "./real-parts.js";
import { sleep, startTinyproxy } from "./real-parts.js";
import { startCloud } from "./support-cloud.js";

const PROXY_PASSWORD = "proxy-pw-never-shown";

/** A device program that pings its agent with binary data and logs the answer. */
const agent: AgentEntry = ({ device, server }) => {
  device.on("ping", (data) => {
    server.log("agent got ping");
    device.send("pong", data);
  });
};

describe("device programs on the host stack, agents over MQTT", () => {
  let cloud: EmbeddedCloud;
  let proxy: Running;
  const cloudSink = new ArraySink();
  beforeAll(async () => {
    cloud = await startCloud({ agentFor: () => agent }, cloudSink);
    proxy = await startTinyproxy("bob", PROXY_PASSWORD);
  });
  afterAll(async () => {
    await proxy.stop();
    await cloud.stop();
  });

  function boot(model: DeviceModel, secret: string, program: ProgramEntry) {
    const clock = new ElapsedClock(new RealClock());
    const sink = new ArraySink();
    const link = new HostLink(model, clock, { server: { host: "127.0.0.1", port: cloud.port, tls: false }, secret, interfaces: { ethernet: "lo" } });
    const device = new Device(model, { clock, sink, link, program });
    link.listener = device;
    device.boot();
    return { device, sink, link };
  }

  it("R33 agent.send reaches the agent's device.on and back, binary intact; through a proxy; no secret anywhere", async () => {
    const secret = cloud.registry.addDevice("dev-api");
    const model = deviceModel("dev-api");
    model.proxy = { host: "127.0.0.1", port: proxy.port, user: "bob", password: PROXY_PASSWORD };
    let pong: unknown;
    let info: NetInfo | undefined;
    const { device, sink } = boot(model, secret, (root) => {
      root.agent.on("pong", (data) => {
        pong = data;
        info = root.imp.net?.info();
        void root.server.log("device got pong");
      });
      void root.agent.send("ping", { n: 7, bytes: new Uint8Array([0, 1, 254, 255]) });
    });
    for (let i = 0; i < 200 && !cloudSink.events.some((e) => e.type === "log" && e.text === "device got pong"); i++) await sleep(10);
    expect(pong).toEqual({ n: 7, bytes: new Uint8Array([0, 1, 254, 255]) });
    expect(cloudSink.events).toContainEqual(expect.objectContaining({ type: "log", device: "dev-api", text: "agent got ping", agent: true }));
    expect(sink.events).toContainEqual(expect.objectContaining({ type: "attempt", reasonName: "SERVER_CONNECTED" }));
    expect(info?.ipv4?.proxy).toEqual({ address: "127.0.0.1", port: proxy.port, type: "http", user: "bob" });
    device.disconnect();

    // A failing attempt too: its detail must not carry the password either.
    model.proxy = { host: "127.0.0.1", port: proxy.port, user: "bob", password: `${PROXY_PASSWORD}-wrong` };
    const failing = boot(model, secret, (root) => {
      root.server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
    });
    for (let i = 0; i < 200 && !failing.sink.events.some((e) => e.type === "attempt" && e.reasonName === "NOT_AUTHORISED"); i++) await sleep(10);
    failing.device.disconnect();

    const everything = JSON.stringify([sink.events, failing.sink.events, cloudSink.events, info]) + readFileSync(cloud.logFile, "utf8") + readFileSync(cloud.registryPath, "utf8");
    expect(everything).toContain("NOT_AUTHORISED");
    expect(everything).not.toContain(PROXY_PASSWORD);
    expect(everything).not.toContain(secret);
  });

  it("R19 R30 on the host stack imp.net.info() gives the interface's real address, and configurewps refuses: the host cannot do WPS", async () => {
    const secret = cloud.registry.addDevice("dev-truth");
    const model = deviceModel("dev-truth", { interfaces: ["wifi"] });
    let info: NetInfo | undefined;
    let wps: unknown;
    const clock = new ElapsedClock(new RealClock());
    const link = new HostLink(model, clock, { server: { host: "127.0.0.1", port: cloud.port, tls: false }, secret, interfaces: { wifi: "lo" } });
    const device = new Device(model, {
      clock,
      sink: new ArraySink(),
      link,
      program: (root) => {
        info = root.imp.net?.info();
        try {
          root.imp.net?.configurewps?.();
        } catch (e) {
          wps = e;
        }
      },
    });
    link.listener = device;
    device.boot();
    for (let i = 0; i < 300 && info === undefined; i++) await sleep(10);
    device.disconnect();
    link.dispose();
    clock.dispose();
    expect(info?.ipv4?.address).toBe("127.0.0.1");
    expect(wps).toMatchObject({ code: "IMPNET_INVALID_STATE", message: expect.stringMatching(/^imp\.net\.configurewps: WPS is not available on this network/) as unknown });
  });
});
