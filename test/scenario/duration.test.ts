import { describe, expect, it } from "vitest";
import { InvalidDurationError, parseDuration } from "../../src/scenario/duration.js";

describe("parseDuration", () => {
  it.each([
    [0, 0],
    [1500, 1500],
    [2.4, 2],
    ["500ms", 500],
    ["1.5s", 1500],
    ["1.1s", 1100],
    ["2m30s", 150_000],
    ["1h", 3_600_000],
    ["1h2m3s4ms", 3_723_004],
    [".5s", 500],
    ["0s", 0],
    [" 3s ", 3000],
  ])("reads %j as %d ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], [""], ["500"], ["5 s"], ["1d"], ["s"], ["1.s"], ["-5s"], ["2m 30s"], ["1e3ms"], [true], [null], [undefined], [{}]])(
    "rejects %j",
    (input) => {
      expect(() => parseDuration(input)).toThrow(InvalidDurationError);
    },
  );

  it("says what it could not read", () => {
    expect(() => parseDuration("2m30x")).toThrow(/cannot read "30x"/);
  });

  it("has a stable code", () => {
    try {
      parseDuration("soon");
    } catch (error) {
      expect((error as InvalidDurationError).code).toBe("IMPNET_INVALID_DURATION");
    }
    expect.assertions(1);
  });
});
