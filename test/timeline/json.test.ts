import { describe, it, expect } from "vitest";
import type { TimelineEvent } from "../../src/timeline/events.js";
import { jsonValue, toJsonLine } from "../../src/timeline/json.js";
import { ONE_OF_EACH } from "./fixtures.js";

function keys(line: string): string[] {
  return Object.keys(JSON.parse(line) as object);
}

describe("toJsonLine", () => {
  it("puts t, device and type first, then the attempt's fields in the spec's order", () => {
    // Built in a scrambled order on purpose: the line must not depend on it.
    const e = {
      layers: [{ ok: false, ms: 30, start: 3250, layer: "tcp" }],
      detail: "connection refused",
      layer: "server",
      ms: 3280,
      reasonName: "NO_SERVER",
      reason: 4,
      interfaceType: "wifi",
      interface: "wl0",
      type: "attempt",
      device: "dev-a",
      t: 3280,
    } satisfies TimelineEvent;
    expect(toJsonLine(e)).toBe(
      '{"t":3280,"device":"dev-a","type":"attempt","interface":"wl0","interfaceType":"wifi",' +
        '"reason":4,"reasonName":"NO_SERVER","ms":3280,"layer":"server","detail":"connection refused",' +
        '"layers":[{"layer":"tcp","start":3250,"ms":30,"ok":false}]}',
    );
  });

  it("leaves out absent optional fields", () => {
    const ok: TimelineEvent = {
      t: 3400, device: "d", type: "attempt", interface: "wl0", interfaceType: "wifi",
      reason: 5, reasonName: "SERVER_CONNECTED", ms: 3400, layers: [],
    };
    expect(keys(toJsonLine(ok))).toEqual(["t", "device", "type", "interface", "interfaceType", "reason", "reasonName", "ms", "layers"]);
    expect(keys(toJsonLine({ t: 1, device: "d", type: "disconnected", expected: true }))).toEqual(["t", "device", "type", "expected"]);
    expect(toJsonLine({ t: 1, device: "d", type: "disconnected", expected: true, reason: undefined })).not.toContain("reason");
  });

  it("orders every type's fields as the spec's table does", () => {
    const orders = Object.fromEntries(ONE_OF_EACH.map((e) => [e.type, keys(toJsonLine(e)).slice(3)]));
    expect(orders).toEqual({
      boot: ["cause"],
      attempt: ["interface", "interfaceType", "reason", "reasonName", "ms", "layer", "detail", "layers"],
      connected: ["interface"],
      disconnected: ["expected", "reason"],
      callback: ["api", "reason", "reasonName"],
      log: ["text", "error"],
      message: ["from", "name", "data"],
      suspend: [],
      resume: [],
      sleep: ["seconds"],
      warning: ["text"],
      error: ["text", "stack"],
      world: ["set"],
    });
  });

  it("gives the same bytes for the same event, and round-trips through JSON.parse", () => {
    for (const e of ONE_OF_EACH) {
      const line = toJsonLine(e);
      expect(toJsonLine(structuredClone(e))).toBe(line);
      expect(line).not.toContain("\n");
      expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(e)));
    }
  });

  it("escapes text so that one event stays one line", () => {
    const line = toJsonLine({ t: 0, device: "d", type: "log", text: 'two\nlines "quoted"', error: true });
    expect(line).toBe('{"t":0,"device":"d","type":"log","text":"two\\nlines \\"quoted\\"","error":true}');
  });
});

describe("binary and awkward data", () => {
  const message = (data: unknown): TimelineEvent => ({ t: 5, device: "d", type: "message", from: "agent", name: "blob", data });

  it("writes Uint8Array and Buffer as base64, the same bytes each time", () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const expected = '{"t":5,"device":"d","type":"message","from":"agent","name":"blob","data":{"$binary":"AAEC+v8="}}';
    expect(toJsonLine(message(bytes))).toBe(expected);
    expect(toJsonLine(message(Buffer.from(bytes)))).toBe(expected);
    expect(toJsonLine(message(new Uint8Array([0, 1, 2, 250, 255])))).toBe(expected);
  });

  it("writes only a view's own bytes, not its whole buffer", () => {
    const view = new Uint8Array(new Uint8Array([9, 9, 1, 2, 9]).buffer, 2, 2);
    expect(jsonValue(view)).toBe('{"$binary":"AQI="}');
  });

  it("finds binary nested in objects and arrays", () => {
    expect(jsonValue({ a: [new Uint8Array([1]), { b: new Uint8Array([]) }] })).toBe(
      '{"a":[{"$binary":"AQ=="},{"b":{"$binary":""}}]}',
    );
  });

  it("never throws: cycles, bigints, non-finite numbers, undefined", () => {
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    expect(jsonValue(cyclic)).toBe('{"n":1,"self":"[Circular]"}');
    expect(jsonValue(10n)).toBe('{"$bigint":"10"}');
    expect(jsonValue([NaN, Infinity, undefined, () => 1])).toBe("[null,null,null,null]");
    expect(jsonValue({ a: undefined, b: 2 })).toBe('{"b":2}');
    const shared = { x: 1 };
    expect(jsonValue([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });

  it("keeps a world change's keys in the scenario's order", () => {
    const line = toJsonLine({ t: 0, device: "world", type: "world", set: { "world.server.up": true, "devices.dev-a.cell.sim": "ok" } });
    expect(line).toBe('{"t":0,"device":"world","type":"world","set":{"world.server.up":true,"devices.dev-a.cell.sim":"ok"}}');
  });
});
