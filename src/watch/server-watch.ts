/**
 * One open connection per server for `generate --watch`, listening for the notifications that
 * say its lists changed (tools, resources, prompts). A connection that ends (the server exited)
 * is opened again after a pause, so that a restarted server is watched again.
 */
import type { ResolvedServer } from "../config/types.js";
import { connect, type Connection } from "../connect/index.js";

const RECONNECT_MS = 5_000;

export interface ServerWatch {
  /** Settles once every server's first connection is open (or failed). */
  readonly ready: Promise<void>;
  /** Closes every connection; no more notifications arrive. */
  close(): Promise<void>;
}

/**
 * Watches `servers`: `onChange(name)` on each list change; `log` says what happened to a
 * connection (could not connect, ended, watched again).
 */
export function watchServers(
  servers: readonly ResolvedServer[],
  onChange: (server: string) => void,
  log: (line: string) => void,
): ServerWatch {
  let closed = false;
  const open = new Set<Connection>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (start: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      start();
    }, RECONNECT_MS);
    timers.add(timer);
  };
  const start = (server: ResolvedServer, again: boolean): Promise<void> =>
    connect(server).then(
      (connection) => {
        if (closed) return void connection.close();
        open.add(connection);
        for (const list of ["tools", "resources", "prompts"] as const) {
          connection.onNotification(`notifications/${list}/list_changed`, () =>
            onChange(server.name),
          );
        }
        if (again) {
          log(`${server.name}: watched again`);
          // What changed while it was away is only known by listing again.
          onChange(server.name);
        }
        connection.onClose(() => {
          open.delete(connection);
          if (closed) return;
          log(
            `${server.name}: the connection ended; watching it again in ${RECONNECT_MS / 1000} s`,
          );
          later(() => void start(server, true));
        });
      },
      (error: unknown) => {
        if (closed) return;
        const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
        log(`${server.name}: cannot watch it (${why}); trying again in ${RECONNECT_MS / 1000} s`);
        later(() => void start(server, true));
      },
    );
  const watched = servers.filter((server) => !server.disabled && !server.unusable);
  const ready = Promise.all(watched.map((server) => start(server, false))).then(() => {});
  return {
    ready,
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([...open].map((connection) => connection.close()));
    },
  };
}
