/**
 * A run's wall-time limit, counted from the moment the run starts (before the config has
 * loaded, the program is bundled or type-checked): its signal aborts, with a RunLimitError,
 * when the time is up. The limit can be set late (the config says it), never moved earlier
 * than the start.
 */
import { RunLimitError } from "./errors.js";

const MAX_TIMER_MS = 2 ** 31 - 1;

export class RunClock {
  private readonly started = performance.now();
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private limit = 0;

  constructor(limitMs: number) {
    this.setLimit(limitMs);
  }

  /** Aborted when the time is up (its reason is the RunLimitError to report). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get limitMs(): number {
    return this.limit;
  }

  /** Milliseconds since the run started. */
  elapsedMs(): number {
    return performance.now() - this.started;
  }

  /** The limit, in ms from the start of the run. */
  setLimit(limitMs: number): void {
    if (this.controller.signal.aborted) return;
    this.limit = limitMs;
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.controller.abort(
          new RunLimitError(
            "time",
            `the program was stopped after ${limitMs} ms, its time limit (--timeout <ms>, or run.timeout in the config).`,
          ),
        );
      },
      // setTimeout takes at most 2^31-1 ms (~25 days); "no limit yet" is longer than any run.
      Math.min(MAX_TIMER_MS, Math.max(0, limitMs - this.elapsedMs())),
    );
    this.timer.unref();
  }

  /** The run is over: the limit no longer applies. */
  stop(): void {
    clearTimeout(this.timer);
  }
}

/** `promise`, or the signal's reason as soon as it fires (whichever comes first). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) {
      // Nobody waits for it now: its own failure (esbuild's "The build was canceled" once the
      // bundler cancels) must not surface as an unhandled rejection.
      promise.catch(() => {});
      return onAbort();
    }
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
