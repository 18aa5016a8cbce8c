/**
 * The daemon's next sandbox, booted ahead: a run takes it (its Node already started, ~100 ms
 * saved) and another is started for the run after. At most one waits at a time.
 */
import { discardSandbox, prepareSandbox, type PreparedSandbox } from "./prepare.js";

export class WarmSandbox {
  private next: Promise<PreparedSandbox> | undefined;
  private closed = false;

  constructor(private heapMb: number) {}

  /** Starts one if none is waiting. */
  fill(): void {
    if (this.closed || this.next) return;
    const starting = prepareSandbox(this.heapMb);
    this.next = starting;
    starting.catch(() => {
      if (this.next === starting) this.next = undefined;
    });
  }

  /** The waiting sandbox, if any (a run then starts its own). */
  async take(): Promise<PreparedSandbox | undefined> {
    const ready = this.next;
    this.next = undefined;
    return ready?.catch(() => undefined);
  }

  /** Ends the waiting one and starts another with `heapMb` (the config changed). */
  async reset(heapMb: number): Promise<void> {
    this.heapMb = heapMb;
    const stale = await this.take();
    if (stale) await discardSandbox(stale);
    this.fill();
  }

  async close(): Promise<void> {
    this.closed = true;
    const idle = await this.take();
    if (idle) await discardSandbox(idle);
  }
}
