/** The regeneration queue of `generate --watch`, on fake timers: what runs, and how often. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Regenerations, type Batch } from "../../src/watch/debounce.js";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("Regenerations", () => {
  it("turns a storm of changes into one run with every server named once", async () => {
    const batches: Batch[] = [];
    const queue = new Regenerations(300, async (batch) => void batches.push(batch));
    for (let i = 0; i < 50; i++) {
      queue.add({ kind: "server", name: i % 2 ? "b" : "a" });
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(batches).toEqual([{ config: false, servers: ["a", "b"] }]);
  });

  it("runs the changes made during a run once after it, and a config change covers all", async () => {
    const batches: Batch[] = [];
    let finish!: () => void;
    const queue = new Regenerations(10, (batch) => {
      batches.push(batch);
      return batches.length === 1
        ? new Promise<void>((resolve) => (finish = resolve))
        : Promise.resolve();
    });
    queue.add({ kind: "server", name: "a" });
    await vi.advanceTimersByTimeAsync(10);
    expect(batches).toHaveLength(1);
    queue.add({ kind: "server", name: "b" });
    queue.add({ kind: "config" });
    await vi.advanceTimersByTimeAsync(50);
    expect(batches).toHaveLength(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([{ config: false, servers: ["a"] }, { config: true }]);
  });

  it("starts nothing once stopped", async () => {
    const run = vi.fn<() => Promise<void>>(async () => {});
    const queue = new Regenerations(10, run);
    queue.add({ kind: "config" });
    await queue.stop();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).not.toHaveBeenCalled();
  });
});
