import { describe, expect, it } from "vitest";
import { PROMISE_NUT } from "../../src/impunit/framework/promise-nut.js";
import { runNut } from "../support/squirrel.js";

/** Runs a program using Promise for a minute of virtual time; its server.log lines and error lines. */
const run = (code: string) => runNut(PROMISE_NUT + "\n" + code, "60s");

async function logsOf(code: string): Promise<string[]> {
  const { logs, errors } = await run(code);
  expect(errors).toEqual([]);
  return logs;
}

describe("T1 framework libraries: impnet's Promise (Promise 4.x compatible)", () => {
  it("T1 defines Promise in the root table, with VERSION and the state constants", async () => {
    expect(
      await logsOf(`
        server.log(typeof Promise + " " + Promise.VERSION);
        server.log(Promise.STATE_PENDING + " " + Promise.STATE_FULFILLED + " " + Promise.STATE_REJECTED);
        local p = Promise(function (ok, ko) {});
        server.log((p instanceof Promise) + " " + (Promise.resolve(1) instanceof Promise) + " " + (p.then() instanceof Promise));
      `),
    ).toEqual(["class 4.0.1", "0 1 2", "true true true"]);
  });

  it("T1 the executor runs at once; callbacks always run on a later turn, even on a settled promise", async () => {
    expect(
      await logsOf(`
        local p = Promise(function (ok, ko) { server.log("executor"); ok(1); });
        p.then(function (v) { server.log("then " + v); });
        Promise.reject("r").fail(function (r) { server.log("fail " + r); });
        server.log("sync");
        imp.wakeup(1, function () {
          p.then(function (v) { server.log("late then " + v); });
          server.log("sync 2");
        });
      `),
    ).toEqual(["executor", "sync", "then 1", "fail r", "sync 2", "late then 1"]);
  });

  it("T1 a promise resolved later calls its handlers in registration order, with no argument meaning null", async () => {
    expect(
      await logsOf(`
        local p = Promise(function (ok, ko) { imp.wakeup(2, function () { server.log("resolving"); ok(); }); });
        p.then(function (v) { server.log("first " + v); });
        p.then(function (v) { server.log("second " + v); });
        p.finally(function (v) { server.log("third " + v); });
      `),
    ).toEqual(["resolving", "first (null : 0x00000000)", "second (null : 0x00000000)", "third (null : 0x00000000)"]);
  });

  it("T1 chaining passes return values on; a handler returning a promise is waited for; non-function handlers pass through", async () => {
    expect(
      await logsOf(`
        Promise.resolve(1)
          .then(function (v) { return v + 1; })
          .then(null, function (r) { server.log("not called"); })
          .then(function (v) {
            return Promise(function (ok, ko) { imp.wakeup(1, function () { ok(v * 10); }); });
          })
          .then("not a function")
          .then(function (v) { server.log("value " + v); });
      `),
    ).toEqual(["value 20"]);
  });

  it("T1 a rejection skips onFulfilled handlers down to fail; a fail handler's value resumes the chain", async () => {
    expect(
      await logsOf(`
        Promise.reject("bad")
          .then(function (v) { server.log("skipped 1"); })
          .then(function (v) { server.log("skipped 2"); })
          .fail(function (r) { server.log("fail " + r); return "recovered"; })
          .then(function (v) { server.log("then " + v); }, function (r) { server.log("not called"); });
      `),
    ).toEqual(["fail bad", "then recovered"]);
  });

  it("T1 errors thrown in the executor or a handler become rejections; rethrowing in fail passes the reason on", async () => {
    expect(
      await logsOf(`
        Promise(function (ok, ko) { throw "in executor"; })
          .fail(function (r) { server.log("1 " + r); });
        Promise.resolve(5)
          .then(function (v) { throw "in handler " + v; })
          .fail(function (r) { throw r + " again"; })
          .fail(function (r) { server.log("2 " + r); });
        Promise.resolve(null)
          .then(function (v) { return v.missing; })
          .fail(function (r) { server.log("3 " + r); });
      `),
      // each hop down a chain takes a turn: chain 3 is one hop shorter than chain 2
    ).toEqual(["1 in executor", "3 the index 'missing' does not exist", "2 in handler 5 again"]);
  });

  it("T1 finally is then(h, h): it runs both ways with the value or reason, and its return value is passed on", async () => {
    expect(
      await logsOf(`
        Promise.resolve("yes").finally(function (x) { server.log("finally " + x); return "after"; })
          .then(function (v) { server.log("then " + v); });
        Promise.reject("no").finally(function (x) { server.log("finally " + x); })
          .then(function (v) { server.log("then " + v); });
      `),
    ).toEqual(["finally yes", "finally no", "then after", "then (null : 0x00000000)"]);
  });

  it("T1 only the first settlement counts: a second resolve, or a reject after resolve, is ignored", async () => {
    expect(
      await logsOf(`
        Promise(function (ok, ko) { ok(1); ok(2); ko(3); })
          .then(function (v) { server.log("a " + v); }, function (r) { server.log("a rejected " + r); });
        Promise(function (ok, ko) { ko(1); ok(2); ko(3); })
          .then(function (v) { server.log("b " + v); }, function (r) { server.log("b rejected " + r); });
        Promise(function (ok, ko) { ok(1); throw "ignored"; })
          .then(function (v) { server.log("c " + v); }, function (r) { server.log("c rejected " + r); });
      `),
    ).toEqual(["a 1", "b rejected 1", "c 1"]);
  });

  it("T1 resolving with a promise (or nested promises) adopts its outcome; Promise.resolve(promise) too", async () => {
    expect(
      await logsOf(`
        Promise(function (ok1, ko1) {
          ok1(Promise(function (ok2, ko2) { ok2(Promise(function (ok3, ko3) { ok3("abc"); })); }));
        }).then(function (v) { server.log("nested " + v); });
        Promise(function (ok, ko) { ok(Promise.reject("inner")); })
          .fail(function (r) { server.log("adopted rejection " + r); });
        Promise.resolve(Promise(function (ok, ko) { imp.wakeup(1, function () { ok(7); }); }))
          .then(function (v) { server.log("later " + v); });
      `),
      // every level of nesting adds turns, so the nested resolution comes after the one-level rejection
    ).toEqual(["adopted rejection inner", "nested abc", "later 7"]);
  });

  it("T1 an unhandled rejection (no then on the rejected promise) is logged with server.log", async () => {
    expect(
      await logsOf(`
        Promise.reject("nobody listens");
        Promise.resolve(1).then(function (v) { throw "thrown " + v; });
        Promise.reject("handled").fail(function (r) {});
      `),
    ).toEqual(["Unhandled promise rejection: nobody listens", "Unhandled promise rejection: thrown 1"]);
  });

  it("T1 Promise.all resolves with the values in array order (promises or functions returning promises), rejects with the first rejection", async () => {
    expect(
      await logsOf(`
        local later = function (secs, v) {
          return Promise(function (ok, ko) { imp.wakeup(secs, function () { ok(v); }); });
        };
        Promise.all([later(1.0, 1), @() later(1.5, 2), later(0.5, 3)])
          .then(function (vs) { server.log("all " + vs.len() + ": " + vs[0] + "," + vs[1] + "," + vs[2]); });
        Promise.all([]).then(function (vs) { server.log("empty " + typeof vs + " " + vs.len()); });
        Promise.all([later(1, 1), Promise(function (ok, ko) { imp.wakeup(0.5, function () { ko("r2"); }); }), Promise.reject("r3")])
          .then(function (vs) { server.log("not called"); })
          .fail(function (r) { server.log("all rejected " + r); });
        Promise.all([Promise.resolve(1), 2])
          .fail(function (r) { server.log("plain value " + r); });
      `),
      // a plain value in the array is no promise: calling its then fails in the executor, which rejects (as published)
    ).toEqual(["empty array 0", "plain value the index 'then' does not exist", "all rejected r3", "all 3: 1,2,3"]);
  });

  it("T1 Promise.race settles with the first promise to settle; functions are called at race time", async () => {
    expect(
      await logsOf(`
        local after = function (secs, v, fails = false) {
          return Promise(function (ok, ko) { imp.wakeup(secs, function () { if (fails) ko(v); else ok(v); }); });
        };
        Promise.race([after(1, "slow"), @() after(0.5, "fast"), after(2, "slowest")])
          .then(function (v) { server.log("race " + v); });
        Promise.race([after(1, 1, true), @() after(1.5, 2), @() after(0.5, 3, true)])
          .then(function (v) { server.log("not called"); }, function (r) { server.log("race rejected " + r); });
        Promise.race([]).then(function (v) { server.log("empty race " + typeof v); });
      `),
    ).toEqual(["empty race array", "race fast", "race rejected 3"]);
  });

  it("T1 Promise.loop runs next() while continue() holds, one after another, resolving with the last value", async () => {
    expect(
      await logsOf(`
        local i = 0;
        local start = hardware.millis();
        Promise.loop(@() i++ < 3, function () {
          server.log("step " + i);
          return Promise(function (ok, ko) { imp.wakeup(3, function () { ok("counter is " + i); }); });
        }).then(function (v) { server.log("done " + v + " at " + ((hardware.millis() - start) / 1000)); });
        Promise.loop(@() false, @() null).then(function (v) { server.log("no iterations " + v); });
        local n = 0;
        Promise.loop(@() true, function () {
          n++;
          return n < 3 ? Promise.resolve(n) : Promise.reject("stop at " + n);
        }).fail(function (r) { server.log("loop rejected " + r); });
      `),
    ).toEqual(["step 1", "no iterations (null : 0x00000000)", "loop rejected stop at 3", "step 2", "step 3", "done counter is 3 at 9"]);
  });

  it("T1 Promise.serial runs an array of promises and functions in turn, resolving with the last value or rejecting with the first reason", async () => {
    expect(
      await logsOf(`
        local make = function (name, v, fails = false) {
          return function () {
            server.log("start " + name);
            return Promise(function (ok, ko) { imp.wakeup(1, function () { if (fails) ko(v); else ok(v); }); });
          };
        };
        Promise.serial([make("a", 1), make("b", 2), Promise.resolve(3)])
          .then(function (v) { server.log("serial " + v); });
        imp.wakeup(10, function () {
          Promise.serial([make("c", 1), make("d", "bad d", true), make("e", 3)])
            .then(function (v) { server.log("not called"); })
            .fail(function (r) { server.log("serial rejected " + r); });
        });
        imp.wakeup(20, function () {
          Promise.serial(true).fail(function (r) { server.log(r); });
          Promise.serial([]).then(function (v) { server.log("empty serial " + v); });
        });
      `),
    ).toEqual([
      "start a",
      "start b",
      "serial 3",
      "start c",
      "start d",
      "serial rejected bad d",
      "Promise.serial() not passed an array",
      "empty serial (null : 0x00000000)",
    ]);
  });

  it("T1 the static functions check their argument count, as Squirrel does", async () => {
    expect(
      await logsOf(`
        foreach (name, f in { all = @() Promise.all([], []), loop = @() Promise.loop(@() false), serial = @() Promise.serial([], []) }) {
          try { f(); server.log(name + " no error"); } catch (e) { server.log(name + " threw"); }
        }
      `),
    ).toEqual(expect.arrayContaining(["all threw", "loop threw", "serial threw"]));
  });
});
