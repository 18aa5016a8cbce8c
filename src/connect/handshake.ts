import type { ResolvedServer } from "../config/types.js";
import { TimeoutError } from "../errors.js";
import { isRequestTimeout } from "./failures.js";
import { Client, type Transport } from "./sdk.js";

/** Who we say we are (in `initialize`, or in every request's `_meta` on 2026-07-28). */
export interface ClientIdentity {
  /** Default: "mcp-codegen". */
  clientName?: string;
  /** Default: "0.0.0"; the CLI passes the package version. */
  clientVersion?: string;
}

/**
 * A client that declares no capabilities. Servers then do not send sampling, elicitation or
 * roots requests (server-everything even lists fewer tools), and a server that sends one anyway
 * gets a "Method not found" error from the SDK, since no handler is registered: nothing hangs.
 */
export function newClient(identity: ClientIdentity): Client {
  return new Client(
    { name: identity.clientName ?? "mcp-codegen", version: identity.clientVersion ?? "0.0.0" },
    { capabilities: {} },
  );
}

/**
 * How long the `server/discover` probe may take, out of the handshake's `remaining` time. A
 * stdio server that ignores requests before `initialize` is taken for a 2025-era server when the
 * probe times out, and must still have time for `initialize` then; half leaves a slow-booting
 * server (started through npx, say) time to answer the probe itself.
 */
function probeTimeout(remaining: number): number {
  return Math.max(Math.floor(remaining / 2), 1);
}

const TIMED_OUT = Symbol("timed out");

/**
 * Starts the transport and negotiates the protocol revision (`server/discover`, then
 * `initialize` for a 2025-era server), all of it before `deadlineAt` (a `Date.now()`
 * value). The SDK's request timeout only covers the initialize request, not the transport's
 * start (the SSE transport waits there for its endpoint event), so the whole handshake races a
 * timer. Throws a TimeoutError on expiry, otherwise what the SDK threw. The caller closes the
 * transport on failure (that is what ends a hanging server's process tree).
 */
export async function handshake(
  client: Client,
  transport: Transport,
  server: ResolvedServer,
  deadlineAt: number,
): Promise<void> {
  const remaining = Math.max(deadlineAt - Date.now(), 1);
  // The protocol revision is negotiated: `server/discover` first, 2026-07-28 with a server that
  // answers it; `initialize` (the newest 2025-era revision both speak) with one that answers
  // with an error or, on stdio, not at all.
  client.setVersionNegotiation({ mode: "auto", probe: { timeoutMs: probeTimeout(remaining) } });
  const connecting = client.connect(transport, { timeout: remaining });
  // The race stops listening on timeout; the connect promise still rejects later (when the
  // transport closes), and must not become an unhandled rejection.
  connecting.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), remaining);
  });
  try {
    const outcome = await Promise.race([connecting, expired]);
    if (outcome === TIMED_OUT)
      throw new TimeoutError(server.name, "initialize", server.connectTimeoutMs);
  } catch (error) {
    if (isRequestTimeout(error))
      throw new TimeoutError(server.name, "initialize", server.connectTimeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
