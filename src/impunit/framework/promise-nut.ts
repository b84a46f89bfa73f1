/**
 * impnet's own Squirrel implementation of a `Promise` class compatible with
 * Electric Imp's Promise library 4.x (`Promise.lib.nut`), which impUnit
 * requires (impunit.md T1 "Framework libraries"). Written for impnet; the
 * behaviour follows the published library's documented and observable
 * semantics:
 *
 * - the executor runs at once with `resolve` and `reject` (both optional-
 *   argument); an error it throws rejects the promise;
 * - only the first settlement counts; resolving with an instance that has a
 *   `then` method adopts its outcome (the promise stays pending meanwhile);
 * - handlers registered with `then`/`fail`/`finally` always run on a later
 *   turn, through `imp.wakeup(0, ...)`, in registration order; a handler's
 *   return value resolves the promise `then` returned, an error it throws
 *   rejects it; a missing handler passes the value or reason on;
 * - `finally(h)` is `then(h, h)` (its return value is passed on);
 * - a rejected promise on which `then` was never called logs
 *   "Unhandled promise rejection: <reason>" with `server.log`;
 * - `Promise.all`/`race` take an array of promises or functions returning
 *   promises (an empty array resolves with an empty array, for both);
 *   `Promise.loop(continue, next)` and `Promise.serial(array)` run promises
 *   one after another, resolving with the last value or rejecting with the
 *   first reason; `serial` of a non-array rejects.
 *
 * The Squirrel code holds no backtick and no dollar-brace, so String.raw
 * passes it through unchanged (backslashes included).
 */
export const PROMISE_NUT = String.raw`
class Promise {
    static VERSION = "4.0.1";

    static STATE_PENDING = 0;
    static STATE_FULFILLED = 1;
    static STATE_REJECTED = 2;

    _state = null;
    _value = null;
    _last = null;
    _handlers = null;

    constructor(executor) {
        _state = STATE_PENDING;
        _value = null;
        _last = true;
        _handlers = [];
        local settleOk = _resolve.bindenv(this);
        local settleFail = _reject.bindenv(this);
        try {
            executor(settleOk, settleFail);
        } catch (problem) {
            _reject(problem);
        }
    }

    function _isPromise(candidate) {
        if (typeof candidate != "instance") return false;
        if (!("then" in candidate)) return false;
        return typeof candidate.then == "function";
    }

    function _resolve(value = null) {
        if (_state != STATE_PENDING) return;
        if (_isPromise(value)) {
            value.then(_resolve.bindenv(this), _reject.bindenv(this));
            return;
        }
        _state = STATE_FULFILLED;
        _value = value;
        _schedule();
    }

    function _reject(reason = null) {
        if (_state != STATE_PENDING) return;
        _state = STATE_REJECTED;
        _value = reason;
        _schedule();
    }

    function _schedule() {
        if (_state == STATE_PENDING) return;
        imp.wakeup(0, _drain.bindenv(this));
    }

    function _drain() {
        if (_state == STATE_REJECTED && _last && _handlers.len() == 0) {
            server.log("Unhandled promise rejection: " + _value);
        }
        local queue = _handlers;
        local n = 0;
        while (n < queue.len()) {
            _deliver(queue[n]);
            n += 1;
        }
        _handlers = [];
    }

    function _deliver(entry) {
        try {
            if (_state == STATE_FULFILLED) {
                entry.resolve(entry.onFulfilled(_value));
            } else {
                entry.resolve(entry.onRejected(_value));
            }
        } catch (problem) {
            entry.reject(problem);
        }
    }

    function then(onFulfilled = null, onRejected = null) {
        local entry = {
            onFulfilled = (typeof onFulfilled == "function") ? onFulfilled : Promise._onFulfilled,
            onRejected = (typeof onRejected == "function") ? onRejected : Promise._onRejected,
            resolve = null,
            reject = null
        };
        _last = false;
        local child = Promise(function (ok, ko) {
            entry.resolve = ok;
            entry.reject = ko;
        });
        _handlers.push(entry);
        _schedule();
        return child;
    }

    function fail(onRejected) {
        return then(null, onRejected);
    }

    function finally(handler) {
        return then(handler, handler);
    }

    static function _onFulfilled(value) {
        return value;
    }

    static function _onRejected(reason) {
        throw reason;
    }

    static function resolve(value) {
        return Promise(function (ok, ko) {
            ok(value);
        });
    }

    static function reject(reason) {
        return Promise(function (ok, ko) {
            ko(reason);
        });
    }

    static function _gather(items, everyOne) {
        return Promise(function (ok, ko) {
            local total = items.len();
            local results = array(total);
            if (total == 0) {
                ok(results);
                return;
            }
            local pending = total;
            local watch = function (slot, item) {
                item.then(function (value) {
                    if (!everyOne) {
                        ok(value);
                        return;
                    }
                    results[slot] = value;
                    pending -= 1;
                    if (pending == 0) ok(results);
                }, ko);
            };
            foreach (slot, item in items) {
                watch(slot, (typeof item == "function") ? item() : item);
            }
        });
    }

    static function all(promises) {
        return Promise._gather(promises, true);
    }

    static function race(promises) {
        return Promise._gather(promises, false);
    }

    static function loop(condition, next) {
        return Promise(function (ok, ko) {
            local latest = null;
            local step = null;
            step = function () {
                if (!condition()) {
                    ok(latest);
                    return;
                }
                next().then(function (value) {
                    latest = value;
                    imp.wakeup(0, step);
                }, ko);
            };
            imp.wakeup(0, step);
        });
    }

    static function serial(promises) {
        if (typeof promises != "array") {
            return Promise.reject("Promise.serial() not passed an array");
        }
        local position = 0;
        return Promise.loop(
            @() position < promises.len(),
            function () {
                local item = promises[position];
                position += 1;
                return (typeof item == "function") ? item() : item;
            }
        );
    }
}
`;
