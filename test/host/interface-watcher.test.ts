import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/virtual-clock.js";
import { InterfaceWatcher } from "../../src/network/host/interface-watcher.js";
import type { InterfaceLoss } from "../../src/network/host/interface-watcher.js";
import { tempDir } from "./real-parts.js";

/**
 * The shared watcher's bookkeeping, on the virtual clock with a sysfs tree the
 * test writes. A real link pulled and a real address removed under a live
 * session are in test/netns/real-faults.test.ts.
 */
function sysTree(ifName: string): { root: string; set(operstate: string, carrier: string): void } {
  const root = tempDir("impnet-sys-");
  mkdirSync(path.join(root, ifName));
  const set = (operstate: string, carrier: string) => {
    writeFileSync(path.join(root, ifName, "operstate"), `${operstate}\n`);
    writeFileSync(path.join(root, ifName, "carrier"), `${carrier}\n`);
  };
  set("up", "1");
  return { root, set };
}

describe("InterfaceWatcher: one poll for every session on an interface", () => {
  it("R27 a thousand sessions share one timer; a link lost reaches each of them once, and then no timer is left", () => {
    const clock = new VirtualClock();
    const sys = sysTree("lo");
    const watcher = new InterfaceWatcher(clock, 500, sys.root);
    const losses: InterfaceLoss[][] = Array.from({ length: 1000 }, () => []);
    losses.forEach((got, i) => watcher.watch("lo", i % 2 === 0 ? "127.0.0.1" : undefined, (loss) => got.push(loss)));
    expect(clock.pending()).toBe(1);
    clock.advance(5_000);
    expect(losses.every((got) => got.length === 0)).toBe(true); // lo is up and holds 127.0.0.1
    sys.set("up", "0");
    clock.advance(500);
    expect(losses.every((got) => got.length === 1 && got[0]!.kind === "link" && got[0]!.detail === "lo: no carrier")).toBe(true);
    expect(watcher.size).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it("R27 an address the interface no longer holds is an address loss for the sessions bound to it only", () => {
    const clock = new VirtualClock();
    const watcher = new InterfaceWatcher(clock, 500, sysTree("lo").root);
    const gone: InterfaceLoss[] = [];
    const kept: InterfaceLoss[] = [];
    watcher.watch("lo", "10.255.255.1", (l) => gone.push(l));
    watcher.watch("lo", "127.0.0.1", (l) => kept.push(l));
    clock.advance(500);
    expect(gone).toEqual([{ kind: "address", detail: "lo: address 10.255.255.1 gone" }]);
    expect(kept).toEqual([]);
    expect(watcher.size).toBe(1);
  });

  it("a session that stops watching is never told, and the last one out stops the timer", () => {
    const clock = new VirtualClock();
    const sys = sysTree("lo");
    const watcher = new InterfaceWatcher(clock, 500, sys.root);
    const told: InterfaceLoss[] = [];
    const stops = [watcher.watch("lo", undefined, (l) => told.push(l)), watcher.watch("lo", undefined, (l) => told.push(l))];
    stops[0]!();
    stops[0]!(); // twice is harmless
    expect(clock.pending()).toBe(1);
    stops[1]!();
    expect(clock.pending()).toBe(0);
    sys.set("down", "0");
    clock.advance(1_000);
    expect(told).toEqual([]);
  });

  it("R10 the attempts that start in one turn share one read of the link; the next turn reads the world again", () => {
    const clock = new VirtualClock();
    const sys = sysTree("eth9");
    const watcher = new InterfaceWatcher(clock, 500, sys.root);
    expect(watcher.link("eth9")).toEqual({ link: true });
    sys.set("down", "0");
    expect(watcher.link("eth9")).toEqual({ link: true }); // the same turn: the read already made
    clock.advance(0); // the clock's next turn, no time passed
    expect(watcher.link("eth9")).toEqual({ link: false, linkDetail: "eth9: operstate down" });
    expect(watcher.link("nope0")).toMatchObject({ link: false, linkDetail: expect.stringMatching(/^nope0: no such interface/) as unknown });
    clock.advance(0);
    expect(clock.pending()).toBe(0); // nothing kept, nothing left behind
  });

  it("R10 R27 a poll reads the world afresh; addresses come from the host's table", () => {
    const clock = new VirtualClock();
    const sys = sysTree("eth9");
    const watcher = new InterfaceWatcher(clock, 40, sys.root);
    const losses: InterfaceLoss[] = [];
    watcher.watch("eth9", undefined, (l) => losses.push(l));
    expect(watcher.link("eth9").link).toBe(true);
    sys.set("up", "0");
    clock.advance(40);
    expect(losses).toEqual([{ kind: "link", detail: "eth9: no carrier" }]);
    expect(watcher.ipv4("lo")).toBe("127.0.0.1");
    expect(watcher.ipv4("nope0")).toBeUndefined();
  });
});
