/** `mcp-codegen generate`: the tree, written (or planned with --dry-run). */
import * as path from "node:path";
import { generate } from "../generate.js";
import { readSnapshotFile } from "../introspect/snapshot-file.js";
import { countPlan, formatPlan } from "../write/index.js";
import { configFor, type CommonFlags } from "./options.js";
import { createReporter } from "./reporter.js";
import type { CommandContext } from "./context.js";

export interface GenerateFlags extends CommonFlags {
  readonly partial?: boolean;
  readonly dryRun?: boolean;
  readonly fromSnapshot?: string;
}

export async function runGenerate(flags: GenerateFlags, ctx: CommandContext): Promise<number> {
  const reporter = createReporter({ quiet: flags.quiet ?? false, stream: ctx.stderr });
  try {
    const snapshot = flags.fromSnapshot
      ? await readSnapshotFile(path.resolve(ctx.cwd, flags.fromSnapshot))
      : undefined;
    const config = await configFor(flags, ctx.cwd, ctx.env, snapshot !== undefined);
    const result = await generate({
      config,
      ...(snapshot ? { snapshot } : {}),
      ...(flags.server?.length ? { only: flags.server } : {}),
      partial: flags.partial ?? false,
      dryRun: flags.dryRun ?? false,
      reporter,
    });
    reporter.finish({ verbose: flags.verbose ?? false });
    const counts = countPlan(result.plan);
    const where = path.relative(ctx.cwd, result.plan.serversDir) || ".";
    if (flags.dryRun) {
      ctx.stdout.write(`${formatPlan(result.plan)}\n`);
    } else if (!flags.quiet) {
      const tools = result.model.servers.reduce((n, s) => n + s.tools.length, 0);
      ctx.stderr.write(
        `${where}: ${tools} tools from ${result.model.servers.length} servers; ` +
          `${counts.create} created, ${counts.update} updated, ${counts.delete} deleted, ` +
          `${counts.unchanged} unchanged (${totalMs(result.timings)} ms)\n`,
      );
    }
    for (const failure of result.failures) {
      ctx.stderr.write(`kept the old files of a failed server (--partial): ${failure.message}\n`);
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
