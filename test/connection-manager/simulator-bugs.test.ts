// Simulator defects found while building ConnectionManager. Each test states
// the behaviour the spec requires and is marked `it.fails` until it is fixed.
import { describe, expect, it } from "vitest";
import { simulate } from "../support/simulate.js";

describe("simulator: promise continuations", () => {
  // R36 ("await works on both") and scenario.md ("callbacks always run on a later
  // turn"): a promise a program resolves inside a turn must see its continuations
  // run before the next turn, at that turn's virtual time, as on any JavaScript
  // event loop. The simulator drains microtasks only after a turn whose callback
  // *returned* a promise (EventLoop.turn → needsDrain), so a continuation of a
  // promise resolved by a plain callback waits for some later drain, however
  // far away in virtual time.
  it("a continuation of a promise resolved by an imp.wakeup callback runs at that callback's virtual time", async () => {
    const run = await simulate({ duration: "1m" }, ({ imp, server }) => {
      const later = new Promise<void>((resolve) => imp.wakeup(2, () => resolve()));
      void later.then(() => server.log("after the wakeup"));
    });
    expect(run.of("log").map((l) => [l.t, l.text])).toEqual([[3380 + 2000, "after the wakeup"]]);
  });
});
