/**
 * impnet's own `ImpTestCase` (impunit.md T2): the base class of every impUnit
 * test case, in Squirrel, with the behaviour of Electric Imp's impUnit
 * (messages, counting, deep comparison). It is prepended to the test side's
 * program by the test session; `runner` is set by impnet's runner, which
 * provides `info(value)` and `runCommand(cmd)`.
 *
 * Behaviour kept on purpose, as on the imp:
 * - every assert adds one to `assertions` before it checks, pass or fail;
 * - a custom message is the format string, filled with the values `+ ""`
 *   (assertTrue and assertThrowsError throw it unformatted);
 * - assertDeepEqual compares expected against actual, then actual against
 *   expected; type, blob and cyclic-reference failures have fixed texts;
 * - assertThrowsError puts `ctx` in front of the `args` array it is given
 *   (the caller's array, or the default array, which Squirrel creates once
 *   with the method and so is shared by every call that omits `args`).
 *
 * The checks use the very operators impUnit uses (a failing `<=` for
 * assertGreater, and so on), so values that compare oddly (NaN, `_cmp`)
 * pass or fail as they do on the imp.
 *
 * The Squirrel text must hold no backtick and no dollar-brace.
 */
export const IMP_TEST_CASE_NUT = String.raw`
class ImpTestCase {
    session = null;
    runner = null;
    assertions = 0;

    function info(value = "") {
        this.runner.info(value);
    }

    function runCommand(cmd = "") {
        this.runner.runCommand(cmd);
    }

    function assertTrue(cond, msg = "Failed to assert that condition is true") {
        this.assertions += 1;
        if (!cond) throw msg;
    }

    function assertEqual(expected, actual, msg = "Expected value: %s, got: %s") {
        this.assertions += 1;
        if (expected != actual) throw format(msg, expected + "", actual + "");
    }

    function assertGreater(actual, cmp, msg = "Failed to assert that %s > %s") {
        this.assertions += 1;
        if (actual <= cmp) throw format(msg, actual + "", cmp + "");
    }

    function assertLess(actual, cmp, msg = "Failed to assert that %s < %s") {
        this.assertions += 1;
        if (actual >= cmp) throw format(msg, actual + "", cmp + "");
    }

    function assertClose(expected, actual, maxDiff, msg = "Expected value: %s±%s, got: %s") {
        this.assertions += 1;
        if (math.fabs(expected - actual) > maxDiff) throw format(msg, expected + "", maxDiff + "", actual + "");
    }

    function assertBetween(actual, min, max, msg = "Expected value the range of %s..%s, got %s") {
        this.assertions += 1;
        local lo = min;
        local hi = max;
        if (lo > hi) {
            lo = max;
            hi = min;
        }
        if (actual < lo || actual > hi) throw format(msg, lo + "", hi + "", actual + "");
    }

    function assertThrowsError(fn, ctx, args = [], msg = "Function was expected to throw an error") {
        this.assertions += 1;
        args.insert(0, ctx);
        local caught = null;
        local threw = false;
        try {
            fn.pacall(args);
        } catch (err) {
            caught = err;
            threw = true;
        }
        if (threw) return caught;
        throw msg;
    }

    function assertDeepEqual(expected, actual, msg = "Comparison failed on '%s': expected %s, got %s") {
        this.assertions += 1;
        local shown = function (trail) {
            if (trail == "") return trail;
            return trail.slice(1);
        };
        local compare = null;
        compare = function (lhs, rhs, forward, trail, depth) {
            if (depth > 32) throw "Possible cyclic reference at " + shown(trail);
            local lt = typeof lhs;
            local rt = typeof rhs;
            if (lt != rt) throw format("Values are not the same type, typeof lhs = %s, typeof rhs = %s", lt, rt);
            local kind = type(lhs);
            if (kind == "null") return;
            if (kind == "table" || kind == "array" || kind == "class") {
                foreach (key, item in lhs) {
                    local inner = trail + "." + key;
                    if (!(key in rhs)) {
                        local mine = item + "";
                        if (forward) throw format(msg, shown(inner), mine, "none");
                        throw format(msg, shown(inner), "none", mine);
                    }
                    compare(item, rhs[key], forward, inner, depth + 1);
                }
                return;
            }
            if (lt == "blob") {
                local n = lhs.len();
                if (n != rhs.len()) throw format("Blob lengths unequal, lhs.len() == %d, rhs.len() == %d", n, rhs.len());
                for (local i = 0; i < n; i++) {
                    if (lhs[i] != rhs[i]) throw format("Blobs are the same length (%d bytes), but the contents are not identical.", n);
                }
                return;
            }
            if (lhs != rhs) throw format(msg, shown(trail), lhs + "", rhs + "");
        };
        compare(expected, actual, true, "", 0);
        compare(actual, expected, false, "", 0);
    }
}
`;
