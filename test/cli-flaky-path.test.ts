import net from "node:net";
import { describe, expect, it, vi } from "vitest";
import { FlakyPath } from "../src/cli/flaky-path.js";
import { VirtualClock } from "../src/clock/virtual-clock.js";
import { onCleanup } from "./host/real-parts.js";

/** An echo server: what the relay lets through comes back. */
async function echo(): Promise<number> {
  const server = net.createServer((s) => s.pipe(s).on("error", () => {}));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

/** Connects and says hello: "echoed", or the error code a refusal gives. */
function hello(port: number): Promise<{ result: string; socket?: net.Socket }> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => s.write("hello"));
    s.once("data", (d: Buffer) => resolve({ result: d.toString() === "hello" ? "echoed" : d.toString(), socket: s }));
    s.once("error", (e: NodeJS.ErrnoException) => resolve({ result: e.code ?? e.message }));
  });
}

describe("the demo's flaky path (sensor-flaky's way to the cloud)", () => {
  it("relays a connection until upMs, cuts it, refuses new ones for downMs, then relays again on the same port", { timeout: 20_000 }, async () => {
    const clock = new VirtualClock();
    const path = await FlakyPath.start(await echo(), clock, { upMs: 30_000, downMs: 8_000 });
    onCleanup(() => path.stop());
    const first = await hello(path.port);
    expect(first.result).toBe("echoed");
    const closed = new Promise<void>((resolve) => first.socket!.once("close", () => resolve()));
    clock.advance(29_999);
    expect((await hello(path.port)).result).toBe("echoed"); // still up: a second connection is relayed too
    clock.advance(1);
    await closed;
    await vi.waitFor(async () => expect((await hello(path.port)).result).toBe("ECONNREFUSED"));
    clock.advance(8_000);
    await vi.waitFor(async () => expect((await hello(path.port)).result).toBe("echoed"));
  });

  it("stopped, it listens no more and holds no connection, even mid-outage", { timeout: 20_000 }, async () => {
    const clock = new VirtualClock();
    const path = await FlakyPath.start(await echo(), clock, { upMs: 1_000, downMs: 1_000 });
    const open = await hello(path.port);
    const closed = new Promise<void>((resolve) => open.socket!.once("close", () => resolve()));
    await path.stop();
    await closed;
    expect((await hello(path.port)).result).toBe("ECONNREFUSED");
    clock.advance(5_000); // no timer left to bring it back
    expect((await hello(path.port)).result).toBe("ECONNREFUSED");
    expect(clock.pending()).toBe(0);
  });
});
