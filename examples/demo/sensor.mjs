// A sensor that manages its own connection: RETURN_ON_ERROR, retry a minute
// after a failure, one reading a minute while online.
export default function main({ server, imp, agent, SERVER_CONNECTED, RETURN_ON_ERROR, WAIT_TIL_SENT }) {
  server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);

  const connect = () =>
    server.connect((reason) => {
      if (reason !== SERVER_CONNECTED) imp.wakeup(60, connect);
    }, 30);

  server.onunexpecteddisconnect(() => imp.wakeup(5, connect));

  let reading = 0;
  const sample = () => {
    reading += 1;
    if (server.isconnected()) agent.send("reading", { n: reading });
    imp.wakeup(60, sample);
  };

  if (!server.isconnected()) connect();
  sample();
}
