// A sensor that manages its own connection: RETURN_ON_ERROR, retry a minute
// after a failure, one reading a minute while online.
server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);

function connect() {
  server.connect(function(reason) {
    if (reason != SERVER_CONNECTED) imp.wakeup(60, connect);
  }, 30);
}

server.onunexpecteddisconnect(function(reason) { imp.wakeup(5, connect); });

reading <- 0;
function sample() {
  reading++;
  if (server.isconnected()) agent.send("reading", { n = reading });
  imp.wakeup(60, sample);
}

if (!server.isconnected()) connect();
sample();
