// Reporter: sends readings to the agent, and keeps them while the device is
// offline, in order, until the connection is back.
class Reporter {
  static VERSION = "1.0.0";

  _queue = null;
  _sent = 0;

  constructor() {
    _queue = [];
    server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
    server.onunexpecteddisconnect(function(reason) { _reconnect(); }.bindenv(this));
  }

  // Sends at once when connected; otherwise keeps the reading for later.
  function report(reading) {
    _queue.append(reading);
    if (server.isconnected()) flush();
  }

  function pending() { return _queue.len(); }
  function sent() { return _sent; }

  // Sends what is kept, oldest first; stops at the first send that fails.
  function flush() {
    while (_queue.len() > 0) {
      if (agent.send("reading", _queue[0]) != 0) return;
      _queue.remove(0);
      _sent++;
    }
  }

  function _reconnect() {
    server.connect(function(reason) {
      if (reason == SERVER_CONNECTED) flush();
      else imp.wakeup(10, _reconnect.bindenv(this));
    }.bindenv(this), 30);
  }
}
