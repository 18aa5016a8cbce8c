/** `mcp-codegen check`: exit 1 when the live servers no longer match the committed tree. */
import * as path from "node:path";
import type { CheckResult } from "../check.js";
import { endServersStartedEarly, startServersEarly } from "../introspect/start-early.js";
import type { CommandContext } from "./context.js";
import { configFor, snapshotFor, type CommonFlags } from "./options.js";
import { writeProfile } from "./profile.js";
import { createReporter } from "./reporter.js";

export interface CheckFlags extends CommonFlags {
  readonly fromSnapshot?: string;
  readonly profile?: string;
}

export async function runCheck(flags: CheckFlags, ctx: CommandContext): Promise<number> {
  const reporter = await createReporter({ quiet: flags.quiet ?? false, stream: ctx.stderr });
  const snapshot = await snapshotFor(flags, ctx.cwd);
  const config = await configFor(flags, ctx.cwd, ctx.env, snapshot !== undefined);
  // The servers boot while the pipeline loads.
  if (snapshot === undefined) startServersEarly(config, flags.server);
  const result = await import("../check.js")
    .then(({ check }) =>
      check({
        config,
        ...(snapshot ? { snapshot } : {}),
        ...(flags.server?.length ? { only: flags.server } : {}),
        reporter,
      }),
    )
    .finally(async () => {
      reporter.finish({ verbose: flags.verbose ?? false });
      await endServersStartedEarly();
    });
  if (flags.profile !== undefined) writeProfile(flags.profile, ctx.cwd, "check", result.timings);

  const lines = reportLines(result);
  if (result.clean) {
    if (!flags.quiet)
      ctx.stderr.write(
        `${path.relative(ctx.cwd, config.outDir) || "."}/servers is up to date with the servers.\n`,
      );
    return 0;
  }
  ctx.stdout.write(`${lines.join("\n")}\n`);
  if (result.drift.length > 0 || result.stale.length > 0)
    ctx.stderr.write(
      "The servers no longer match the generated tree. Review the changes above, then run `npx mcp-codegen generate`.\n",
    );
  if (result.skills.length > 0)
    ctx.stderr.write(
      `${result.skills.length === 1 ? "A saved skill does" : "Saved skills do"} not type-check against the servers as they are now: fix the skill (then \`mcp-codegen skill save --force\`), or the server.\n`,
    );
  return 1;
}

/** What check prints on stdout when the tree is not clean: drift, stale files, broken skills. */
function reportLines(result: CheckResult): string[] {
  const lines: string[] = [];
  for (const server of result.drift) {
    lines.push(`${server.server}:`);
    if (server.protocol) {
      lines.push(`  protocol revision ${server.protocol.from} → ${server.protocol.to}`);
    }
    for (const tool of server.added) lines.push(`  added    ${tool}`);
    for (const tool of server.removed) lines.push(`  removed  ${tool}`);
    for (const change of server.changed) {
      lines.push(`  changed  ${change.tool} (${change.fields.join(", ")})`);
      for (const line of change.diff) lines.push(`           ${line}`.trimEnd());
    }
  }
  if (result.stale.length > 0) {
    lines.push(
      `${result.stale.length} generated file${result.stale.length === 1 ? " is" : "s are"} out of date:`,
    );
    for (const entry of result.stale.slice(0, 50))
      lines.push(`  ${entry.action.padEnd(7)}  servers/${entry.path}`);
    if (result.stale.length > 50) lines.push(`  … and ${result.stale.length - 50} more`);
  }
  for (const problem of result.skills) {
    const tools = problem.tools.length ? ` (calls ${problem.tools.join(", ")})` : "";
    lines.push(
      `skill "${problem.skill}" no longer type-checks: ${problem.file}:${problem.line}:${problem.column}${tools}: ${problem.message}`,
    );
  }
  return lines;
}
