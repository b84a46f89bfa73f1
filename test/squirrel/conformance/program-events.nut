// S3: a small event emitter and task queue, as imp code writes them: closures bound with bindenv, callbacks
// stored in tables and arrays, varargs forwarding with acall, errors caught per callback.
class Emitter {
  _handlers = null;
  constructor() { _handlers = {}; }
  function on(event, cb) {
    if (!(event in _handlers)) _handlers[event] <- [];
    _handlers[event].append(cb);
    return this;
  }
  function emit(event, ...) {
    if (!(event in _handlers)) return 0;
    local n = 0;
    foreach (cb in _handlers[event]) {
      try { cb.acall([this].extend(vargv) == null ? [this] : [this]); n++; }
      catch (e) { ::log("handler failed: " + e); }
    }
    return n;
  }
}
::lines <- [];
function log(s) { ::lines.append(s); }
class Device {
  name = null; count = 0;
  constructor(n) { name = n; }
  function attach(em) {
    em.on("ping", function() { count++; log(name + " got ping " + count); }.bindenv(this));
    em.on("ping", function() { throw "boom from " + name; }.bindenv(this));
  }
}
local em = Emitter();
local d1 = Device("d1"), d2 = Device("d2");
d1.attach(em);
d2.attach(em);
print(em.emit("ping", 1, 2) + " " + em.emit("ping") + " " + em.emit("none") + "\n");
foreach (l in lines) print(l + "\n");
print(d1.count + " " + d2.count + "\n");
local queue = [];
function later(fn, ...) { local args = [null]; args.extend(vargv); queue.append(@() fn.acall(args)); }
later(@(a, b) log("sum " + (a + b)), 2, 3);
later(function(s) { log("upper " + s.toupper()); }, "abc");
later(function() { log("no args"); });
lines.clear();
while (queue.len() > 0) queue.remove(0)();
foreach (l in lines) print(l + "\n");
function counterGen(limit) { local i = 0; while (i < limit) yield i++; }
local total = 0;
foreach (v in counterGen(5)) total += v;
local g = counterGen(2);
print(total + " " + resume g + " " + resume g + " " + g.getstatus() + "\n");
local memo = {};
function mfib(n) {
  if (n in memo) return memo[n];
  local r = n < 2 ? n : mfib(n - 1) + mfib(n - 2);
  memo[n] <- r;
  return r;
}
print(mfib(40) + " " + mfib(46) + " " + mfib(47) + "\n");
