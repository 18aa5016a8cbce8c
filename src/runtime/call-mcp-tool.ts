/**
 * `callMcpTool`: what every generated stub calls. Looks the server up in the config, reuses its
 * pooled connection, and turns the result into what the stub's type promises.
 */
import { CodegenError } from "../errors.js";
import { McpError } from "../connect/index.js";
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
  const config = await serverConfig(server);
  const pooled = await pool.acquire(config);
  return pooled.use(async (connection) => {
    let result;
    let withOutput: ReadonlySet<string>;
    try {
      withOutput = await pooled.toolsWithOutput();
      result = await connection.client.callTool(
        { name: tool, arguments: input as Record<string, unknown> },
        undefined,
        {
          timeout: options.timeout ?? connection.requestOptions.timeout,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onprogress: options.onProgress } : {}),
        },
      );
    } catch (error) {
      if (error instanceof McpError && error.code !== -32000 && error.code !== -32001) throw error;
      if (options.signal?.aborted) throw error;
      const typed =
        error instanceof CodegenError
          ? error
          : await connection.failure(error, `tools/call ${tool}`);
      await pool.discard(server);
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

/** Closes every open connection now (they also end when the process exits). */
export function closeConnections(): Promise<void> {
  return pool.closeAll();
}
