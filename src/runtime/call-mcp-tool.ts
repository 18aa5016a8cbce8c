/**
 * `callMcpTool`: what every generated stub calls. Looks the server up in the config, reuses its
 * pooled connection, and turns the result into what the stub's type promises.
 */
import { CodegenError, TimeoutError } from "../errors.js";
import { ErrorCode, McpError } from "../connect/index.js";
import { serverConfig } from "./config.js";
import { ContentResult, type ContentItem } from "./content-result.js";
import { McpToolError, RuntimeError } from "./errors.js";
import { ConnectionPool } from "./pool.js";

export interface CallOptions {
  /** Milliseconds before the call fails. Default: the server's `timeout` from the config. */
  readonly timeout?: number;
  /** Aborting cancels the call; the server is sent a cancellation notification. */
  readonly signal?: AbortSignal;
  /** Called with the server's progress notifications for this call. */
  readonly onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

const pool = new ConnectionPool();

/**
 * Calls `tool` on `server` (the config's name for it) with `input`. Returns the structured
 * content when the tool declares an `outputSchema`, and a `ContentResult` otherwise.
 * Throws `McpToolError` when the tool reports an error, a connection error when the server
 * cannot be reached or dies (the next call reconnects), and the SDK's `McpError` for protocol
 * errors (unknown tool, invalid arguments), with its code.
 */
export async function callMcpTool<T = ContentResult>(
  server: string,
  tool: string,
  input: object = {},
  options: CallOptions = {},
): Promise<T> {
  options.signal?.throwIfAborted();
  const config = await serverConfig(server);
  // An abort while the server starts rejects at once; the connection stays pooled for later calls.
  const pooled = await abortable(pool.acquire(config), options.signal);
  return pooled.use(async (connection) => {
    let result;
    let withOutput: ReadonlySet<string>;
    const timeout = options.timeout ?? connection.requestOptions.timeout;
    try {
      withOutput = await abortable(pooled.toolsWithOutput(), options.signal);
      result = await connection.client.callTool(
        { name: tool, arguments: input as Record<string, unknown> },
        undefined,
        {
          timeout,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onprogress: options.onProgress } : {}),
        },
      );
    } catch (error) {
      if (error instanceof McpError && error.code !== -32000 && error.code !== -32001) throw error;
      // The SDK reports an abort mid-call as a timeout McpError; the caller asked to abort, so
      // the caller's own reason is what comes back, wherever the call was when it happened.
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      // A timeout names the limit this call had, which may be the caller's and not the config's.
      const typed =
        error instanceof CodegenError
          ? error
          : error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number)
            ? new TimeoutError(server, `tools/call ${tool}`, timeout)
            : await connection.failure(error, `tools/call ${tool}`);
      await pool.discard(pooled);
      throw typed;
    }
    const content = (Array.isArray(result.content) ? result.content : []) as ContentItem[];
    if (result.isError) throw new McpToolError(server, tool, content);
    if (withOutput.has(tool)) {
      if (result.structuredContent === undefined) {
        throw new RuntimeError(
          `tool "${tool}" of server "${server}" declares an outputSchema but returned no structuredContent`,
        );
      }
      return result.structuredContent as T;
    }
    return new ContentResult(content, result.structuredContent) as T;
  });
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Closes every open connection now (they also end when the process exits). */
export function closeConnections(): Promise<void> {
  return pool.closeAll();
}
