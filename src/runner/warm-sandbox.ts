/**
 * The host's next sandboxes, booted ahead: a run takes one (its Node already started, ~100 ms
 * saved) and another is started for the run after. At most `size` wait at a time: the daemon
 * keeps one, serve one for each run slot (its clients' runs come together).
 */
import { discardSandbox, prepareSandbox, type PreparedSandbox } from "./prepare.js";

export class WarmSandbox {
  private readonly waiting: Promise<PreparedSandbox>[] = [];
  private closed = false;

  constructor(
    private heapMb: number,
    private readonly size = 1,
  ) {}

  /** Starts sandboxes until `size` are waiting or booting. */
  fill(): void {
    while (!this.closed && this.waiting.length < this.size) {
      const starting = prepareSandbox(this.heapMb);
      this.waiting.push(starting);
      starting.catch(() => {
        const at = this.waiting.indexOf(starting);
        if (at >= 0) this.waiting.splice(at, 1);
      });
    }
  }

  /** The sandbox that has waited longest, if any (a run then starts its own). */
  async take(): Promise<PreparedSandbox | undefined> {
    const ready = this.waiting.shift();
    return ready?.catch(() => undefined);
  }

  /** Ends the waiting ones and starts others with `heapMb` (the config changed). */
  async reset(heapMb: number): Promise<void> {
    this.heapMb = heapMb;
    await this.discardAll();
    this.fill();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.discardAll();
  }

  private async discardAll(): Promise<void> {
    const stale = this.waiting.splice(0);
    for (const sandbox of await Promise.all(stale.map((s) => s.catch(() => undefined)))) {
      if (sandbox) await discardSandbox(sandbox);
    }
  }
}
