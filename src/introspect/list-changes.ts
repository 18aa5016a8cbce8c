/**
 * Noticing `notifications/tools/list_changed` while a list is being read. A server sends it
 * when its tools change; one that arrives between (or during) the pages of a `tools/list`
 * means the pages may mix two lists, so the listing is not to be trusted.
 */
import type { Connection } from "../connect/index.js";

export interface ListChanges {
  /** How many `tools/list_changed` notifications have arrived since watching began. */
  readonly count: number;
  /** Stops counting (removes the handler). */
  stop(): void;
}

/**
 * Counts the client's `tools/list_changed` notifications until `stop()`. The SDK handles a
 * notification in a microtask queued when it is read, so one that the server sent before the
 * answer to a request is counted before the code awaiting that answer resumes.
 */
export function watchListChanged(connection: Connection): ListChanges {
  let count = 0;
  const stop = connection.onNotification("notifications/tools/list_changed", () => {
    count += 1;
  });
  return {
    get count() {
      return count;
    },
    stop,
  };
}
