/** `mcp-codegen generate`: the tree, written (or planned with --dry-run). */
import * as path from "node:path";
import { endServersStartedEarly, startServersEarly } from "../introspect/start-early.js";
import { plural } from "../plural.js";
import { countPlan, formatPlan } from "../write/index.js";
import { configFor, snapshotFor, type CommonFlags } from "./options.js";
import { writeProfile } from "./profile.js";
import { createReporter } from "./reporter.js";
import type { CommandContext } from "./context.js";
import type { ResolvedConfig } from "../config/types.js";
import type { Snapshot } from "../introspect/snapshot.js";

export interface GenerateFlags extends CommonFlags {
  readonly partial?: boolean;
  readonly watch?: boolean;
  readonly dryRun?: boolean;
  readonly fromSnapshot?: string;
  readonly profile?: string;
}

export async function runGenerate(flags: GenerateFlags, ctx: CommandContext): Promise<number> {
  if (flags.watch) return runWatch(flags, ctx);
  const snapshot = await snapshotFor(flags, ctx.cwd);
  const config = await configFor(flags, ctx.cwd, ctx.env, snapshot !== undefined);
  try {
    // The servers boot while the pipeline loads.
    if (snapshot === undefined) startServersEarly(config, flags.server);
    return await generateAndReport(flags, ctx, config, snapshot);
  } finally {
    await endServersStartedEarly();
  }
}

/** `--watch`: see src/watch/watch.ts. A failed run is reported and the watch goes on. */
async function runWatch(flags: GenerateFlags, ctx: CommandContext): Promise<number> {
  const { watchAndGenerate } = await import("../watch/watch.js");
  const log = (line: string) => ctx.stderr.write(`mcp-codegen watch: ${line}\n`);
  // Ends with the process: Ctrl-C (SIGINT) and SIGTERM end the servers and exit (signals.ts);
  // a run under way writes all of its files or none.
  return watchAndGenerate(await configFor(flags, ctx.cwd, ctx.env), {
    loadConfig: () => configFor(flags, ctx.cwd, ctx.env),
    generate: async (config, only) => {
      try {
        const chosen = only ? { ...flags, server: [...only] } : flags;
        return await generateAndReport(chosen, ctx, config, undefined);
      } catch (error) {
        log(error instanceof Error ? error.message : String(error));
        return 1;
      }
    },
    log,
    signal: new AbortController().signal,
  });
}

/** One run of the pipeline, reported: progress, the summary line, failures kept by --partial. */
async function generateAndReport(
  flags: GenerateFlags,
  ctx: CommandContext,
  config: ResolvedConfig,
  snapshot: Snapshot | undefined,
): Promise<number> {
  const reporter = await createReporter({ quiet: flags.quiet ?? false, stream: ctx.stderr });
  try {
    const { generate } = await import("../generate.js");
    const result = await generate({
      config,
      ...(snapshot ? { snapshot } : {}),
      ...(flags.server?.length ? { only: flags.server } : {}),
      partial: flags.partial ?? false,
      dryRun: flags.dryRun ?? false,
      reporter,
    });
    reporter.finish({ verbose: flags.verbose ?? false });
    if (flags.profile !== undefined) {
      writeProfile(flags.profile, ctx.cwd, "generate", result.timings);
    }
    const counts = countPlan(result.plan);
    const where = path.relative(ctx.cwd, result.plan.serversDir) || ".";
    if (flags.dryRun) {
      ctx.stdout.write(`${formatPlan(result.plan)}\n`);
    } else if (!flags.quiet) {
      const tools = result.model.servers.reduce((n, s) => n + s.tools.length, 0);
      ctx.stderr.write(
        `${where}: ${plural(tools, "tool")} from ${plural(result.model.servers.length, "server")}; ` +
          `${counts.create} created, ${counts.update} updated, ${counts.delete} deleted, ` +
          `${counts.unchanged} unchanged (${totalMs(result.timings)} ms)\n`,
      );
    }
    if (flags.verbose) {
      const phases = Object.entries(result.timings).map(([phase, ms]) => `${phase} ${ms} ms`);
      ctx.stderr.write(
        `timings: ${phases.join(", ")}; tool files rendered ${result.stats.rendered}, reused ${result.stats.reused}\n`,
      );
    }
    for (const failure of result.failures) {
      const server = (failure as { server?: string }).server;
      const had = server !== undefined && result.previousManifest?.servers[server] !== undefined;
      ctx.stderr.write(
        had
          ? `kept the old files of a failed server (--partial): ${failure.message}\n`
          : `left out a failed server that has no files yet (--partial): ${failure.message}\n`,
      );
    }
    return result.failures.length > 0 ? 1 : 0;
  } catch (error) {
    reporter.finish({ verbose: flags.verbose ?? false });
    throw error;
  }
}

function totalMs(timings: Readonly<Record<string, number>>): number {
  return Object.values(timings).reduce((a, b) => a + b, 0);
}
