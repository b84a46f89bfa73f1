import type { Aedes, Client } from "aedes";
import type { Clock } from "../clock/clock.js";
import type { TimelineSink } from "../timeline/events.js";
import { DEVICE_ID_PATTERN, isServiceClientId, SERVICE_CLIENT_ID_SEPARATOR } from "../wire/topics.js";

/**
 * The broker's logins as timeline lines, for whoever runs the cloud: who came
 * online and from where, who left and why, whose login was refused and why.
 * A refused line names what the client claimed to be, never its secret.
 */
export class LoginLines {
  /** Why a client's connection failed, kept until its close is reported. */
  private readonly errors = new WeakMap<Client, string>();

  constructor(
    private readonly sink: TimelineSink,
    private readonly clock: Clock,
    /** A service of the cloud's own (the embedded agent host): not worth a line. */
    private readonly internal: string,
  ) {}

  watch(broker: Aedes): void {
    broker.on("client", (client) => {
      const who = this.principal(client);
      if (who !== null) this.sink.write({ t: this.clock.now(), device: who.name, type: "online", kind: who.kind, ...peer(client) });
    });
    broker.on("clientError", (client, error) => this.errors.set(client, error.message));
    broker.on("clientDisconnect", (client) => {
      const who = this.principal(client);
      if (who === null) return;
      const why = (client as { _disconnected?: boolean })._disconnected === true ? "disconnected" : (this.errors.get(client) ?? "connection closed");
      this.sink.write({ t: this.clock.now(), device: who.name, type: "offline", kind: who.kind, why });
    });
  }

  refused(client: Client, username: string | undefined, why: string): void {
    const named = username !== undefined && DEVICE_ID_PATTERN.test(username);
    const claimed = username === undefined || named ? "" : ` (${JSON.stringify(username.slice(0, 64))} is not a device id)`;
    this.sink.write({ t: this.clock.now(), device: named ? username : "world", type: "refused", why: `${why}${claimed}`, ...peer(client) });
  }

  private principal(client: Client): { name: string; kind: "device" | "service" } | null {
    if (!isServiceClientId(client.id)) return { name: client.id, kind: "device" };
    const name = client.id.slice(0, client.id.indexOf(SERVICE_CLIENT_ID_SEPARATOR));
    return name === this.internal ? null : { name, kind: "service" };
  }
}

/** `from`: the peer's address and port, when the connection is a socket (the embedded agent host's is a pipe). */
function peer(client: Client): { from?: string } {
  const conn = client.conn as { remoteAddress?: string; remotePort?: number } | undefined;
  if (conn?.remoteAddress === undefined) return {};
  const address = conn.remoteAddress.replace(/^::ffff:/, ""); // an IPv4 peer on a dual-stack socket
  const host = address.includes(":") ? `[${address}]` : address;
  return { from: conn.remotePort === undefined ? host : `${host}:${conn.remotePort}` };
}
