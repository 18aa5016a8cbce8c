import { keptCount } from "../config/tool-filter.js";
import type { ResolvedServer } from "../config/types.js";
import { CodegenError, IntrospectionError } from "../errors.js";
import { silentReporter, type Reporter } from "../log.js";
import type { ClientIdentity } from "../connect/index.js";
import { introspectServer, type CloseLater } from "./introspect-server.js";
import { mapConcurrent } from "../concurrency.js";
import type { ServerSnapshot } from "./snapshot.js";

export interface IntrospectOptions {
  /** How many servers to connect to at once (at least 1). */
  readonly concurrency: number;
  readonly reporter?: Reporter;
  /** Name and version sent in `initialize`. */
  readonly client?: ClientIdentity;
  /**
   * The largest answer a server may send (the config's `maxResultBytes`); a longer tool list
   * fails its server. Default: 8 MiB.
   */
  readonly maxResultBytes?: number;
  /**
   * Receives the closing of every listed server's connection instead of `introspect` waiting
   * for them (see CloseLater); the caller awaits them. Default: all are closed on return.
   */
  readonly closeLater?: CloseLater;
}

export interface IntrospectResult {
  /** One per server that was listed, sorted by server name. */
  readonly snapshots: ServerSnapshot[];
  /** One typed error per server that failed, sorted by server name. */
  readonly failures: CodegenError[];
}

/**
 * Introspects every enabled server, at most `concurrency` at a time. Disabled servers are
 * reported as skipped. Each server's progress goes to the reporter (`connecting`, then `listed`
 * or `failed`). A failing server does not stop the others: its error is returned in `failures`,
 * and this function itself does not throw.
 */
export async function introspect(
  servers: readonly ResolvedServer[],
  options: IntrospectOptions,
): Promise<IntrospectResult> {
  const reporter = options.reporter ?? silentReporter;
  const enabled: ResolvedServer[] = [];
  for (const server of servers) {
    if (server.disabled)
      reporter.serverStatus(server.name, { kind: "skipped", reason: "disabled in the config" });
    else enabled.push(server);
  }

  const outcomes = await mapConcurrent(enabled, options.concurrency, async (server) => {
    reporter.serverStatus(server.name, { kind: "connecting" });
    const started = performance.now();
    try {
      const snapshot = await introspectServer(
        server,
        reporter,
        {
          ...options.client,
          ...(options.maxResultBytes !== undefined
            ? { maxResultBytes: options.maxResultBytes }
            : {}),
        },
        options.closeLater,
      );
      const ms = Math.round(performance.now() - started);
      const kept = keptCount(
        server,
        snapshot.tools.map((tool) => tool.name),
      );
      reporter.serverStatus(server.name, {
        kind: "listed",
        tools: snapshot.tools.length,
        skipped: snapshot.skipped.length,
        ms,
        ...(kept !== undefined ? { kept } : {}),
      });
      return { server: server.name, snapshot };
    } catch (error) {
      const failure = asCodegenError(server, error);
      reporter.serverStatus(server.name, { kind: "failed", error: failure.message });
      return { server: server.name, failure };
    }
  });

  outcomes.sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : 0));
  const snapshots: ServerSnapshot[] = [];
  const failures: CodegenError[] = [];
  for (const outcome of outcomes) {
    if (outcome.snapshot) snapshots.push(outcome.snapshot);
    if (outcome.failure) failures.push(outcome.failure);
  }
  return { snapshots, failures };
}

// Anything that is not a CodegenError is a bug in mcp-codegen or the SDK; it is still reported
// per server (keeping the original as the cause) rather than aborting the other servers.
function asCodegenError(server: ResolvedServer, error: unknown): CodegenError {
  if (error instanceof CodegenError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new IntrospectionError(
    server.name,
    `unexpected error: ${message}. This is a bug in mcp-codegen; please report it with the stack below.`,
    { cause: error },
  );
}
