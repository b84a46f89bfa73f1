import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Aedes, Client } from "aedes";
import { z } from "zod";
import type { Clock, TimerId } from "../clock/clock.js";
import { SERVICE_FILTER } from "./broker-auth.js";
import { CloudStartError } from "./cloud-errors.js";
import type { SessionPersistence } from "./session-persistence.js";
import { isServiceClientId } from "../wire/topics.js";

export const SESSIONS_FILE = "sessions.json";
/** An agent host's session that stays offline this long is forgotten, with what was queued for it. */
export const SESSION_EXPIRY_MS = 60 * 60 * 1000;

const QoS = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const FileSchema = z.object({
  version: z.literal(1),
  sessions: z.record(
    z.string().refine(isServiceClientId, "not a service user's client id"),
    z.object({
      /** Wall ms; the time of the save for a session that was connected then. */
      offlineSince: z.number(),
      // What the broker would let the service user subscribe to: the file cannot widen it.
      subscriptions: z.array(z.object({ topic: z.string().regex(SERVICE_FILTER, "not a filter an agent host may subscribe to"), qos: QoS })),
      queued: z.array(z.object({ topic: z.string().min(1), qos: QoS, retain: z.boolean(), payload: z.base64() })),
    }),
  ),
});
type Stored = z.infer<typeof FileSchema>["sessions"];

/**
 * The persistent sessions of agent hosts (service users connect with
 * clean:false), kept in a file beside the registry so that the embedded
 * broker, restarted, still knows what each host subscribed to and what waited
 * for it: a device that reconnects first publishes to a session that exists,
 * not into the void. Saved when a session subscribes, unsubscribes or goes
 * offline, and at stop; a crash loses what was queued since the last save
 * (mosquitto's autosave has the same window). Devices' sessions are clean.
 */
export class ServiceSessions {
  /** Known sessions: when each went offline (wall ms), null while connected. */
  private readonly known = new Map<string, number | null>();
  private readonly expiry = new Map<string, TimerId>();
  private saving: Promise<void> = Promise.resolve();
  /** After stop: the broker closing its connections changes nothing that was saved. */
  private stopped = false;

  private constructor(
    private readonly file: string,
    private readonly broker: Aedes,
    private readonly persistence: SessionPersistence,
    private readonly clock: Clock,
    private readonly wall: Clock,
    private readonly warn: (text: string) => void,
  ) {}

  /**
   * Puts the saved sessions back into the broker's persistence (before it
   * accepts connections) and keeps the file current from then on.
   */
  static async restore(
    file: string,
    broker: Aedes,
    persistence: SessionPersistence,
    clocks: { clock: Clock; wall: Clock },
    warn: (text: string) => void,
  ): Promise<ServiceSessions> {
    const stored = load(file);
    const sessions = new ServiceSessions(file, broker, persistence, clocks.clock, clocks.wall, warn);
    const ids = broker as unknown as { id: string; counter: number }; // what aedes stamps on each publish it routes
    for (const [id, s] of Object.entries(stored)) {
      // A time in the future (a clock set back, an edited file) counts as now: the hour is never longer.
      const offlineFor = Math.max(0, clocks.wall.now() - s.offlineSince);
      if (offlineFor >= SESSION_EXPIRY_MS) continue;
      await persistence.addSubscriptions({ id }, s.subscriptions);
      for (const q of s.queued) {
        const packet = { cmd: "publish", topic: q.topic, payload: Buffer.from(q.payload, "base64"), qos: q.qos, retain: q.retain, dup: false, brokerId: ids.id, brokerCounter: ++ids.counter };
        await persistence.outgoingEnqueue({ clientId: id }, packet);
      }
      sessions.wentOffline(id, s.offlineSince, SESSION_EXPIRY_MS - offlineFor);
    }
    sessions.watch();
    return sessions;
  }

  /** Saves the sessions as they are, every one marked offline from now. */
  async stop(): Promise<void> {
    this.close();
    await this.save();
  }

  /** Stops watching and the expiry timers, and writes nothing: for a start that failed (the file may be another process's). */
  close(): void {
    this.stopped = true;
    for (const timer of this.expiry.values()) this.clock.clearTimer(timer);
    this.expiry.clear();
  }

  private watch(): void {
    this.broker.on("client", (client: Client) => {
      if (this.stopped || !isServiceClientId(client.id)) return;
      this.cancelExpiry(client.id);
      if (client.clean) {
        // aedes has dropped the session: so do we.
        if (this.known.delete(client.id)) void this.save();
        return;
      }
      this.known.set(client.id, null);
      void this.save(); // online now: a crash before its next change must not restore it as offline since long ago
    });
    this.broker.on("clientDisconnect", (client: Client) => {
      if (this.stopped || !this.known.has(client.id)) return;
      const current = (this.broker as unknown as { clients: Record<string, Client | undefined> }).clients[client.id];
      if (current !== undefined && current !== client) return; // taken over by a new connection, still online
      this.wentOffline(client.id, this.wall.now(), SESSION_EXPIRY_MS);
      void this.save();
    });
    const changed = (_: unknown, client: Client | null) => {
      if (!this.stopped && client !== null && this.known.has(client.id)) void this.save();
    };
    this.broker.on("subscribe", changed);
    this.broker.on("unsubscribe", changed);
  }

  private wentOffline(id: string, since: number, expiresInMs: number): void {
    this.known.set(id, since);
    this.cancelExpiry(id);
    this.expiry.set(
      id,
      this.clock.setTimer(expiresInMs, () => {
        this.expiry.delete(id);
        this.known.delete(id);
        void this.persistence.forget(id).then(() => this.save());
      }),
    );
  }

  private cancelExpiry(id: string): void {
    const timer = this.expiry.get(id);
    if (timer !== undefined) this.clock.clearTimer(timer);
    this.expiry.delete(id);
  }

  /** One write at a time, each of the state at its turn; a failed write is a warning, not a crash. */
  private save(): Promise<void> {
    this.saving = this.saving.then(() =>
      this.write().catch((e: unknown) => this.warn(`cannot save the agent hosts' sessions to ${this.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)),
    );
    return this.saving;
  }

  private async write(): Promise<void> {
    const sessions: Stored = {};
    const now = this.wall.now();
    for (const [id, offlineSince] of this.known) {
      const subscriptions = await this.persistence.subscriptionsByClient({ id });
      sessions[id] = {
        offlineSince: offlineSince ?? now,
        subscriptions: subscriptions.map(({ topic, qos }) => ({ topic, qos })),
        // A QoS 2 delivery half done (its PUBREL) is the client's already: only publishes are kept.
        queued: this.persistence
          .queued(id)
          .filter((p) => p.cmd === "publish")
          .map((p) => ({ topic: p.topic, qos: p.qos, retain: p.retain, payload: p.payload.toString("base64") })),
      };
    }
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: 1, sessions }), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

/** The saved sessions; none when there is no file yet. */
function load(file: string): Stored {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CloudStartError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CloudStartError(`${file}: not JSON (the agent hosts' saved sessions; remove the file to start without them)`);
  }
  const result = FileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    // zod reports a bad record key as "Invalid key in record", its own message one level down.
    const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    throw new CloudStartError(`${file}: ${issue.path.join(".") || "the file"}: ${message} (the agent hosts' saved sessions; remove the file to start without them)`);
  }
  return result.data.sessions;
}
