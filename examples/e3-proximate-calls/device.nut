// E3: proximate calls. Two sensor triggers close together each ask to connect;
// with one callback slot (R08) the second registration would swallow the first.

// The flag form: one flag per trigger, one shared callback; each action runs once, then disconnect when idle.
class Flagged {
  _wanted = null;
  constructor() {
    _wanted = {};
  }
  function trigger(name, action) {
    _wanted[name] <- action;
    server.connect(_onConnected.bindenv(this), 30);
  }
  function _onConnected(reason) {
    if (reason != SERVER_CONNECTED) return;
    // In the order the triggers came, as the JavaScript version's Map keeps them.
    foreach (name in ["door", "motion"]) {
      if (name in _wanted) {
        local action = delete _wanted[name];
        action();
      }
    }
    imp.onidle(function() { server.disconnect(); });
  }
}

// The queued form: every caller's callback receives the outcome.
class Queued {
  _waiting = null;
  constructor() {
    _waiting = [];
  }
  function connect(callback, timeout = 30) {
    _waiting.append(callback);
    if (server.isconnected()) imp.wakeup(0, function() { _settle(SERVER_CONNECTED); }.bindenv(this));
    else server.connect(_settle.bindenv(this), timeout);
  }
  function _settle(reason) {
    local callbacks = _waiting;
    _waiting = [];
    foreach (cb in callbacks) cb(reason);
  }
}

server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
server.disconnect();

local flags = Flagged();
imp.wakeup(10, function() { flags.trigger("door", function() { server.log("door opened"); }); });
imp.wakeup(10.5, function() { flags.trigger("motion", function() { server.log("motion seen"); }); });

local queue = Queued();
imp.wakeup(60, function() { queue.connect(function(r) { server.log("first caller: " + r); }); });
imp.wakeup(60.5, function() { queue.connect(function(r) { server.log("second caller: " + r); }); });
