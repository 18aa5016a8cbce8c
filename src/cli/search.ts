/**
 * `mcp-codegen search <query>`: the generated tools that match, read from the tree's search
 * index; no server is connected. Exit 0 with results, 1 with none, 2 for a usage mistake.
 */
import * as path from "node:path";
import type { CommandContext } from "./context.js";
import { configFor } from "./options.js";

export interface SearchFlags {
  readonly config?: string;
  readonly out?: string;
  readonly detail?: "name" | "summary" | "full";
  readonly limit?: number;
  readonly server?: string;
  readonly json?: boolean;
}

export async function runSearch(
  words: readonly string[],
  flags: SearchFlags,
  ctx: CommandContext,
): Promise<number> {
  const { MAX_QUERY_LENGTH, renderSearchResults, searchTree } = await import("../search/index.js");
  const query = words.join(" ").trim();
  if (query === "" || query.length > MAX_QUERY_LENGTH) {
    ctx.stderr.write(
      `error: give a query of 1 to ${MAX_QUERY_LENGTH} characters: a few words, a tool's name, or select:server.tool\n`,
    );
    return 2;
  }
  const detail = flags.detail ?? "summary";
  const results = await searchTree(await outDirFor(flags, ctx), query, {
    detail,
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
    ...(flags.server !== undefined ? { server: flags.server } : {}),
  });
  ctx.stdout.write(
    flags.json ? `${JSON.stringify(results, null, 2)}\n` : renderSearchResults(results, detail),
  );
  return results.total > 0 || (results.skills?.total ?? 0) > 0 ? 0 : 1;
}

/** The tree's folder: `--out` as given (no config needs loading), else the config's outDir. */
async function outDirFor(flags: SearchFlags, ctx: CommandContext): Promise<string> {
  if (flags.out !== undefined && flags.config === undefined) {
    return path.resolve(ctx.cwd, flags.out);
  }
  const config = await configFor(
    {
      ...(flags.config !== undefined ? { config: flags.config } : {}),
      ...(flags.out !== undefined ? { out: flags.out } : {}),
    },
    ctx.cwd,
    ctx.env,
  );
  return config.outDir;
}
