/**
 * impnet's test runner (impunit.md T1), in Squirrel: it runs inside the
 * session's VM, where the test steps and their Promises live, and reports to
 * the host through `__impnet_test`, a table of natives the session gives it
 * (an impnet extension: it exists only in `impnet test` sessions).
 */
export const RUNNER_NUT = String.raw`
class __ImpnetTestRunner {
  timeout = 2;
  stopOnFail = false;
  onlyCase = null;
  onlyMethod = null;
  _steps = null;
  _next = 0;
  _stopped = false;

  function _isCase(cls) {
    for (local c = cls; c != null; c = c.getbase()) if (c == ImpTestCase) return cls != ImpTestCase;
    return false;
  }

  function run() {
    // Cases keyed by name, inserted in root-table order: the run follows that table's own order (S2).
    local cases = {};
    foreach (name, value in getroottable()) if (typeof value == "class" && _isCase(value)) cases[name] <- value;
    _steps = [];
    foreach (name, cls in cases) {
      if (onlyCase != null && onlyCase != name) continue;
      local instance = cls();
      instance.runner = this;
      local methods = [];
      foreach (member, value in cls) {
        if (typeof member == "string" && member.len() >= 4 && member.slice(0, 4) == "test" && typeof value == "function") {
          if (onlyMethod == null || onlyMethod == member) methods.append(member);
        }
      }
      methods.sort();
      if ("setUp" in cls) _steps.append({ name = name, instance = instance, method = "setUp", test = false });
      foreach (m in methods) _steps.append({ name = name, instance = instance, method = m, test = true });
      if ("tearDown" in cls) _steps.append({ name = name, instance = instance, method = "tearDown", test = false });
    }
    _step();
  }

  function info(value) {
    __impnet_test.info(value);
  }

  function runCommand(command = "") {
    __impnet_test.runCommand(command);
  }

  function _step() {
    while (!_stopped && _next < _steps.len()) {
      local step = _steps[_next++];
      local before = step.instance.assertions;
      local started = __impnet_test.now();
      local outcome = __impnet_test.attempt(step.instance, step.method);
      if (!outcome.ok) {
        _report(step, false, outcome.error, outcome.where, step.instance.assertions - before, started);
        continue;
      }
      local result = outcome.value;
      if (("Promise" in getroottable()) && (result instanceof ::Promise)) {
        _await(step, result, before, started);
        return;
      }
      local took = (__impnet_test.now() - started) / 1000.0;
      if (took > timeout) _report(step, false, "Test took " + took + "s, longer than timeout of " + timeout + "s", null, step.instance.assertions - before, started);
      else _report(step, true, null, null, step.instance.assertions - before, started);
    }
    if (!_stopped) {
      _stopped = true;
      __impnet_test.done();
    }
  }

  function _await(step, promise, before, started) {
    local settled = false;
    local counted = null;
    local runner = this;
    local timer = imp.wakeup(timeout, function() {
      if (settled) return;
      settled = true;
      counted = step.instance.assertions - before;
      runner._report(step, false, "Test timed out after " + runner.timeout + "s", null, counted, started);
      runner._step();
    });
    local finish = function(ok, value) {
      if (settled) return;
      settled = true;
      imp.cancelwakeup(timer);
      runner._report(step, ok, ok ? null : value, null, step.instance.assertions - before, started);
      runner._step();
    };
    promise.then(function(value) { finish(true, value); }, function(error) { finish(false, error); });
  }

  function _report(step, ok, message, where, assertions, started) {
    __impnet_test.result({
      name = step.name,
      method = step.method,
      test = step.test,
      ok = ok,
      message = message == null ? null : message + "",
      where = where,
      assertions = assertions,
      ms = __impnet_test.now() - started
    });
    if (!ok && stopOnFail) {
      _stopped = true;
      __impnet_test.done();
    }
  }
}
`;
