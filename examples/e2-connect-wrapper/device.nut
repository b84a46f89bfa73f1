// E2: a connect wrapper whose callback always runs. server.connect() does not
// call back when already connected (R09); this wrapper does, on a later turn.
function connectAlways(callback, timeout) {
  if (server.isconnected()) imp.wakeup(0, function() { callback(SERVER_CONNECTED); });
  else server.connect(callback, timeout);
}

server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);

// Every 30 s, make sure we are connected and note the outcome, connected or not.
nv.outcomes <- [];
function report() {
  connectAlways(function(reason) {
    nv.outcomes.append(reason);
    server.log("connect → " + reason); // reaches the server only when connected
  }, 20);
  imp.wakeup(30, report);
}
report();
