// aedes-persistence ships its memory persistence without a module path for its types: what impnet extends and calls.
declare module "aedes-persistence/asyncPersistence.js" {
  import type { Readable } from "node:stream";

  type ClientRef = { id: string };
  export default class MemoryPersistence {
    setup(broker: unknown): Promise<void>;
    addSubscriptions(client: ClientRef, subs: { topic: string; qos: 0 | 1 | 2 }[]): Promise<void>;
    subscriptionsByClient(client: ClientRef): Promise<{ topic: string; qos: 0 | 1 | 2 }[]>;
    cleanSubscriptions(client: ClientRef): Promise<void>;
    outgoingEnqueue(sub: { clientId: string }, packet: unknown): Promise<void>;
    outgoingEnqueueCombi(subs: { clientId: string }[], packet: unknown): Promise<void>;
    outgoingUpdate(client: ClientRef, packet: unknown): Promise<void>;
    outgoingClearMessageId(client: ClientRef, packet: unknown): Promise<unknown>;
    outgoingStream(client: ClientRef): Readable;
  }
}
