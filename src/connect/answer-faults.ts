/**
 * What went wrong with a request whose connection is fine: the server answered with a JSON-RPC
 * error, the answer was refused for its size, or it does not have the shape MCP requires. These
 * are facts for the caller to name (a tool call, a listing), never errors a user sees: the
 * runtime turns them into McpProtocolError, ResultTooLargeError and InvalidResultError, and
 * introspection into IntrospectionError. Every other failure of a request reaches callers as a
 * ConnectionError, ServerCrashedError or TimeoutError (see `Connection.request`).
 */

/** The server answered the request with a JSON-RPC error (unknown tool, invalid params…). */
export class ServerAnswerError extends Error {
  /** The JSON-RPC error code, e.g. -32602. */
  readonly rpcCode: number;
  /** The server's message, without the SDK's "MCP error <code>: " prefix. */
  readonly detail: string;
  /** The error's `data`, as sent. */
  readonly data: unknown;
  constructor(rpcCode: number, detail: string, data: unknown, cause: unknown) {
    super(`the server answered with JSON-RPC error ${rpcCode}: ${detail}`, { cause });
    this.name = "ServerAnswerError";
    this.rpcCode = rpcCode;
    this.detail = detail;
    this.data = data;
  }
}

/** The answer was longer than `maxResultBytes` and was not read (see stdio-transport.ts). */
export class AnswerTooLargeError extends Error {
  readonly bytes: number;
  readonly limit: number;
  constructor(bytes: number, limit: number, cause: unknown) {
    super(`the answer is ${bytes} bytes, over the limit of ${limit} bytes`, { cause });
    this.name = "AnswerTooLargeError";
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** The answer does not have the shape the request's schema requires. */
export class AnswerShapeError extends Error {
  /** In words: `does not have the shape MCP requires: "tools": …`. */
  readonly problem: string;
  constructor(problem: string, cause: unknown) {
    super(`the answer ${problem}`, { cause });
    this.name = "AnswerShapeError";
    this.problem = problem;
  }
}
