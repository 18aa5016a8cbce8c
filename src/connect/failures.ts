import { existsSync } from "node:fs";
import type { ResolvedServer } from "../config/types.js";
import { AuthError, CodegenError, ConnectionError, TimeoutError } from "../errors.js";
import { redactText } from "./redact-text.js";
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError, SseError } from "./sdk.js";
import { describeStrays, NO_STRAYS, type StrayMessages } from "./strays.js";

/*
 * Turning what the SDK and Node throw into errors a user can act on. Every message built from
 * something a server or the network sent passes through `redactText` with the server's secrets:
 * these messages end up in terminals and CI logs.
 */

/** A failed spawn (ENOENT, EACCES…) as a ConnectionError saying which setting to check. */
export function spawnFailure(server: ResolvedServer, error: unknown): ConnectionError {
  const transport = server.transport;
  const command = transport.kind === "stdio" ? transport.command : "";
  const cwd = transport.kind === "stdio" ? transport.cwd : "";
  const code = errorCode(error);
  const field = `servers.${server.name}`;
  let message: string;
  if (code === "ENOENT" && cwd && !existsSync(cwd)) {
    // Node reports a missing working folder as a missing command; say which one it is.
    message = `its working folder "${cwd}" does not exist. Check ${field}.cwd.`;
  } else if (code === "ENOENT") {
    message = `command "${command}" was not found. Check ${field}.command, and that the program is installed and on the PATH.`;
  } else if (code === "EACCES") {
    message = `command "${command}" could not be run (permission denied). Check that ${field}.command is an executable program.`;
  } else {
    message = `command "${command}" could not be started: ${errorMessage(error)}. Check ${field}.command.`;
  }
  return new ConnectionError(server.name, redactText(message, server.secrets).text, {
    cause: error,
  });
}

/** The HTTP status behind a transport error, when the server answered with one. */
export function httpStatus(error: unknown): number | undefined {
  if (error instanceof SdkHttpError) return error.status >= 100 ? error.status : undefined;
  if (error instanceof SseError) {
    return typeof error.code === "number" && error.code >= 100 ? error.code : undefined;
  }
  return undefined;
}

/**
 * True when a Streamable HTTP attempt failed in the way a legacy SSE-only server fails it: a 4xx
 * on the initial POST (usually 404 or 405). 401 and 403 are excluded: the SSE attempt would be
 * refused the same way, and the first refusal is the clearer error.
 */
export function isNotStreamableHttp(error: unknown): boolean {
  const status = httpStatus(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403;
}

/**
 * Our AuthError (a login missing, refused or out of scope), also where the SDK wrapped it: the
 * `server/discover` probe rethrows what the transport's fetch threw as the cause of its own.
 */
export function authErrorIn(error: unknown): AuthError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof AuthError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** An HTTP connection failure as a ConnectionError naming the status or network error. */
export function httpFailure(
  server: ResolvedServer,
  url: string,
  error: unknown,
  note = "",
): ConnectionError {
  const status = httpStatus(error);
  const field = `servers.${server.name}`;
  let message: string;
  if (status === 401 || status === 403) {
    message =
      `the server refused the connection with HTTP ${status} (${status === 401 ? "Unauthorized" : "Forbidden"}). ` +
      `Check ${field}.headers (e.g. an Authorization header) and that the environment variables it reads are set.`;
  } else if (status !== undefined) {
    message = `${url} answered HTTP ${status}: ${shorten(errorMessage(error))}. Check ${field}.url and ${field}.transport.`;
  } else {
    // A failed `server/discover` probe wraps what fetch threw (which wraps the socket's error).
    const thrown = error instanceof SdkError && error.cause !== undefined ? error.cause : error;
    const code = errorCode(causeOf(thrown)) ?? errorCode(thrown);
    message = code
      ? `could not reach ${url} (${code}). Check ${field}.url and that the server is running.`
      : `could not connect to ${url}: ${shorten(errorMessage(error))}. Check ${field}.url and ${field}.transport.`;
  }
  return new ConnectionError(server.name, redactText(message + note, server.secrets).text, {
    cause: error,
  });
}

/** True for the SDK's request timeout. */
export function isRequestTimeout(error: unknown): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout;
}

/**
 * True for an error the server answered a request with (a JSON-RPC error response). The SDK's
 * own failures (the connection closed, no answer in time, an HTTP refusal) are `SdkError`s, and
 * connection-level.
 */
export function isServerAnswer(error: unknown): error is ProtocolError {
  return error instanceof ProtocolError;
}

/**
 * Any other failure of a request, mapped to a typed error: a timeout becomes a TimeoutError
 * (saying what the server sent meanwhile, from `strays`), a CodegenError passes through, an
 * answer of the wrong shape is named in one line, the rest becomes a ConnectionError with the
 * SDK's message.
 */
export function requestFailure(
  server: ResolvedServer,
  error: unknown,
  during: string,
  timeoutMs: number,
  strays: StrayMessages = NO_STRAYS,
): CodegenError {
  if (error instanceof CodegenError) return error;
  if (isRequestTimeout(error)) return timeoutFailure(server, during, timeoutMs, strays);
  const shape = shapeProblem(error);
  const message = shape
    ? `the answer to ${during} ${shape}`
    : `${during} failed: ${shorten(errorMessage(error))}`;
  return new ConnectionError(server.name, redactText(message, server.secrets).text, {
    cause: error,
  });
}

/** A TimeoutError for `during`, saying what the server sent meanwhile that answered nothing. */
export function timeoutFailure(
  server: ResolvedServer,
  during: string,
  timeoutMs: number,
  strays: StrayMessages,
): TimeoutError {
  return new TimeoutError(server.name, during, timeoutMs, describeStrays(strays));
}

/**
 * The message of an error a server answered with. Servers built on the SDK's 1.x line send a
 * message prefixed "MCP error <code>: ": the code is said once, by the caller.
 */
export function serverErrorDetail(error: ProtocolError): string {
  return error.message.replace(/^(MCP error -?\d+: )+/, "");
}

interface ShapeIssue {
  readonly code?: unknown;
  readonly path?: unknown;
  readonly message?: unknown;
}

/**
 * When `error` is the SDK's verdict that an answer does not have the shape MCP requires (the
 * SDK checks answers with zod, whose error message is the whole list of issues as JSON), its
 * first problem in words: `does not have the shape MCP requires: "tools" must be an array, not a
 * string`. Undefined for any other error.
 */
export function shapeProblem(error: unknown): string | undefined {
  const issues = (error as { issues?: unknown } | null | undefined)?.issues;
  if (!(error instanceof Error) || !Array.isArray(issues) || issues.length === 0) return undefined;
  const first = issues[0] as ShapeIssue;
  const path = Array.isArray(first.path) ? formatPath(first.path) : "";
  const what =
    first.code === "invalid_union"
      ? "matches none of the forms MCP allows"
      : String(first.message ?? "is invalid").replace(/^Invalid input: /, "");
  const more =
    issues.length > 1
      ? ` (and ${issues.length - 1} more problem${issues.length === 2 ? "" : "s"})`
      : "";
  return `does not have the shape MCP requires: ${path ? `"${path}": ` : ""}${what}${more}`;
}

/** `content[0].type`, `tools` — a path into an answer, as a reader would write it. */
function formatPath(path: readonly unknown[]): string {
  return path
    .map((key, i) =>
      typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`,
    )
    .join("");
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

function causeOf(error: unknown): unknown {
  return error instanceof Error ? error.cause : undefined;
}

function shorten(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
