/**
 * One connection per server, opened on first use and shared by every later call, concurrent
 * ones included. An idle connection does not keep the process alive, so a program that is done
 * exits; the server's process tree ends with it (see connect/process-group).
 */
import { connect, type Connection } from "../connect/index.js";
import type { ResolvedServer } from "../config/types.js";
import { listTools } from "../introspect/list-tools.js";

export class PooledConnection {
  readonly connection: Connection;
  private inFlight = 0;
  private outputTools: Promise<ReadonlySet<string>> | undefined;

  constructor(connection: Connection) {
    this.connection = connection;
    connection.keepAlive(false);
  }

  /** Runs `task` with the connection holding the process alive until it settles. */
  async use<T>(task: (connection: Connection) => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.connection.keepAlive(true);
    try {
      return await task(this.connection);
    } finally {
      if (--this.inFlight === 0) this.connection.keepAlive(false);
    }
  }

  /**
   * Names of the tools that declare an `outputSchema`, listed once per connection: their calls
   * return the structured content, the others a ContentResult.
   */
  toolsWithOutput(): Promise<ReadonlySet<string>> {
    this.outputTools ??= listTools(this.connection, this.connection.server).then(
      ({ tools }) => new Set(tools.filter((t) => t.outputSchema !== undefined).map((t) => t.name)),
    );
    return this.outputTools;
  }
}

export class ConnectionPool {
  private readonly open = new Map<string, Promise<PooledConnection>>();
  /** The connection each entry of `open` resolved to, once it has. */
  private readonly ready = new Map<string, PooledConnection>();

  /** The server's connection, opening it if this is the first call (or the last one broke). */
  acquire(server: ResolvedServer): Promise<PooledConnection> {
    let pooled = this.open.get(server.name);
    if (!pooled) {
      pooled = connect(server, { clientName: "mcp-codegen-runtime" }).then((c) => {
        const opened = new PooledConnection(c);
        if (this.open.get(server.name) === pooled) this.ready.set(server.name, opened);
        return opened;
      });
      // A failed connect is not cached: the next call tries again.
      pooled.catch(() => {
        if (this.open.get(server.name) === pooled) this.open.delete(server.name);
      });
      this.open.set(server.name, pooled);
    }
    return pooled;
  }

  /**
   * Forgets a broken connection (and ends it): the next call to the server reconnects. Only
   * `broken` itself is forgotten: a connection opened since then by another call stays pooled.
   */
  async discard(broken: PooledConnection): Promise<void> {
    const name = broken.connection.server.name;
    if (this.ready.get(name) === broken) {
      this.open.delete(name);
      this.ready.delete(name);
    }
    await broken.connection.kill().catch(() => {});
  }

  /** Closes every connection; their servers' process trees end. */
  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    this.ready.clear();
    // Closing waits for the servers to exit; an idle connection does not hold the event loop,
    // so it must again for that wait, or Node would quit halfway through it.
    await Promise.all(
      all.map((p) =>
        p
          .then((c) => {
            c.connection.keepAlive(true);
            return c.connection.close();
          })
          .catch(() => {}),
      ),
    );
  }
}
