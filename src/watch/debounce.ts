/**
 * Regenerations for `generate --watch`, one at a time: changes that arrive within `delayMs` of
 * each other are one regeneration, and changes during a regeneration are one more after it. A
 * storm of notifications therefore costs one run, whatever its length.
 */
export type Change =
  { readonly kind: "config" } | { readonly kind: "server"; readonly name: string };

/** What one regeneration covers: the whole config (it changed), or these servers. */
export type Batch =
  { readonly config: true } | { readonly config: false; readonly servers: readonly string[] };

export class Regenerations {
  private timer: NodeJS.Timeout | undefined;
  private pending: { config: boolean; servers: Set<string> } | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly delayMs: number,
    private readonly regenerate: (batch: Batch) => Promise<void>,
  ) {}

  add(change: Change): void {
    if (this.stopped) return;
    this.pending ??= { config: false, servers: new Set() };
    if (change.kind === "config") this.pending.config = true;
    else this.pending.servers.add(change.name);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Waits for the regeneration under way, then no more start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async flush(): Promise<void> {
    if (this.running) {
      // The run under way takes it when it ends.
      await this.running;
      return;
    }
    while (this.pending && !this.stopped) {
      const { config, servers } = this.pending;
      this.pending = undefined;
      const batch: Batch = config
        ? { config: true }
        : { config: false, servers: [...servers].sort() };
      this.running = this.regenerate(batch);
      try {
        await this.running;
      } finally {
        this.running = undefined;
      }
    }
  }
}
