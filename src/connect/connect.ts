import {
  DEFAULT_RUNTIME_SETTINGS,
  type ResolvedServer,
  type ResolvedTransport,
} from "../config/types.js";
import { CodegenError, ServerConfigError, ServerCrashedError, TimeoutError } from "../errors.js";
import { isRequestTimeout, requestFailure, spawnFailure, timeoutFailure } from "./failures.js";
import { handshake, newClient, type ClientIdentity } from "./handshake.js";
import { connectHttp } from "./http.js";
import { redactText } from "./redact-text.js";
import { listen, sender, type NotificationMethod, type SendRequest } from "./requests.js";
import type { Client } from "./sdk.js";
import { ProcessGroupTransport, type StdioLimits } from "./stdio-transport.js";
import { NO_STRAYS, type StrayMessages } from "./strays.js";

/** Who we say we are, and how big an answer may be (`maxResultBytes`, default 8 MiB). */
export interface ConnectOptions extends ClientIdentity, StdioLimits {}

/**
 * What the server said about itself in `initialize` or `server/discover` (copied, not the SDK's
 * object).
 */
interface ServerInfo {
  readonly name: string;
  readonly version: string;
  readonly title?: string;
}

/** An open, initialized connection to one configured server. */
export interface Connection {
  /** The configured server this connects to. */
  readonly server: ResolvedServer;
  /**
   * Sends a request (with the server's request timeout unless `options.timeout` says
   * otherwise). It fails only with our errors: an AnswerTooLargeError, ServerAnswerError or
   * AnswerShapeError when the connection is fine, a NotDeliveredError when the request never
   * reached the server, the signal's reason when aborted, otherwise what `failure` makes of it.
   */
  readonly request: SendRequest;
  /** Calls `listener` on each `method` notification; the returned function stops it. */
  onNotification(method: NotificationMethod, listener: () => void): () => void;
  /** The transport in use; with mode `auto` this says whether the SSE fallback was taken. */
  readonly transport: "stdio" | "streamable-http" | "sse";
  readonly serverInfo: ServerInfo;
  /** The protocol revision negotiated with the server, e.g. "2025-11-25" or "2026-07-28". */
  readonly protocolVersion: string;
  readonly instructions: string | undefined;
  /** Which of these the server announced (absent: it has none to list). */
  readonly offers: {
    readonly tools: boolean;
    readonly resources: boolean;
    readonly prompts: boolean;
  };
  /**
   * `{ timeout: server.requestTimeoutMs }`: what `request` applies by default (the SDK's own
   * default is 60 s whatever the config says).
   */
  readonly requestOptions: { readonly timeout: number };
  /**
   * The largest answer accepted, in bytes. A stdio transport refuses longer ones as they stream
   * in (the request fails with RESULT_TOO_LARGE); over HTTP the caller measures what it got.
   */
  readonly maxResultBytes: number;
  /** Process id of a stdio server; undefined over HTTP. */
  readonly pid: number | undefined;
  /** The last ~8 KiB of a stdio server's stderr, secrets redacted ("" over HTTP). */
  stderrTail(): string;
  /** What a stdio server wrote to stdout that answered nothing (all zero over HTTP). */
  strayMessages(): StrayMessages;
  /**
   * Turns an error thrown by a request on this connection into a typed error: a crash (with the
   * exit code and stderr), a TimeoutError (saying what the server sent meanwhile), or a
   * ConnectionError. `during` names the request ("tools/list") for the message; `timeoutMs` is
   * the limit the request had (default: the server's).
   */
  failure(error: unknown, during: string, timeoutMs?: number): Promise<CodegenError>;
  /**
   * Whether this connection keeps the Node process alive. A pooled connection sits idle between
   * calls and must not stop a finished program from exiting; while a call is in flight it must.
   */
  keepAlive(keep: boolean): void;
  /** True once the connection has ended: closed by us, or the server exited or hung up. */
  readonly closed: boolean;
  /**
   * Calls `listener` once when the connection ends, whoever ended it (at once if it already
   * has): a pool forgets a connection whose server exited between calls.
   */
  onClose(listener: () => void): void;
  /** Ends the connection; for stdio, the server and every process it started. Idempotent. */
  close(): Promise<void>;
  /**
   * Like `close()`, but a stdio server gets SIGTERM at once instead of a moment to exit on its
   * own after stdin closes: for a server that just failed or stopped answering.
   */
  kill(): Promise<void>;
}

/** How long to wait for a stdio server's exit event after its connection broke. */
const EXIT_WAIT_MS = 500;

/**
 * Opens a connection to `server`: spawns a stdio server (in its own process group) or reaches
 * an HTTP one, and negotiates the protocol revision (see handshake.ts) within
 * `server.connectTimeoutMs`. Throws a
 * ConnectionError (command not found, HTTP refusal…), a ServerCrashedError (the server exited,
 * with its code and stderr) or a TimeoutError; on any failure nothing is left running. A
 * server whose config could not be filled in (`server.unusable`) is not started: a
 * ServerConfigError says what it lacks.
 * `options.maxResultBytes` bounds every answer; a stdio transport applies it as answers stream in,
 * over HTTP callers check sizes themselves (see `Connection.maxResultBytes`).
 */
export async function connect(
  server: ResolvedServer,
  options: ConnectOptions = {},
): Promise<Connection> {
  if (server.unusable) throw new ServerConfigError(server.name, server.unusable);
  const deadlineAt = Date.now() + server.connectTimeoutMs;
  const transport = server.transport;
  if (transport.kind === "stdio") return connectStdio(server, transport, options, deadlineAt);

  const session = await connectHttp(server, transport, options, deadlineAt);
  let closing: Promise<void> | undefined;
  return toConnection(server, session.client, options, {
    transport: session.kind,
    pid: undefined,
    stderrTail: () => "",
    strayMessages: () => NO_STRAYS,
    failure: async (error, during, timeoutMs = server.requestTimeoutMs) =>
      requestFailure(server, error, during, timeoutMs),
    // Idle HTTP connections do not hold the event loop: fetch's pool unrefs its sockets.
    keepAlive: () => {},
    close: () => (closing ??= session.close().catch(() => {})),
    kill: () => (closing ??= session.close().catch(() => {})),
  });
}

async function connectStdio(
  server: ResolvedServer,
  params: Extract<ResolvedTransport, { kind: "stdio" }>,
  options: ConnectOptions,
  deadlineAt: number,
): Promise<Connection> {
  const transport = new ProcessGroupTransport(params, {
    ...(options.maxResultBytes !== undefined ? { maxResultBytes: options.maxResultBytes } : {}),
    ...(options.stdinGraceMs !== undefined ? { stdinGraceMs: options.stdinGraceMs } : {}),
  });
  const client = newClient(options);
  const failure = (error: unknown, during: string, timeoutMs: number) =>
    stdioFailure(server, transport, error, during, timeoutMs);

  try {
    await handshake(client, transport, server, deadlineAt);
  } catch (error) {
    const typed = await failure(error, "initialize", server.connectTimeoutMs);
    await transport.kill();
    throw typed;
  }

  let closing: Promise<void> | undefined;
  // The transport is ended first (client.close() alone is a no-op once the SDK has seen the
  // connection drop); the client's close then only settles the SDK's side.
  const end = (ending: Promise<void>) => ending.then(() => client.close()).catch(() => {});
  return toConnection(server, client, options, {
    transport: "stdio",
    pid: transport.pid,
    stderrTail: () => redactText(transport.stderr.text(), server.secrets).text,
    strayMessages: () => ({ ...transport.strays }),
    failure: (error, during, timeoutMs = server.requestTimeoutMs) =>
      failure(error, during, timeoutMs),
    keepAlive: (keep) => transport.setKeepAlive(keep),
    close: () => (closing ??= end(transport.close())),
    kill: () => (closing ??= end(transport.kill())),
  });
}

/** A stdio connection's failure as a typed error: could not spawn, a timeout, a crash, or other. */
async function stdioFailure(
  server: ResolvedServer,
  transport: ProcessGroupTransport,
  error: unknown,
  during: string,
  timeoutMs: number,
): Promise<CodegenError> {
  if (transport.pid === undefined) return spawnFailure(server, error);
  // No answer in time (the handshake's own timer, or the SDK's): the server is still running,
  // so there is no exit to wait for; say what it sent instead of answering.
  if (error instanceof TimeoutError || isRequestTimeout(error)) {
    return timeoutFailure(server, during, timeoutMs, transport.strays);
  }
  if (error instanceof CodegenError) return error;
  // The SDK reports a dead server only as "Connection closed"; the exit event can trail the
  // closed pipe, so give it a moment before deciding this was not a crash.
  const exit = transport.exitInfo ?? (await transport.waitForExit(EXIT_WAIT_MS));
  if (exit && (transport.exitedOnItsOwn || (exit.exitCode !== null && exit.exitCode !== 0))) {
    return new ServerCrashedError(server.name, {
      exitCode: exit.exitCode,
      signal: exit.signal,
      stderrTail: redactText(transport.stderr.text(), server.secrets).text,
      during,
    });
  }
  return requestFailure(server, error, during, timeoutMs, transport.strays);
}

type TransportParts = Pick<
  Connection,
  "transport" | "pid" | "stderrTail" | "strayMessages" | "failure" | "close" | "kill" | "keepAlive"
>;

function toConnection(
  server: ResolvedServer,
  client: Client,
  options: ConnectOptions,
  parts: TransportParts,
): Connection {
  const info = client.getServerVersion();
  const instructions = client.getInstructions();
  let closed = false;
  const listeners: Array<() => void> = [];
  // The SDK calls this when the transport ends for any reason (a stdio server's exit included),
  // before it fails the requests still waiting for answers.
  client.onclose = () => {
    closed = true;
    for (const listener of listeners.splice(0)) listener();
  };
  const capabilities = client.getServerCapabilities();
  return {
    server,
    request: sender(client, server.requestTimeoutMs, (error, during, timeoutMs) =>
      parts.failure(error, during, timeoutMs),
    ),
    onNotification: (method, listener) => listen(client, method, listener),
    ...parts,
    get closed() {
      return closed;
    },
    onClose: (listener) => (closed ? listener() : void listeners.push(listener)),
    serverInfo: {
      name: info?.name ?? "",
      version: info?.version ?? "",
      ...(typeof info?.title === "string" ? { title: info.title } : {}),
    },
    instructions: typeof instructions === "string" ? instructions : undefined,
    protocolVersion: client.getNegotiatedProtocolVersion() ?? "",
    offers: {
      tools: capabilities?.tools !== undefined,
      resources: capabilities?.resources !== undefined,
      prompts: capabilities?.prompts !== undefined,
    },
    requestOptions: { timeout: server.requestTimeoutMs },
    maxResultBytes: options.maxResultBytes ?? DEFAULT_RUNTIME_SETTINGS.maxResultBytes,
  };
}
