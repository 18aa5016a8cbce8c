/** Keeping a long-running command (`daemon`, `serve`) up until it stops. */

/** What runs until stopped: it resolves `stopped` once closed, by itself or by `close`. */
interface Running {
  readonly stopped: Promise<void>;
  close(): Promise<void>;
}

/**
 * Waits until `running` stops; SIGINT and SIGTERM close it. A timer keeps the process alive
 * meanwhile: idle connections to servers do not hold the event loop, and closing waits for
 * them (without it, Node could exit mid-close with "unsettled await").
 */
export async function untilStopped(running: Running): Promise<void> {
  const onSignal = () => void running.close();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const alive = setInterval(() => {}, 1 << 30);
  try {
    await running.stopped;
  } finally {
    clearInterval(alive);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
