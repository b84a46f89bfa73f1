// E2: a connect wrapper whose callback always runs. server.connect() does not
// call back when already connected (R09); this wrapper does, on a later turn.
export function connectAlways({ server, imp, SERVER_CONNECTED }, callback, timeout) {
  if (server.isconnected()) imp.wakeup(0, () => callback(SERVER_CONNECTED));
  else server.connect(callback, timeout);
}

export default function main(root) {
  const { server, imp, nv, RETURN_ON_ERROR, WAIT_TIL_SENT } = root;
  server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
  // Every 30 s, make sure we are connected and note the outcome, connected or not.
  nv.outcomes = [];
  const report = () => {
    connectAlways(
      root,
      (reason) => {
        nv.outcomes.push(reason);
        server.log(`connect → ${reason}`); // reaches the server only when connected
      },
      20,
    );
    imp.wakeup(30, report);
  };
  report();
}
