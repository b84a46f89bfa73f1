import net from "node:net";

/**
 * A TCP forwarder to a local port that can go silent: after freeze() it keeps
 * every connection open and drops all bytes both ways, like a server whose
 * host vanished without closing anything.
 */
export async function startForwarder(targetPort: number): Promise<{ port: number; freeze(): void; dropAll(): void; stop(): Promise<void> }> {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
    }
    client.on("data", (d) => void (frozen || upstream.write(d)));
    upstream.on("data", (d) => void (frozen || client.write(d)));
    client.on("close", () => frozen || upstream.destroy());
    upstream.on("close", () => frozen || client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => (frozen = true),
    /** Resets every connection open now; new ones are still forwarded. */
    dropAll: () => {
      for (const s of sockets) s.resetAndDestroy();
      sockets.clear();
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
