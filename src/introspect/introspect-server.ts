import { secretOrigin } from "../config/secrets.js";
import { plural } from "../plural.js";
import type { ResolvedServer } from "../config/types.js";
import { IntrospectionError } from "../errors.js";
import { silentReporter, type Reporter } from "../log.js";
import { connect, redactText, type ConnectOptions } from "../connect/index.js";
import { listExtras } from "./list-extras.js";
import { listTools } from "./list-tools.js";
import { redactSnapshot, type SecretInName } from "./redact.js";
import type { ServerSnapshot } from "./snapshot.js";

/**
 * Connects to one server (`options`: who we say we are, and the largest answer accepted), records what it says about itself (`info`, `instructions`) and lists
 * its tools, then closes the connection — always, so a stdio server's process tree ends even
 * when listing fails. The snapshot comes back with `server.secrets` redacted, so nothing
 * downstream (inspect output, logs, generated files) can see them.
 *
 * With `closeLater`, a successful listing returns without waiting for the server to exit.
 * Warnings (listing stopped early, secrets found) go to `reporter.warn`. Skipped tools are in
 * the snapshot, for the caller to report. Throws a typed CodegenError (ConnectionError,
 * ServerCrashedError, TimeoutError, IntrospectionError: also when a secret is in a tool's
 * name or a schema's keys, which are never rewritten).
 */
/**
 * How long a listed stdio server gets to exit on its own once its stdin closes, before SIGTERM
 * (then SIGKILL a second later). Short: it has nothing left to do. Some servers wait a while
 * before exiting on EOF (server-everything ~350 ms), time every `generate` would spend waiting.
 */
const STDIN_GRACE_MS = 50;

export async function introspectServer(
  server: ResolvedServer,
  reporter: Reporter = silentReporter,
  options: ConnectOptions = {},
  closeLater?: CloseLater,
): Promise<ServerSnapshot> {
  const connection = await connect(server, { stdinGraceMs: STDIN_GRACE_MS, ...options });
  let failed = true;
  try {
    // Asked for together: a round trip saved per list on a server that answers in turn.
    const [{ tools, skipped, warnings }, extras] = await Promise.all([
      listTools(connection, server),
      listExtras(connection),
    ]);
    warnings.push(...extras.warnings);
    const { name, version, title } = connection.serverInfo;
    const raw: ServerSnapshot = {
      name: server.name,
      info: { name, version, ...(title !== undefined ? { title } : {}) },
      ...(connection.instructions !== undefined ? { instructions: connection.instructions } : {}),
      ...(connection.protocolVersion ? { protocolVersion: connection.protocolVersion } : {}),
      tools,
      skipped,
      ...nonEmpty("resources", extras.resources),
      ...nonEmpty("resourceTemplates", extras.resourceTemplates),
      ...nonEmpty("prompts", extras.prompts),
    };
    const { snapshot, redactions, inNames } = redactSnapshot(raw, server.secrets);
    if (inNames.length > 0) throw secretInNameError(server, inNames);
    for (const warning of warnings) {
      reporter.warn({ ...warning, message: redactText(warning.message, server.secrets).text });
    }
    const { notJson, notJsonRpc } = connection.strayMessages();
    const stray = notJson + notJsonRpc;
    if (stray > 0) {
      reporter.warn({
        server: server.name,
        message: `the server wrote ${plural(stray, "line")} to stdout that ${stray === 1 ? "is" : "are"} not MCP messages (logging to stdout?); skipped. Its stdout is for the protocol: make it log to stderr.`,
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

/** `{ [key]: items }`, or nothing when there are none: snapshots of servers without them stay as they were. */
function nonEmpty<K extends string, T>(key: K, items: readonly T[]): { [k in K]?: readonly T[] } {
  return items.length > 0 ? ({ [key]: items } as { [k in K]: readonly T[] }) : {};
}

/**
 * Takes the closing of a listed server's connection instead of waiting for it: a server may take
 * a while to exit once its stdin closes (server-everything takes ~350 ms), time the generator
 * can spend on the next phases. Whoever takes it must await it before the command ends.
 */
export type CloseLater = (closing: Promise<void>) => void;

/** Names are never rewritten, so a server that has a secret in one cannot be generated. */
function secretInNameError(
  server: ResolvedServer,
  found: readonly SecretInName[],
): IntrospectionError {
  const first = found[0]!;
  const origin = secretOrigin(server, first.secret);
  const where = first.field === "name" ? "its name" : first.field;
  const more = found.length > 1 ? ` (and in ${found.length - 1} more place(s))` : "";
  return new IntrospectionError(
    server.name,
    `${first.kind ?? "tool"} "${first.tool}" has a value the config counts as secret${origin ? ` (${origin})` : ""} in ${where}${more}. ` +
      "Names are never rewritten, so nothing of this server was generated. If the value is no " +
      "secret, give it a name that does not say token, key, secret, password or credentials, and " +
      'leave it out of "secrets"; if it is one, this server shows it in its tool list: stop giving it to this server.',
  );
}
