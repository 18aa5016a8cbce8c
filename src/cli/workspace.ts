/**
 * `mcp-codegen workspace`: what the agents' `workspace/` holds, with sizes and the limit a run
 * may add; `--clean` empties it, after asking (or with `--yes`).
 */
import { createInterface } from "node:readline/promises";
import { plural } from "../plural.js";
import type { WorkspaceListing } from "../workspace/listing.js";
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

export function listingText(listing: WorkspaceListing): string {
  const limit = `a run may add up to ${listing.maxWorkspaceMb} MB (run.maxWorkspace)`;
  if (!listing.exists) return `${listing.dir} does not exist yet; ${limit}.\n`;
  const lines = [
    `${listing.dir}: ${plural(listing.files, "file")}, ${bytes(listing.totalBytes)}; ${limit}.`,
  ];
  for (const entry of listing.entries) {
    const size = entry.kind === "file" || entry.kind === "dir" ? bytes(entry.bytes) : entry.kind;
    lines.push(`  ${size.padStart(9)}  ${entry.path}${entry.kind === "dir" ? "/" : ""}`);
  }
  if (listing.truncated > 0)
    lines.push(`  … and ${listing.truncated} more entries (--json lists the first 1,000 too)`);
  return `${lines.join("\n")}\n`;
}

/** Bytes as a person reads them: 812 B, 12.4 kB, 3.1 MB (powers of 1,000, as `ls -h --si`). */
function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = n;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
