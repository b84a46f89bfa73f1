// ConnectionManager with ReplayMessenger-style persistence: a reading every
// minute, sent to the agent while connected; every reading stays in nv until the
// agent acknowledges it, so the ones taken during an outage (or lost in flight)
// are replayed in order after reconnecting.
import { ConnectionManager, CM_START_CONNECTED } from "impnet";

export default function main(root) {
  const { agent, imp, nv } = root;

  const cm = new ConnectionManager(root, {
    startBehavior: CM_START_CONNECTED,
    stayConnected: true,
    // Back off between failed attempts instead of retrying back to back.
    retry: { minDelay: 5, maxDelay: 60, jitter: "full" },
  });

  // nv survives deep sleep and program restarts (not a cold boot): the queue lives there.
  nv.unsent ??= []; // readings the agent has not acknowledged, oldest first
  nv.nextId ??= 1;
  let inFlight = new Set(); // ids sent on the current connection

  const sendPending = () => {
    if (!cm.isConnected()) return;
    for (const reading of nv.unsent) {
      if (inFlight.has(reading.id)) continue;
      // 0 means handed to the transport; anything else: offline, keep it and the rest.
      if (agent.send("reading", reading) !== 0) return;
      inFlight.add(reading.id);
    }
  };

  // The agent acknowledges cumulatively: every reading up to `id` is stored in the cloud.
  agent.on("ack", (id) => {
    nv.unsent = nv.unsent.filter((r) => r.id > id);
    for (const sent of inFlight) if (sent <= id) inFlight.delete(sent);
  });

  cm.onConnect(() => {
    const waiting = nv.unsent.filter((r) => !inFlight.has(r.id)).length;
    if (waiting > 0) cm.log(`replaying ${waiting} readings`);
    sendPending();
  });
  cm.onDisconnect((expected) => {
    inFlight = new Set(); // unacknowledged sends on the old connection go again on the next
    // Logged while offline: ConnectionManager keeps the line and sends it, time-stamped, once back.
    cm.log(`offline (${expected ? "asked" : "lost"}); readings kept in nv`);
  });

  const take = () => {
    const id = nv.nextId++;
    nv.unsent.push({ id, t: root.time(), celsius: 20 + (id % 7) / 2 });
    sendPending();
    imp.wakeup(60, take);
  };
  take();
}
