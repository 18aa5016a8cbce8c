import type { ResolvedServer, ResolvedTransport } from "../config/types.js";
import { transportAuth } from "../auth/session.js";
import { ConnectionError, TimeoutError } from "../errors.js";
import { authErrorIn, httpFailure, httpStatus, isNotStreamableHttp } from "./failures.js";
import { redactText } from "./redact-text.js";
import { handshake, newClient, type ClientIdentity } from "./handshake.js";
import { SSEClientTransport, StreamableHTTPClientTransport, type Client } from "./sdk.js";

type HttpTransport = Extract<ResolvedTransport, { kind: "http" }>;

/** An initialized HTTP client and how to end its session. */
export interface HttpSession {
  readonly client: Client;
  readonly kind: "streamable-http" | "sse";
  close(): Promise<void>;
}

/** How long closing waits for the server to acknowledge the end of a Streamable HTTP session. */
const END_SESSION_MS = 500;

/**
 * Connects over HTTP. Mode `auto` tries Streamable HTTP and falls back to legacy SSE (with a
 * fresh client, as the SDK requires one client per transport) when the initial POST gets a 4xx
 * other than 401/403 — the way an SSE-only server answers it. The configured headers go on
 * every request: the SDK copies `requestInit.headers` onto the POSTs of both transports and
 * onto the SSE transport's EventSource GET (1.32.2 builds those headers itself, so no
 * `eventSourceInit` is needed).
 */
export async function connectHttp(
  server: ResolvedServer,
  transport: HttpTransport,
  identity: ClientIdentity,
  deadlineAt: number,
): Promise<HttpSession> {
  const url = parseUrl(server, transport.url);
  const requestInit: RequestInit = { headers: { ...transport.headers } };
  // The stored OAuth login, if the server asks for one (see auth/session.ts).
  const auth = transportAuth(server, transport);

  let note = "";
  if (transport.mode !== "sse") {
    const streamable = new StreamableHTTPClientTransport(url, { requestInit, ...auth });
    const client = newClient(identity);
    try {
      await handshake(client, streamable, server, deadlineAt);
      return {
        client,
        kind: "streamable-http",
        close: async () => {
          // Ending the session frees the server's per-session state; a server that does not
          // answer quickly is not waited for.
          await Promise.race([
            streamable.terminateSession().catch(() => {}),
            delay(END_SESSION_MS),
          ]);
          await client.close();
        },
      };
    } catch (error) {
      await client.close().catch(() => {});
      if (error instanceof TimeoutError) throw error;
      const auth = authErrorIn(error);
      if (auth) throw auth;
      if (transport.mode !== "auto" || !isNotStreamableHttp(error)) {
        throw httpFailure(server, transport.url, error);
      }
      note = ` (Streamable HTTP was tried first and got HTTP ${httpStatus(error)}.)`;
    }
  }

  const sse = new SSEClientTransport(url, { requestInit, ...auth });
  const client = newClient(identity);
  try {
    await handshake(client, sse, server, deadlineAt);
  } catch (error) {
    await client.close().catch(() => {});
    if (error instanceof TimeoutError) throw error;
    throw authErrorIn(error) ?? httpFailure(server, transport.url, error, note);
  }
  return { client, kind: "sse", close: () => client.close() };
}

function parseUrl(server: ResolvedServer, url: string): URL {
  try {
    return new URL(url);
  } catch {
    const message = `"${url}" is not a valid URL. Check servers.${server.name}.url.`;
    throw new ConnectionError(server.name, redactText(message, server.secrets).text);
  }
}

// Ref'd, like process-group.ts's: close() awaits it, and must settle.
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
