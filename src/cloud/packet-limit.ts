import type { Socket } from "node:net";

export interface PacketLimits {
  /** The largest first packet (CONNECT): what a client that has not logged in may make the broker hold. */
  first: number;
  /** The largest packet after it. */
  later: number;
}

/**
 * Closes a connection as soon as an MQTT packet's fixed header claims more
 * than the limit. The broker's parser buffers a packet until all of its
 * claimed length has arrived, so without this a client could make it hold
 * 256 MB per socket, before logging in. Reads what the broker reads, in step
 * with it (a 'data' listener beside its own), and keeps only a few bytes of
 * state across chunks.
 */
export function limitPackets(socket: Socket, limits: PacketLimits): void {
  let packets = 0;
  /** Bytes of the current packet's body still to skip; -1 while reading a fixed header. */
  let skip = -1;
  let length = 0;
  let shift = 0;
  let headerBytes = 0;
  socket.on("data", (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        if (skip === 0) skip = -1;
        continue;
      }
      const byte = chunk[i++]!;
      headerBytes++;
      if (headerBytes === 1) continue; // type and flags
      length += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte & 0x80) {
        if (headerBytes > 4) return void socket.destroy(); // a remaining length takes at most 4 bytes
        continue;
      }
      const limit = packets === 0 ? limits.first : limits.later;
      if (length > limit) return void socket.destroy();
      packets++;
      skip = length === 0 ? -1 : length;
      length = 0;
      shift = 0;
      headerBytes = 0;
    }
  });
}
