/**
 * The one path every runtime request takes to a server: find it in the config, take its pooled
 * connection (opening it, backing off after failures), hold the process alive while the
 * request runs, send the request again once on a fresh connection when it certainly never
 * reached the server, and turn whatever went wrong into a typed error that names the server
 * and the request.
 */
import { ConnectionError, CodegenError, TimeoutError } from "../errors.js";
import {
  AnswerShapeError,
  AnswerTooLargeError,
  NotDeliveredError,
  ServerAnswerError,
  type Connection,
  type RequestOptions as SendOptions,
} from "../connect/index.js";
import { loadedServer, serverEntry, type ServerEntry } from "./config.js";
import { InvalidResultError, McpProtocolError, ResultTooLargeError } from "./errors.js";
import type { RequestOptions } from "./options.js";
import { ConnectionPool, type PooledConnection } from "./pool.js";

/** Every connection of this process (`close-connections.ts` closes them). */
export const pool = new ConnectionPool();

/**
 * Runs `task` on the pooled connection to `name`. `method` and `target` name the request in
 * errors (`tools/call` and the tool, `resources/read` and the URI). `task` gets the timeout
 * that applies (the caller's, or the server's).
 */
export async function onServer<T>(
  name: string,
  method: string,
  target: string | undefined,
  options: RequestOptions,
  task: (pooled: PooledConnection, entry: ServerEntry, timeout: number) => Promise<T>,
): Promise<T> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const entry = loadedServer(name) ?? (await serverEntry(name));
  const server = entry.server;
  const timeout = options.timeout ?? server.requestTimeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    const pooled =
      pool.current(name) ??
      (await pool.acquire(server, {
        signal,
        timeoutMs: timeout,
        maxResultBytes: entry.config.runtime.maxResultBytes,
      }));
    pooled.hold();
    try {
      return await task(pooled, entry, timeout);
    } catch (error) {
      const answered = answerError(error, name, method, target);
      if (answered) throw answered;
      // The caller asked to abort, so the caller's own reason is what comes back, wherever the
      // request was (waiting for a connection, for the tool listing, for the answer).
      if (signal?.aborted) throw signal.reason ?? error;
      // Our own verdicts on an answer (tool error, drift, invalid output…): the connection is fine.
      if (
        error instanceof CodegenError &&
        !(error instanceof ConnectionError || error instanceof TimeoutError)
      ) {
        throw error;
      }
      // Never read by the server (it had exited, or forgot the session): send it once more,
      // on a fresh connection.
      if (attempt === 0 && error instanceof NotDeliveredError) {
        await pool.discard(pooled);
        continue;
      }
      // A timeout names the limit this request had, which may be the caller's and not the config's.
      const typed =
        error instanceof CodegenError
          ? error
          : await pooled.connection.failure(error, during(method, target), timeout);
      await pool.discard(pooled);
      throw typed;
    } finally {
      pooled.release();
    }
  }
}

/**
 * What an answer-level failure is in the runtime's words, or undefined for any other: each of
 * these leaves the connection fine.
 */
function answerError(
  error: unknown,
  name: string,
  method: string,
  target: string | undefined,
): CodegenError | undefined {
  const what = label(method, target);
  const tool = toolOf(method, target);
  if (error instanceof AnswerTooLargeError) {
    return new ResultTooLargeError(name, what, tool, error.bytes, error.limit);
  }
  // An error the server answered with (unknown tool, invalid arguments).
  if (error instanceof ServerAnswerError) {
    return new McpProtocolError(
      name,
      what,
      { method, tool },
      { code: error.rpcCode, detail: error.detail, data: error.data },
    );
  }
  // An answer its schema refused (a resource read, a prompt).
  if (error instanceof AnswerShapeError)
    return new InvalidResultError(name, what, tool, error.problem);
  return undefined;
}

/**
 * Call right before sending a request: a connection that ended while the call waited (for the
 * tool listing, say) fails it as never sent, so that `onServer` sends it again on a fresh one.
 */
export function assertOpen(connection: Connection): void {
  if (connection.closed) throw new NotDeliveredError(new Error("the connection had ended"));
}

/**
 * How a runtime request is sent: with the caller's timeout (else the server's), signal and
 * progress listener, and its name for the errors a broken connection gives (`tools/call search`).
 */
export function sendOptions(
  method: string,
  target: string | undefined,
  options: RequestOptions & Pick<SendOptions, "onProgress">,
): SendOptions {
  return {
    during: during(method, target),
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}

function during(method: string, target: string | undefined): string {
  return target === undefined ? method : `${method} ${target}`;
}

/** How a request is named as the subject of an error: `tool "search"`, `prompt "greet"`. */
function label(method: string, target: string | undefined): string {
  if (method === "tools/call") return `tool "${target}"`;
  if (method === "prompts/get") return `prompt "${target}"`;
  return target === undefined ? method : `${method} ${target}`;
}

function toolOf(method: string, target: string | undefined): string | undefined {
  return method === "tools/call" ? target : undefined;
}

/**
 * The limit of `maxResultBytes` where the transport cannot apply it as the answer streams in
 * (HTTP): measured on the parsed result, which is only paid for over HTTP.
 */
export function checkResultSize(
  pooled: PooledConnection,
  entry: ServerEntry,
  method: string,
  target: string | undefined,
  result: unknown,
): void {
  if (pooled.connection.transport === "stdio") return;
  const limit = entry.config.runtime.maxResultBytes;
  const bytes = Buffer.byteLength(JSON.stringify(result) ?? "");
  if (bytes > limit) {
    throw new ResultTooLargeError(
      entry.server.name,
      label(method, target),
      toolOf(method, target),
      bytes,
      limit,
    );
  }
}

/** Opens the connection to `name` now instead of on its first request (the daemon warms up). */
export async function openConnection(name: string, options: RequestOptions = {}): Promise<void> {
  await onServer(name, "initialize", undefined, options, async () => {});
}
