/**
 * Two facts about a failed request that the transports know and callers act on: the answer was
 * refused for its size (the request failed, the connection is fine), or the request never
 * reached the server (it is safe to send again on a new connection).
 */
import { httpStatus } from "./failures.js";
import { ProtocolError, SdkHttpError } from "./sdk.js";

/**
 * JSON-RPC error code of an answer the stdio transport refused for its size: from the range the
 * spec leaves to implementations. The error's `data` says it is ours (see `resultTooLarge`).
 */
export const RESULT_TOO_LARGE = -32_090;
const REASON = "mcp-codegen/result-too-large";

/** The `data` of a RESULT_TOO_LARGE error. */
export function resultTooLargeData(bytes: number, limit: number) {
  return { reason: REASON, bytes, limit };
}

/** Size and limit when `error` is a refused oversized answer; undefined for anything else. */
export function resultTooLarge(error: unknown): { bytes: number; limit: number } | undefined {
  if (!(error instanceof ProtocolError) || error.code !== RESULT_TOO_LARGE) return undefined;
  const data = error.data as { reason?: unknown; bytes?: unknown; limit?: unknown } | undefined;
  if (data?.reason !== REASON || typeof data.bytes !== "number" || typeof data.limit !== "number")
    return undefined;
  return { bytes: data.bytes, limit: data.limit };
}

/** A message the stdio transport could not write: the server never read it. */
export class NotDeliveredError extends Error {
  constructor(
    cause: unknown,
    message = `the request could not be sent: ${cause instanceof Error ? cause.message : String(cause)}`,
  ) {
    super(message, { cause });
    this.name = "NotDeliveredError";
  }
}

/**
 * True when a request certainly did not reach (or was not accepted by) the server, so sending it
 * again on a fresh connection cannot run it twice: a failed write to a stdio server, an HTTP
 * server that no longer knows the session (404, it restarted), or one that refused the TCP
 * connection.
 */
export function isNotDelivered(error: unknown): boolean {
  if (error instanceof NotDeliveredError) return true;
  if (error instanceof SdkHttpError && httpStatus(error) === 404) return true;
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === "ECONNREFUSED";
}
