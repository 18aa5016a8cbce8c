/**
 * Backing off a server that keeps failing to start: after n connection attempts in a row have
 * failed, the next waits 250 ms × 2^(n−1), at most 5 s; a success starts over. A program that
 * calls a broken server in a loop then spawns a few processes a second, not hundreds, while a
 * server that failed once is tried again almost at once.
 */
import { ConnectionError, indent } from "../errors.js";

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/** Milliseconds to wait before the next attempt after `failures` failed ones in a row. */
export function backoffDelay(failures: number): number {
  return failures <= 0 ? 0 : Math.min(FIRST_DELAY_MS * 2 ** (failures - 1), MAX_DELAY_MS);
}

/** The connection attempts to one server. */
export class Backoff {
  private failures = 0;
  private notBefore = 0;
  private lastError: unknown;

  /** Milliseconds until the next attempt is allowed (0: now). */
  remaining(now = Date.now()): number {
    return Math.max(this.notBefore - now, 0);
  }

  /** Records a failed attempt; returns how long the next one will wait. */
  failed(error: unknown): number {
    this.failures += 1;
    this.lastError = error;
    const delay = backoffDelay(this.failures);
    this.notBefore = Date.now() + delay;
    return delay;
  }

  succeeded(): void {
    this.failures = 0;
    this.notBefore = 0;
    this.lastError = undefined;
  }

  /** How many attempts in a row have failed. */
  get failedInARow(): number {
    return this.failures;
  }

  /**
   * The error for a call that cannot wait until the next attempt is allowed: its timeout
   * would end first. Names the last failure, which is what needs fixing.
   */
  refusal(server: string, waitMs: number, timeoutMs: number): ConnectionError {
    const last = this.lastError instanceof Error ? this.lastError.message : String(this.lastError);
    const failed =
      this.failures === 1
        ? "the last attempt to connect failed"
        : `the last ${this.failures} attempts to connect failed`;
    return new ConnectionError(
      server,
      `${failed}, and the next is allowed in ${waitMs} ms, ` +
        `after this call's timeout of ${timeoutMs} ms: backing off. The last attempt failed with:\n${indent(last)}`,
      { cause: this.lastError },
    );
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    // Not unref'd: the call waiting here is what the program is waiting for.
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
