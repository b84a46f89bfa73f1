import net from "node:net";
import type { Clock, TimerId } from "../../src/clock/clock.js";

/** What the proxy does to one connection, chosen when it opens. */
export type Fault =
  | { kind: "none" }
  /** Both sides are reset once `afterBytes` have passed (either way). */
  | { kind: "reset"; afterBytes: number }
  /** Nothing passes for `ms` once `afterBytes` have, then everything held is delivered. */
  | { kind: "stall"; afterBytes: number; ms: number }
  /** Every chunk waits `ms` each way, in order. */
  | { kind: "slow"; ms: number }
  /** After `afterBytes`, bytes vanish both ways and nothing is closed: the peer must find out by itself. */
  | { kind: "half-open"; afterBytes: number };

export type FaultKind = Fault["kind"];

/** Counts of what the proxy did, and the connections it still holds (a leak check). */
export interface FaultProxyStats {
  connections: number;
  byKind: Record<FaultKind, number>;
  open: number;
}

/**
 * A TCP proxy on loopback that breaks connections on purpose, one fault per
 * connection from `choose` (seeded by the caller, so a run can be replayed).
 * When either side closes, the other is closed too (after what it holds is
 * flushed), so the proxy itself never leaks a socket. `port`: listen there (a
 * proxy stopped and started again on the same port is a path cut and mended).
 */
export async function startFaultProxy(targetPort: number, clock: Clock, choose: () => Fault, port = 0): Promise<{ port: number; stats: FaultProxyStats; stop(): Promise<void> }> {
  const stats: FaultProxyStats = { connections: 0, byKind: { none: 0, reset: 0, stall: 0, slow: 0, "half-open": 0 }, open: 0 };
  const pairs = new Set<[net.Socket, net.Socket]>();
  const timers = new Set<TimerId>();
  const later = (ms: number, fn: () => void) => {
    const t = clock.setTimer(ms, () => {
      timers.delete(t);
      fn();
    });
    timers.add(t);
  };
  const server = net.createServer((client) => {
    const fault = choose();
    stats.connections++;
    stats.byKind[fault.kind]++;
    stats.open++;
    const upstream = net.connect(targetPort, "127.0.0.1");
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    let passed = 0;
    let vanished = false;
    let stalledUntil = -1;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      pairs.delete(pair);
      stats.open--;
      client.destroy();
      upstream.destroy();
    };
    /** Each direction's held chunks, released in order (a timer each could fire out of order). */
    const lanes = new Map<net.Socket, { queue: { data: Buffer; at: number }[]; timer: boolean }>([
      [client, { queue: [], timer: false }],
      [upstream, { queue: [], timer: false }],
    ]);
    const drain = (to: net.Socket) => {
      const lane = lanes.get(to)!;
      while (!closed && lane.queue.length > 0 && lane.queue[0]!.at <= clock.now()) to.write(lane.queue.shift()!.data);
      if (closed || lane.queue.length === 0 || lane.timer) return;
      lane.timer = true;
      later(lane.queue[0]!.at - clock.now(), () => {
        lane.timer = false;
        drain(to);
      });
    };
    const forward = (to: net.Socket, data: Buffer) => {
      if (vanished || closed) return;
      const before = passed;
      passed += data.length;
      const crossed = (at: number) => before < at && passed >= at;
      if (fault.kind === "reset" && crossed(fault.afterBytes)) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
        return close();
      }
      if (fault.kind === "half-open" && crossed(fault.afterBytes)) {
        vanished = true;
        return;
      }
      if (fault.kind === "stall" && crossed(fault.afterBytes)) stalledUntil = clock.now() + fault.ms;
      const lane = lanes.get(to)!;
      const at = Math.max(clock.now() + (fault.kind === "slow" ? fault.ms : 0), stalledUntil, lane.queue.at(-1)?.at ?? 0);
      lane.queue.push({ data, at });
      drain(to);
    };
    for (const s of pair) s.on("error", () => {});
    client.on("data", (d: Buffer) => forward(upstream, d));
    upstream.on("data", (d: Buffer) => forward(client, d));
    client.on("close", close);
    upstream.on("close", close);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stats,
    stop: async () => {
      for (const t of timers) clock.clearTimer(t);
      timers.clear();
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A seeded choice of faults: `none` with the rest of the probability. */
export function faultChooser(random: () => number, rates: Partial<Record<Exclude<FaultKind, "none">, number>>): () => Fault {
  const bytes = () => 1 + Math.floor(random() * 400); // within the CONNECT, the CONNACK, or the first messages
  return () => {
    let r = random();
    for (const [kind, rate] of Object.entries(rates) as [Exclude<FaultKind, "none">, number][]) {
      if (r >= rate) {
        r -= rate;
        continue;
      }
      switch (kind) {
        case "reset":
          return { kind, afterBytes: bytes() };
        case "stall":
          return { kind, afterBytes: bytes(), ms: 200 + Math.floor(random() * 1300) };
        case "slow":
          return { kind, ms: 5 + Math.floor(random() * 45) };
        case "half-open":
          return { kind, afterBytes: bytes() };
      }
    }
    return { kind: "none" };
  };
}
