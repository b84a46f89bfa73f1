import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SessionPersistence } from "../../src/cloud/session-persistence.js";
import type { QueuedPublish } from "../../src/cloud/session-persistence.js";

const LIMITS = { messages: 6, bytes: 100 };
const CLIENTS = ["hosts:a", "hosts:b"] as const;

type Op =
  | { kind: "publish"; to: number[]; size: number }
  | { kind: "send"; client: number }
  | { kind: "ack"; client: number; pick: number }
  | { kind: "skip"; client: number; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("publish" as const), to: fc.subarray([0, 1], { minLength: 1 }), size: fc.integer({ min: 0, max: 45 }) }),
  fc.record({ kind: fc.constant("send" as const), client: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant("ack" as const), client: fc.integer({ min: 0, max: 1 }), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant("skip" as const), client: fc.integer({ min: 0, max: 1 }), pick: fc.nat(20) }),
);

/** What a queue should hold: each delivery's publish (its counter), payload size and packet id once sent. */
interface ModelEntry {
  counter: number;
  size: number;
  messageId?: number;
}

describe("a session's queue of QoS 1 deliveries (SessionPersistence)", () => {
  it("R33 holds exactly what aedes has not had acknowledged, within its limits, and reports each overflow once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 80 }), async (ops) => {
        const overflows: string[] = [];
        const p = new SessionPersistence(LIMITS, (id) => overflows.push(id));
        const model = CLIENTS.map(() => ({ entries: [] as ModelEntry[], overflowing: false, reports: 0, nextId: 1 }));
        const bytes = (m: (typeof model)[number]) => m.entries.reduce((n, e) => n + e.size + "t".length, 0);
        let counter = 0;
        for (const o of ops) {
          if (o.kind === "publish") {
            const packet: QueuedPublish = { cmd: "publish", topic: "t", payload: Buffer.alloc(o.size), qos: 1, retain: false, dup: false, brokerId: "b", brokerCounter: ++counter };
            await p.outgoingEnqueueCombi(o.to.map((c) => ({ clientId: CLIENTS[c]! })), packet);
            for (const c of o.to) {
              const m = model[c]!;
              if (m.entries.length >= LIMITS.messages || bytes(m) + o.size + 1 > LIMITS.bytes) {
                if (!m.overflowing) m.reports++;
                m.overflowing = true;
              } else m.entries.push({ counter, size: o.size });
            }
            continue;
          }
          const m = model[o.client]!;
          const id = CLIENTS[o.client]!;
          if (o.kind === "send") {
            // aedes sends the oldest unsent delivery, giving it the next packet id.
            const next = m.entries.find((e) => e.messageId === undefined);
            if (next === undefined) continue;
            next.messageId = m.nextId++;
            await p.outgoingUpdate({ id }, { brokerId: "b", brokerCounter: next.counter, messageId: next.messageId });
            continue;
          }
          // An acknowledgement names a packet id (sometimes one never sent); a skipped delivery names its publish.
          const target = m.entries[o.pick % Math.max(1, m.entries.length)];
          const acked = o.kind === "ack" ? { messageId: target?.messageId ?? 1000 + o.pick } : { brokerId: "b", brokerCounter: target?.counter ?? -1 };
          if (o.kind === "skip" && target?.messageId !== undefined) continue; // aedes skips only deliveries it has not sent
          const removed = await p.outgoingClearMessageId({ id }, acked);
          const expected = o.kind === "ack" ? m.entries.findIndex((e) => e.messageId === acked.messageId) : m.entries.findIndex((e) => e === target);
          expect((removed as QueuedPublish | undefined)?.brokerCounter).toBe(expected < 0 ? undefined : m.entries[expected]!.counter);
          if (expected >= 0) m.entries.splice(expected, 1);
          if (m.entries.length < LIMITS.messages / 2 && bytes(m) < LIMITS.bytes / 2) m.overflowing = false;
        }
        CLIENTS.forEach((id, c) => {
          const m = model[c]!;
          expect((p.queued(id) as QueuedPublish[]).map((q) => [q.brokerCounter, q.payload.length, q.messageId])).toEqual(m.entries.map((e) => [e.counter, e.size, e.messageId]));
          expect(overflows.filter((o) => o === id).length).toBe(m.reports);
        });
      }),
      { seed: 80509, numRuns: 500 },
    );
  });

  it("R33 an overflow is reported again only after the queue was back under half its messages and half its bytes", async () => {
    const overflows: string[] = [];
    const p = new SessionPersistence({ messages: 100, bytes: 100 }, (id) => overflows.push(id));
    let counter = 0;
    const publish = (size: number) =>
      p.outgoingEnqueue({ clientId: "hosts:a" }, { cmd: "publish", topic: "t", payload: Buffer.alloc(size), qos: 1, retain: false, dup: false, brokerId: "b", brokerCounter: ++counter });
    const skipOldest = () => p.outgoingClearMessageId({ id: "hosts:a" }, { brokerId: "b", brokerCounter: (p.queued("hosts:a")[0] as QueuedPublish).brokerCounter });
    // Each delivery counts its payload and its one-byte topic.
    for (const size of [39, 19, 39]) await publish(size); // 100 bytes: full
    await publish(0); // 101: dropped, reported
    expect(overflows).toEqual(["hosts:a"]);
    await skipOldest(); // 60 bytes: not under half
    await publish(40); // 101: dropped, the same overflow
    expect(overflows).toEqual(["hosts:a"]);
    await skipOldest(); // 40 bytes, one delivery: under half of both
    await publish(60); // 101: a new overflow
    expect(overflows).toEqual(["hosts:a", "hosts:a"]);
  });

  it("R33 a PUBREL in a delivery's place (QoS 2's PUBREC, or a client answering a QoS 1 delivery with one) is held without size, and nothing throws", async () => {
    const overflows: string[] = [];
    const p = new SessionPersistence({ messages: 10, bytes: 100 }, (id) => overflows.push(id));
    const publish = (n: number) => p.outgoingEnqueue({ clientId: "hosts:a" }, { cmd: "publish", topic: "t", payload: Buffer.alloc(39), qos: 1, retain: false, dup: false, brokerId: "b", brokerCounter: n });
    await publish(1);
    await publish(2);
    await p.outgoingUpdate({ id: "hosts:a" }, { cmd: "publish", brokerId: "b", brokerCounter: 1, messageId: 7 });
    await expect(p.outgoingUpdate({ id: "hosts:a" }, { cmd: "pubrel", messageId: 7 })).resolves.toBeUndefined();
    expect(p.queued("hosts:a").map((q) => q.cmd)).toEqual(["pubrel", "publish"]);
    await publish(3); // 80 bytes with the PUBREL counted as nothing: it fits
    expect(p.queued("hosts:a")).toHaveLength(3);
    await expect(p.outgoingUpdate({ id: "hosts:a" }, { cmd: "pubrel", messageId: 99 })).resolves.toBeUndefined(); // for nothing queued
    expect(await p.outgoingClearMessageId({ id: "hosts:a" }, { cmd: "pubcomp", messageId: 7 })).toMatchObject({ cmd: "pubrel" });
    expect(overflows).toEqual([]);
  });

  it("R33 a session forgotten, or cleaned by a clean connect, loses its queue and its subscriptions", async () => {
    const p = new SessionPersistence(LIMITS);
    await p.addSubscriptions({ id: "hosts:a" }, [{ topic: "impnet/00/+/+", qos: 1 }]);
    await p.outgoingEnqueue({ clientId: "hosts:a" }, { cmd: "publish", topic: "t", payload: Buffer.from("x"), qos: 1, retain: false, dup: false, brokerId: "b", brokerCounter: 1 });
    expect(p.queued("hosts:a")).toHaveLength(1);
    await p.forget("hosts:a");
    expect(p.queued("hosts:a")).toHaveLength(0);
    expect(await p.subscriptionsByClient({ id: "hosts:a" })).toEqual([]);
  });
});
