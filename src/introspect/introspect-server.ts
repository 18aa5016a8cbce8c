import type { ResolvedServer } from "../config/types.js";
import { silentReporter, type Reporter } from "../log.js";
import { connect, redactText, type ConnectOptions } from "../connect/index.js";
import { listTools } from "./list-tools.js";
import { redactSnapshot } from "./redact.js";
import type { ServerSnapshot } from "./snapshot.js";

/**
 * Connects to one server (`options`: who we say we are, and the largest answer accepted), records what it says about itself (`info`, `instructions`) and lists
 * its tools, then closes the connection — always, so a stdio server's process tree ends even
 * when listing fails. The snapshot comes back with `server.secrets` redacted, so nothing
 * downstream (inspect output, logs, generated files) can see them.
 *
 * Warnings (listing stopped early, secrets found) go to `reporter.warn`. Skipped tools are in
 * the snapshot, for the caller to report. Throws a typed CodegenError (ConnectionError,
 * ServerCrashedError, TimeoutError, IntrospectionError).
 */
export async function introspectServer(
  server: ResolvedServer,
  reporter: Reporter = silentReporter,
  options: ConnectOptions = {},
): Promise<ServerSnapshot> {
  const connection = await connect(server, options);
  let failed = true;
  try {
    const { tools, skipped, warnings } = await listTools(connection, server);
    const { name, version, title } = connection.serverInfo;
    const raw: ServerSnapshot = {
      name: server.name,
      info: { name, version, ...(title !== undefined ? { title } : {}) },
      ...(connection.instructions !== undefined ? { instructions: connection.instructions } : {}),
      tools,
      skipped,
    };
    const { snapshot, redactions } = redactSnapshot(raw, server.secrets);
    for (const warning of warnings) {
      reporter.warn({ ...warning, message: redactText(warning.message, server.secrets).text });
    }
    const { notJson, notJsonRpc } = connection.strayMessages();
    const stray = notJson + notJsonRpc;
    if (stray > 0) {
      reporter.warn({
        server: server.name,
        message: `the server wrote ${stray} line${stray === 1 ? "" : "s"} to stdout that ${stray === 1 ? "is" : "are"} not MCP messages (logging to stdout?); skipped. Its stdout is for the protocol: make it log to stderr.`,
      });
    }
    if (redactions > 0) {
      reporter.warn({
        server: server.name,
        message:
          `the server sent ${redactions} occurrence(s) of secret values from the config ` +
          `(env, headers, arguments); they were replaced with [REDACTED]`,
      });
    }
    failed = false;
    return snapshot;
  } finally {
    // A server that failed to list (or hung) is not given time to exit on its own.
    await (failed ? connection.kill() : connection.close());
  }
}
