// The two backends the contract suite runs on: the simulator and the host
// stack. Each starts healthy (the device boots connected) and can be put in
// one of a few conditions that both can produce for real.
import { RealClock } from "../../src/clock/real-clock.js";
import type { AgentEntry } from "../../src/cloud/agent-runtime.js";
import type { EmbeddedCloud } from "../../src/cloud/embedded-cloud.js";
import type { RootTable } from "../../src/device/api/root.js";
import { Device } from "../../src/device/device.js";
import type { ProgramHost } from "../../src/device/device.js";
import { ElapsedClock } from "../../src/network/host/elapsed-clock.js";
import { HostLink } from "../../src/network/host/host-link.js";
import type { HostLinkOptions } from "../../src/network/host/host-link.js";
import { Simulation } from "../../src/scenario/simulation.js";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { ArraySink } from "../../src/timeline/sinks.js";
import { inlineScenario } from "../support/simulate.js";
import { startForwarder } from "./forwarder.js";
import { deviceModel } from "./harness.js";
import { freePort, onCleanup, startDns, startSilentServer, startTinyproxy } from "./real-parts.js";
import { startCloud } from "./support-cloud.js";

export type Condition = "healthy" | "refused" | "silent" | "nxdomain" | "sessionRefused" | "proxyWrongPassword";

/** What a contract program gets besides its root table. */
export interface Harness {
  /** Changes the world for the attempts that start from now on. */
  world(condition: Condition): void;
  /** Drops the live session from the server's side (the server stays reachable). */
  dropSession(): void;
  report(value: unknown): void;
  done(): void;
}

export type ContractProgram = (root: RootTable, h: Harness, host: ProgramHost) => unknown;

export interface ContractRun {
  reports: unknown[];
  events: readonly TimelineEvent[];
}

export interface Backend {
  name: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  run(program: ContractProgram, agent?: AgentEntry): Promise<ContractRun>;
}

export const simBackend: Backend = {
  name: "simulator",
  setup: () => Promise.resolve(),
  teardown: () => Promise.resolve(),
  async run(program, agent) {
    const reports: unknown[] = [];
    const sink = new ArraySink();
    const scenario = inlineScenario({
      duration: "10m",
      world: { proxies: [{ host: "proxy.test", port: 3128, user: "u", password: "right" }] },
      devices: [{ id: "dev", interfaces: ["ethernet"] }],
      // Loopback-like layer times, so that short deadlines land where they do on the host.
      timing: { link: "5ms", dhcp: "10ms", dns: "5ms", proxy: "5ms", tcp: "5ms", tls: "20ms", session: "10ms" },
    });
    const box: { sim?: Simulation } = {};
    const world = (c: Condition) => {
      const m = box.sim!.world.model;
      const dev = box.sim!.devices[0]!.model;
      m.server.up = c !== "refused" && c !== "silent";
      m.server.failure = c === "silent" ? "blackhole" : "refuse";
      m.server.accept = c !== "sessionRefused";
      m.dns.names = c === "nxdomain" ? { [m.server.host]: false } : {};
      m.dns.failure = "nxdomain";
      if (c === "proxyWrongPassword") dev.proxy = { host: "proxy.test", port: 3128, user: "u", password: "wrong" };
      else delete dev.proxy;
      box.sim!.world.changed();
    };
    const dropSession = () => {
      world("refused");
      box.sim!.clock.setTimer(500, () => world("healthy"));
    };
    const sim = await Simulation.create(scenario, {
      sink,
      programFor: () => (root, host) => program(root, { world, dropSession, report: (v) => reports.push(v), done: () => {} }, host),
      ...(agent === undefined ? {} : { agentFor: () => agent }),
    });
    box.sim = sim;
    await sim.run();
    return { reports, events: sink.events };
  },
};

export function hostBackend(): Backend {
  let cloud: EmbeddedCloud;
  // Each part's stop, registered as soon as the part runs: a failure later in setup leaks nothing.
  let stops: (() => Promise<void>)[] = [];
  let forwarder: Awaited<ReturnType<typeof startForwarder>>;
  let ports: { closed: number; silent: number; dns: number; proxy: number };
  const agents = new Map<string, AgentEntry>();
  return {
    name: "host stack",
    async setup() {
      stops = [];
      const c = await startCloud({ agentFor: (id) => agents.get(id) });
      cloud = c;
      stops.push(onCleanup(() => c.stop()));
      const f = await startForwarder(cloud.port);
      forwarder = f;
      stops.push(onCleanup(() => f.stop()));
      // These register themselves (real-parts) the moment they run.
      const silent = await startSilentServer();
      stops.push(silent.stop);
      const dns = await startDns({});
      stops.push(dns.stop);
      const proxy = await startTinyproxy("u", "right");
      stops.push(proxy.stop);
      ports = { closed: await freePort(), silent: silent.port, dns: dns.port, proxy: proxy.port };
    },
    async teardown() {
      // Newest first; each stop runs once, whether here or in real-parts' own cleanup.
      const all = stops.reverse();
      stops = [];
      for (const stop of all) await stop();
    },
    async run(program, agent) {
      const reports: unknown[] = [];
      const sink = new ArraySink();
      const id = `contract-${Math.random().toString(16).slice(2, 10)}`;
      const secret = cloud.registry.addDevice(id);
      const clock = new ElapsedClock(new RealClock());
      const model = deviceModel(id);
      const healthy = { host: "127.0.0.1", port: forwarder.port, tls: false };
      const options: HostLinkOptions = { server: { ...healthy }, secret, interfaces: { ethernet: "lo" }, retryFloorMs: 50 };
      const world = (c: Condition) => {
        options.server = { ...healthy };
        options.secret = secret;
        delete options.dns;
        delete model.proxy;
        if (c === "refused") options.server.port = ports.closed;
        if (c === "silent") options.server.port = ports.silent;
        if (c === "nxdomain") {
          options.server.host = "server.invalid";
          options.dns = { servers: [`127.0.0.1:${ports.dns}`], hostsFile: "/dev/null" };
        }
        if (c === "sessionRefused") options.secret = "wrong";
        if (c === "proxyWrongPassword") model.proxy = { host: "127.0.0.1", port: ports.proxy, user: "u", password: "wrong" };
      };
      let finish: () => void = () => {};
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const link = new HostLink(model, clock, options);
      const device = new Device(model, {
        clock,
        sink,
        link,
        program: (root, host) => program(root, { world, dropSession: () => forwarder.dropAll(), report: (v) => reports.push(v), done: finish }, host),
      });
      link.listener = device;
      if (agent !== undefined) agents.set(id, agent);
      device.boot();
      const guard = new Promise<void>((resolve) => clock.setTimer(10_000, resolve));
      await Promise.race([finished, guard]);
      link.dispose();
      clock.dispose();
      return { reports, events: sink.events };
    },
  };
}
