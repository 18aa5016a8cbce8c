/**
 * How many runs the daemon does at once: each holds a sandboxed Node and its memory, so past a
 * few they only slow each other down (and a flood of them would take the machine). The rest
 * wait in arrival order; one whose client has gone away leaves the queue without running.
 */

interface Waiting {
  readonly grant: (release: () => void) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

export class RunSlots {
  private active = 0;
  private readonly waiting: Waiting[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`a run limit must be a whole number of at least 1 (got ${limit})`);
    }
  }

  /** Runs under way. */
  get running(): number {
    return this.active;
  }

  /** Runs waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolves with the function that frees the slot, once one is free and the runs that came
   * before have theirs; rejects with the signal's reason if it aborts first.
   */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const entry: Waiting = {
        grant: resolve,
        signal,
        onAbort: () => {
          const at = this.waiting.indexOf(entry);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener("abort", entry.onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.next();
    };
  }

  private next(): void {
    while (this.active < this.limit) {
      const entry = this.waiting.shift();
      if (!entry) return;
      entry.signal.removeEventListener("abort", entry.onAbort);
      this.active++;
      entry.grant(this.releaser());
    }
  }
}
