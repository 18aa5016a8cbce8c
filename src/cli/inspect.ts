/** `mcp-codegen inspect`: the servers' snapshot as JSON on stdout (replay it with --from-snapshot). */
import { SNAPSHOT_VERSION, type Snapshot } from "../introspect/snapshot.js";
import { endServersStartedEarly, startServersEarly } from "../introspect/start-early.js";
import type { CommandContext } from "./context.js";
import { configFor, type CommonFlags } from "./options.js";
import { createReporter } from "./reporter.js";

export async function runInspect(flags: CommonFlags, ctx: CommandContext): Promise<number> {
  const reporter = await createReporter({ quiet: flags.quiet ?? false, stream: ctx.stderr });
  const config = await configFor(flags, ctx.cwd, ctx.env);
  // The servers boot while the SDK loads.
  startServersEarly(config);
  const { introspect } = await import("../introspect/introspect.js");
  const { snapshots, failures } = await introspect(config.servers, {
    concurrency: config.concurrency,
    maxResultBytes: config.runtime.maxResultBytes,
    reporter,
  }).finally(async () => {
    reporter.finish();
    await endServersStartedEarly();
  });
  const snapshot: Snapshot = { snapshotVersion: SNAPSHOT_VERSION, servers: snapshots };
  ctx.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
  for (const failure of failures) ctx.stderr.write(`${failure.message}\n`);
  return failures.length > 0 ? 1 : 0;
}
