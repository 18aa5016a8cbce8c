/**
 * `mcp-codegen workspace`: what the agents' `workspace/` holds, with sizes and the limit a run
 * may add; `--clean` empties it, after asking (or with `--yes`).
 */
import { createInterface } from "node:readline/promises";
import { plural } from "../plural.js";
import { bytes, listingText } from "../workspace/text.js";
import type { CommandContext } from "./context.js";
import { configFor, type CommonFlags } from "./options.js";

export interface WorkspaceFlags extends CommonFlags {
  readonly clean?: boolean;
  readonly yes?: boolean;
  readonly json?: boolean;
}

export async function runWorkspace(flags: WorkspaceFlags, ctx: CommandContext): Promise<number> {
  const config = await configFor(flags, ctx.cwd, ctx.env);
  const { cleanWorkspace, listWorkspace } = await import("../workspace/listing.js");
  const listing = await listWorkspace(config.outDir, config.run.maxWorkspaceMb);
  if (!flags.clean) {
    ctx.stdout.write(flags.json ? `${JSON.stringify(listing, null, 2)}\n` : listingText(listing));
    return 0;
  }
  if (listing.entries.length === 0) {
    ctx.stderr.write(`${listing.dir} is already empty.\n`);
    return 0;
  }
  const what = `${plural(listing.files, "file")}, ${bytes(listing.totalBytes)}`;
  if (
    !flags.yes &&
    !(await confirmed(ctx, `Remove everything in ${listing.dir} (${what})? [y/N] `))
  ) {
    ctx.stderr.write("Nothing was removed.\n");
    return 1;
  }
  const removed = await cleanWorkspace(config.outDir);
  ctx.stderr.write(
    `Emptied ${listing.dir}: removed ${bytes(removed.bytes)} in ${plural(removed.entries, "item")}.\n`,
  );
  return 0;
}

/** Asks on the terminal; with none (a script, CI), says to pass --yes and answers no. */
async function confirmed(ctx: CommandContext, question: string): Promise<boolean> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    ctx.stderr.write(
      "mcp-codegen workspace --clean: there is no terminal to ask on; pass --yes to empty it.\n",
    );
    return false;
  }
  const terminal = createInterface({ input: stdin, output: process.stderr });
  try {
    return /^(y|yes)$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}
