import { Readable } from "node:stream";
import MemoryPersistence from "aedes-persistence/asyncPersistence.js";

/** What a session's queue of QoS 1 deliveries may hold before new ones are dropped (mosquitto's max_queued_messages/bytes). */
export interface QueueLimits {
  messages: number;
  bytes: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { messages: 10_000, bytes: 16 * 1024 * 1024 };

/** One queued delivery, as aedes hands it over (an aedes-packet). */
export interface QueuedPublish {
  cmd: "publish";
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  dup: boolean;
  brokerId: string;
  brokerCounter: number;
  messageId?: number | undefined;
}

/** A QoS 2 delivery the client has received (PUBREC): aedes keeps the PUBREL in its place until PUBCOMP. */
export interface QueuedPubrel {
  cmd: "pubrel";
  messageId: number;
}

export type QueuedPacket = QueuedPublish | QueuedPubrel;

interface Queue {
  packets: QueuedPacket[];
  bytes: number;
  /** Whether deliveries are being dropped: reported once, until the queue is back under half its limits. */
  overflowing: boolean;
}

type ClientRef = { id: string };

/**
 * aedes' in-memory persistence with each session's queue of QoS 1 deliveries
 * bounded and readable. aedes keeps every delivery for a persistent session
 * until it is acknowledged, without limit: an agent host that never came back
 * (`impnet run --agent` leaves one per partition it served) made the broker
 * grow with every message for its partitions. The queues are readable so that
 * they can outlive the broker (ServiceSessions saves them).
 *
 * A delivery past the limits is dropped from the queue, not from the wire: a
 * connected client still gets it, without a copy kept for a reconnect.
 */
export class SessionPersistence extends MemoryPersistence {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly limits: QueueLimits = DEFAULT_QUEUE_LIMITS,
    /** Called once each time a session's queue starts dropping deliveries. */
    private readonly onOverflow: (clientId: string) => void = () => {},
  ) {
    super();
  }

  /** The deliveries waiting for a session, oldest first. */
  queued(clientId: string): readonly QueuedPacket[] {
    return this.queues.get(clientId)?.packets ?? [];
  }

  /** Forgets a session: its subscriptions and what was queued for it. */
  async forget(clientId: string): Promise<void> {
    await this.cleanSubscriptions({ id: clientId });
  }

  override async cleanSubscriptions(client: ClientRef): Promise<void> {
    await super.cleanSubscriptions(client);
    this.queues.delete(client.id);
  }

  // aedes calls these from its packet handlers: a synchronous throw there would take the broker down, so every one settles.

  override outgoingEnqueue(sub: { clientId: string }, packet: unknown): Promise<void> {
    return settle(() => this.enqueue(sub.clientId, packet as QueuedPublish));
  }

  override outgoingEnqueueCombi(subs: { clientId: string }[], packet: unknown): Promise<void> {
    return settle(() => {
      for (const sub of subs) this.enqueue(sub.clientId, packet as QueuedPublish);
    });
  }

  /** A delivery was sent (its packet id), or a QoS 2 one received (its PUBREL takes its place). */
  override outgoingUpdate(client: ClientRef, update: unknown): Promise<void> {
    return settle(() => this.update(client.id, update as QueuedPacket));
  }

  override outgoingClearMessageId(client: ClientRef, acked: unknown): Promise<QueuedPacket | undefined> {
    return settle(() => this.clear(client.id, acked as Partial<QueuedPublish>));
  }

  override outgoingStream(client: ClientRef): Readable {
    return Readable.from([...this.queued(client.id)]);
  }

  private update(clientId: string, packet: QueuedPacket): void {
    const queue = this.queues.get(clientId);
    if (queue === undefined) return;
    const replace = (i: number) => {
      queue.bytes += sizeOf(packet) - sizeOf(queue.packets[i]!);
      queue.packets[i] = packet;
    };
    if (packet.cmd === "pubrel") {
      const i = queue.packets.findIndex((q) => q.messageId === packet.messageId);
      if (i >= 0) replace(i);
      return;
    }
    // aedes' rules: the same publish (broker and counter) gets its packet id; one from another broker with that id replaces it.
    for (let i = 0; i < queue.packets.length; i++) {
      const queued = queue.packets[i]!;
      if (queued.cmd !== "publish") continue;
      if (queued.brokerId === packet.brokerId) {
        if (queued.brokerCounter === packet.brokerCounter) {
          queued.messageId = packet.messageId;
          return;
        }
      } else if (queued.messageId === packet.messageId) {
        replace(i);
        return;
      }
    }
    // Not queued (dropped past the limits): aedes would treat a throw as a client error and close a healthy connection.
  }

  /** Removes a delivery: by its packet id once sent, or as the same publish when aedes drops one it never sent. */
  private clear(clientId: string, acked: Partial<QueuedPublish>): QueuedPacket | undefined {
    const queue = this.queues.get(clientId);
    if (queue === undefined) return undefined;
    const same = (p: QueuedPacket) =>
      acked.messageId === undefined ? p.cmd === "publish" && p.brokerId === acked.brokerId && p.brokerCounter === acked.brokerCounter : p.messageId === acked.messageId;
    const i = queue.packets.findIndex(same);
    if (i < 0) return undefined;
    const [packet] = queue.packets.splice(i, 1);
    queue.bytes -= sizeOf(packet!);
    if (queue.packets.length < this.limits.messages / 2 && queue.bytes < this.limits.bytes / 2) queue.overflowing = false;
    if (queue.packets.length === 0) this.queues.delete(clientId);
    return packet;
  }

  private enqueue(clientId: string, packet: QueuedPublish): void {
    let queue = this.queues.get(clientId);
    if (queue === undefined) {
      queue = { packets: [], bytes: 0, overflowing: false };
      this.queues.set(clientId, queue);
    }
    const size = sizeOf(packet);
    if (queue.packets.length >= this.limits.messages || queue.bytes + size > this.limits.bytes) {
      if (!queue.overflowing) this.onOverflow(clientId);
      queue.overflowing = true;
      return;
    }
    // A copy per session: each gets its own packet id.
    queue.packets.push({ ...packet, messageId: undefined });
    queue.bytes += size;
  }
}

function sizeOf(packet: QueuedPacket): number {
  return packet.cmd === "publish" ? Buffer.byteLength(packet.topic) + packet.payload.length : 0;
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
