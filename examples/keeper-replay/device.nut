// Readings kept in nv until the agent acknowledges them, replayed in order
// after an outage, with a small connection keeper in the style of Electric
// Imp's ConnectionManager (our own code: bring the real library with
// #require and --libs if you use it). A reading a minute; the server goes
// away for six and a half minutes.

// Stays connected: retries with a capped, jittered backoff; lines logged
// while offline are kept and sent, time-stamped, once back.
class Keeper {
  _connected = false;
  _onConnect = null;
  _onDisconnect = null;
  _offline = null;
  _minDelay = 0;
  _maxDelay = 0;
  _delay = 0;

  constructor(minDelay, maxDelay) {
    _offline = [];
    _minDelay = minDelay;
    _maxDelay = maxDelay;
    _delay = minDelay;
    server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
    server.onunexpecteddisconnect(_lost.bindenv(this));
    _connected = server.isconnected();
    if (!_connected) _connect();
  }

  function onConnect(callback) { _onConnect = callback; }
  function onDisconnect(callback) { _onDisconnect = callback; }
  function isConnected() { return _connected; }

  function log(line) {
    if (_connected) server.log(line);
    else _offline.append(time() + " - " + line);
  }

  function _connect() {
    server.connect(_result.bindenv(this), 30);
  }

  function _result(reason) {
    if (reason != SERVER_CONNECTED) {
      // Full jitter: anywhere up to the current delay, so a fleet does not retry in step.
      local wait = _delay * (math.rand() % 1000) / 1000.0;
      _delay = _delay * 2 > _maxDelay ? _maxDelay : _delay * 2;
      imp.wakeup(wait, _connect.bindenv(this));
      return;
    }
    _connected = true;
    _delay = _minDelay;
    foreach (line in _offline) server.log(line);
    _offline = [];
    if (_onConnect != null) _onConnect();
  }

  function _lost(reason) {
    _connected = false;
    if (_onDisconnect != null) _onDisconnect(false);
    _connect();
  }
}

local keeper = Keeper(5, 60);

// nv survives deep sleep and program restarts (not a cold boot): the queue lives there.
if (!("unsent" in nv)) nv.unsent <- [];   // readings the agent has not acknowledged, oldest first
if (!("nextId" in nv)) nv.nextId <- 1;
local inFlight = {};                        // ids sent on the current connection

function sendPending() {
  if (!keeper.isConnected()) return;
  foreach (reading in nv.unsent) {
    if (reading.id in inFlight) continue;
    // 0 means handed to the transport; anything else: offline, keep it and the rest.
    if (agent.send("reading", reading) != 0) return;
    inFlight[reading.id] <- true;
  }
}

// The agent acknowledges cumulatively: every reading up to `id` is stored in the cloud.
agent.on("ack", function(id) {
  nv.unsent = nv.unsent.filter(@(i, r) r.id > id);
  foreach (sent, _ in clone inFlight) if (sent <= id) delete inFlight[sent];
});

keeper.onConnect(function() {
  local waiting = nv.unsent.filter(@(i, r) !(r.id in inFlight)).len();
  if (waiting > 0) keeper.log("replaying " + waiting + " readings");
  sendPending();
});
keeper.onDisconnect(function(expected) {
  inFlight = {};   // unacknowledged sends on the old connection go again on the next
  keeper.log("offline (" + (expected ? "asked" : "lost") + "); readings kept in nv");
});

function take() {
  local id = nv.nextId++;
  nv.unsent.append({ id = id, t = time(), celsius = 20 + (id % 7) / 2.0 });
  sendPending();
  imp.wakeup(60, take);
}
take();
