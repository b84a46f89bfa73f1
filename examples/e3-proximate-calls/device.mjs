// E3: proximate calls. Two sensor triggers close together each ask to connect;
// with one callback slot (R08) the second registration would swallow the first.

/** The flag form: one flag per trigger, one shared callback; each action runs once, then disconnect when idle. */
export function flagged({ server, imp, SERVER_CONNECTED }) {
  const wanted = new Map(); // trigger name → action
  const onConnected = (reason) => {
    if (reason !== SERVER_CONNECTED) return;
    for (const [name, action] of wanted) {
      wanted.delete(name);
      action();
    }
    imp.onidle(() => server.disconnect());
  };
  return (name, action) => {
    wanted.set(name, action);
    server.connect(onConnected, 30);
  };
}

/** The queued form: every caller's callback receives the outcome. */
export function queued({ server, imp, SERVER_CONNECTED }) {
  let waiting = [];
  const settle = (reason) => {
    const callbacks = waiting;
    waiting = [];
    for (const cb of callbacks) cb(reason);
  };
  return (callback, timeout = 30) => {
    waiting.push(callback);
    if (server.isconnected()) imp.wakeup(0, () => settle(SERVER_CONNECTED));
    else server.connect(settle, timeout);
  };
}

export default function main(root) {
  const { server, imp, RETURN_ON_ERROR, WAIT_TIL_SENT } = root;
  server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
  server.disconnect();

  const trigger = flagged(root);
  imp.wakeup(10, () => trigger("door", () => server.log("door opened")));
  imp.wakeup(10.5, () => trigger("motion", () => server.log("motion seen")));

  const connect = queued(root);
  imp.wakeup(60, () => connect((r) => server.log(`first caller: ${r}`)));
  imp.wakeup(60.5, () => connect((r) => server.log(`second caller: ${r}`)));
}
