/** `mcp-codegen inspect`: the servers' snapshot as JSON on stdout (replay it with --from-snapshot). */
import type { ResolvedConfig, ResolvedServer } from "../config/types.js";
import type { IntrospectResult } from "../introspect/introspect.js";
import { SNAPSHOT_VERSION, type Snapshot } from "../introspect/snapshot.js";
import { endServersStartedEarly, startServersEarly } from "../introspect/start-early.js";
import type { CommandContext } from "./context.js";
import { configFor, type CommonFlags } from "./options.js";
import { createReporter } from "./reporter.js";

export async function runInspect(flags: CommonFlags, ctx: CommandContext): Promise<number> {
  const config = await configFor(flags, ctx.cwd, ctx.env);
  const { snapshots, failures } = await introspectServers(
    ctx,
    config,
    config.servers,
    flags.quiet ?? false,
  );
  const snapshot: Snapshot = { snapshotVersion: SNAPSHOT_VERSION, servers: snapshots };
  ctx.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
  for (const failure of failures) ctx.stderr.write(`${failure.message}\n`);
  return failures.length > 0 ? 1 : 0;
}

/** Lists `servers`' tools with progress on stderr; the servers boot while the SDK loads. */
export async function introspectServers(
  ctx: CommandContext,
  config: ResolvedConfig,
  servers: readonly ResolvedServer[],
  quiet: boolean,
): Promise<IntrospectResult> {
  const reporter = await createReporter({ quiet, stream: ctx.stderr });
  startServersEarly(
    config,
    servers.map((server) => server.name),
  );
  const { introspect } = await import("../introspect/introspect.js");
  return introspect(servers, {
    concurrency: config.concurrency,
    maxResultBytes: config.runtime.maxResultBytes,
    reporter,
  }).finally(async () => {
    reporter.finish();
    await endServersStartedEarly();
  });
}
