import type { ResolvedServer } from "../config/types.js";
import { silentReporter, type Reporter } from "../log.js";
import { connect, redactText, type ClientIdentity } from "../connect/index.js";
import { listTools } from "./list-tools.js";
import { redactSnapshot } from "./redact.js";
import type { ServerSnapshot } from "./snapshot.js";

/**
 * Connects to one server, records what it says about itself (`info`, `instructions`) and lists
 * its tools, then closes the connection — always, so a stdio server's process tree ends even
 * when listing fails. The snapshot comes back with `server.secrets` redacted, so nothing
 * downstream (inspect output, logs, generated files) can see them.
 *
 * With `closeLater`, a successful listing returns without waiting for the server to exit.
 * Warnings (listing stopped early, secrets found) go to `reporter.warn`. Skipped tools are in
 * the snapshot, for the caller to report. Throws a typed CodegenError (ConnectionError,
 * ServerCrashedError, TimeoutError, IntrospectionError).
 */
export async function introspectServer(
  server: ResolvedServer,
  reporter: Reporter = silentReporter,
  identity: ClientIdentity = {},
  closeLater?: CloseLater,
): Promise<ServerSnapshot> {
  const connection = await connect(server, identity);
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
    const stray = connection.nonProtocolLines();
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
    if (failed) await connection.kill();
    else if (closeLater) closeLater(connection.close());
    else await connection.close();
  }
}

/**
 * Takes the closing of a listed server's connection instead of waiting for it: a server may take
 * a while to exit once its stdin closes (server-everything takes ~350 ms), time the generator
 * can spend on the next phases. Whoever takes it must await it before the command ends.
 */
export type CloseLater = (closing: Promise<void>) => void;
