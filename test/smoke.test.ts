import { describe, expect, it } from "vitest";
import { simulate } from "./support/simulate.js";

describe("smoke", () => {
  it("boots, connects and logs", async () => {
    const run = await simulate({ duration: "1m" }, ({ server, imp, RETURN_ON_ERROR, WAIT_TIL_SENT }) => {
      server.setsendtimeoutpolicy(RETURN_ON_ERROR as number, WAIT_TIL_SENT as number, 10);
      void server.log("hello");
      imp.wakeup(5, () => void server.log("later"));
    });
    console.log(run.events.map((e) => JSON.stringify({ ...e, layers: undefined })).join("\n"));
    expect(run.of("log").map((l) => l.text)).toEqual(["hello", "later"]);
  });
});
