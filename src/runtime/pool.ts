/**
 * One connection per server, opened on first use and shared by every later call, concurrent
 * ones included. An idle connection does not keep the process alive, so a program that is done
 * exits; the server's process tree ends with it (see connect/process-group).
 *
 * A connection that ends (the server exited between calls, an HTTP session closed) is forgotten
 * at once, so the next call opens a fresh one instead of failing on the dead one. Attempts to
 * connect that keep failing back off (see backoff.ts).
 */
import { connect, type Connection } from "../connect/index.js";
import type { ResolvedServer } from "../config/types.js";
import { listTools } from "../introspect/list-tools.js";
import type { JsonObject, ToolAnnotations } from "../introspect/snapshot.js";
import { Backoff, sleep } from "./backoff.js";
import { findDrift, type DriftReport } from "./drift.js";
import { OutputValidators } from "./output-validation.js";

/** What one listing of a connection's tools tells every call after it. */
export interface ToolIndex {
  /** Tools that declare an `outputSchema`: their calls return the structured content. */
  readonly withOutput: ReadonlySet<string>;
  /** How the tools differ from the manifest the stubs came from; undefined when they do not. */
  readonly drift: DriftReport | undefined;
  /** Validators of the output schemas, compiled on first use (for `validateOutput`). */
  readonly outputs: OutputValidators;
  /** Every tool listed, with its annotations (undefined: none): what `approve.destructive` reads. */
  readonly annotations: ReadonlyMap<string, ToolAnnotations | undefined>;
}

export class PooledConnection {
  readonly connection: Connection;
  /** The listing, once done: what calls read without waiting. */
  tools: ToolIndex | undefined;
  private inFlight = 0;
  private listing: Promise<ToolIndex> | undefined;

  constructor(connection: Connection) {
    this.connection = connection;
    connection.keepAlive(false);
  }

  /** A call starts: the connection holds the process alive until every call has ended. */
  hold(): void {
    if (this.inFlight++ === 0) this.connection.keepAlive(true);
  }

  release(): void {
    if (--this.inFlight === 0) this.connection.keepAlive(false);
  }

  /**
   * Lists the tools once per connection, and compares them with the manifest under `outDir`.
   * A failed listing is not kept: the next call lists again.
   */
  prepare(outDir: string): Promise<ToolIndex> {
    this.listing ??= this.list(outDir).then(
      (index) => (this.tools = index),
      (error: unknown) => {
        this.listing = undefined;
        throw error;
      },
    );
    return this.listing;
  }

  private async list(outDir: string): Promise<ToolIndex> {
    const server = this.connection.server;
    const { tools } = await listTools(this.connection, server, "warn");
    const schemas = new Map<string, JsonObject>();
    for (const tool of tools) if (tool.outputSchema) schemas.set(tool.name, tool.outputSchema);
    return {
      withOutput: new Set(schemas.keys()),
      drift: await findDrift(server, tools, outDir),
      outputs: new OutputValidators(server.name, schemas),
      annotations: new Map(tools.map((tool) => [tool.name, tool.annotations])),
    };
  }
}

export interface AcquireOptions {
  /** Aborting stops waiting (the attempt to connect goes on, for later calls). */
  readonly signal?: AbortSignal | undefined;
  /** The call's timeout: when backing off would wait longer, fail at once instead. */
  readonly timeoutMs?: number;
  /** Passed to `connect`: answers bigger than this are refused by the stdio transport. */
  readonly maxResultBytes?: number;
}

/** Per server: its connection (or the attempt to open one) and its record of failures. */
interface Slot {
  readonly backoff: Backoff;
  opening: Promise<PooledConnection> | undefined;
  ready: PooledConnection | undefined;
}

export class ConnectionPool {
  private readonly slots = new Map<string, Slot>();

  /** The server's open connection, without waiting; undefined when there is none. */
  current(name: string): PooledConnection | undefined {
    const ready = this.slots.get(name)?.ready;
    return ready && !ready.connection.closed ? ready : undefined;
  }

  /**
   * The server's connection, opening it if there is none (first call, or the last one ended).
   * After failed attempts, waits as the backoff says; throws a ConnectionError at once when
   * that wait would outlast `options.timeoutMs`.
   */
  async acquire(server: ResolvedServer, options: AcquireOptions = {}): Promise<PooledConnection> {
    for (;;) {
      const ready = this.current(server.name);
      if (ready) return ready;
      const slot = this.slot(server.name);
      if (slot.opening) return abortable(slot.opening, options.signal);
      const wait = slot.backoff.remaining();
      if (wait === 0) return abortable(this.open(server, slot, options), options.signal);
      if (options.timeoutMs !== undefined && wait > options.timeoutMs) {
        throw slot.backoff.refusal(server.name, wait, options.timeoutMs);
      }
      // Then look again: a call that waited less may have connected meanwhile.
      await sleep(wait, options.signal);
    }
  }

  private open(server: ResolvedServer, slot: Slot, options: AcquireOptions) {
    const opening: Promise<PooledConnection> = connect(server, {
      clientName: "mcp-codegen-runtime",
      ...(options.maxResultBytes !== undefined ? { maxResultBytes: options.maxResultBytes } : {}),
    }).then(
      (connection) => {
        slot.backoff.succeeded();
        const pooled = new PooledConnection(connection);
        if (slot.opening === opening) {
          slot.opening = undefined;
          slot.ready = pooled;
        }
        connection.onClose(() => this.forget(pooled));
        return pooled;
      },
      (error: unknown) => {
        if (slot.opening === opening) slot.opening = undefined;
        const delay = slot.backoff.failed(error);
        const times = slot.backoff.failedInARow;
        throw withNote(
          error,
          `(${times === 1 ? "The first failed attempt" : `${times} failed attempts in a row`}: ` +
            `the next call to "${server.name}" waits ${delay} ms before connecting again.)`,
        );
      },
    );
    slot.opening = opening;
    return opening;
  }

  /**
   * Forgets a broken connection (and ends it): the next call to the server reconnects. Only
   * `broken` itself is forgotten: a connection opened since then by another call stays pooled.
   */
  async discard(broken: PooledConnection): Promise<void> {
    this.forgetOnly(broken);
    await broken.connection.kill().catch(() => {});
  }

  /** Closes every connection; their servers' process trees end. */
  async closeAll(): Promise<void> {
    const slots = [...this.slots.values()];
    this.slots.clear();
    const all = slots.flatMap((slot) => [
      ...(slot.ready ? [Promise.resolve(slot.ready)] : []),
      ...(slot.opening ? [slot.opening] : []),
    ]);
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

  /** The connection ended on its own (the server exited): settle it and open a new one next time. */
  private forget(pooled: PooledConnection): void {
    this.forgetOnly(pooled);
    void pooled.connection.kill().catch(() => {});
  }

  private forgetOnly(pooled: PooledConnection): void {
    const slot = this.slots.get(pooled.connection.server.name);
    if (slot?.ready === pooled) slot.ready = undefined;
  }

  private slot(name: string): Slot {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = { backoff: new Backoff(), opening: undefined, ready: undefined };
      this.slots.set(name, slot);
    }
    return slot;
  }
}

/** `error` with `note` on a line of its own at the end of its message (and of its stack's). */
function withNote(error: unknown, note: string): unknown {
  if (!(error instanceof Error)) return error;
  const before = error.message;
  error.message = `${before}\n  ${note}`;
  if (error.stack?.includes(before)) error.stack = error.stack.replace(before, () => error.message);
  return error;
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
