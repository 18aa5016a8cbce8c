/**
 * `mcp-codegen stats`: the tokens the servers' tool definitions cost a model, against the
 * catalog, summaries and tool files it reads instead (src/stats/token-stats.ts).
 */
import type { TokenStats } from "../stats/token-stats.js";
import type { CommandContext } from "./context.js";
import { configFor, snapshotFor, type CommonFlags } from "./options.js";
import { introspectServers } from "./inspect.js";

export interface StatsFlags extends CommonFlags {
  readonly json?: boolean;
  readonly fromSnapshot?: string;
}

export async function runStats(flags: StatsFlags, ctx: CommandContext): Promise<number> {
  const snapshot = await snapshotFor(flags, ctx.cwd);
  const config = await configFor(flags, ctx.cwd, ctx.env, snapshot !== undefined);
  const { readTreeManifest, tokenStats } = await import("../stats/token-stats.js");
  // Read first: without a tree there is nothing to compare, and no server need be started.
  const manifest = await readTreeManifest(config.outDir);
  const only = new Set(flags.server ?? []);
  const wanted = (name: string) =>
    Object.hasOwn(manifest.servers, name) && (only.size === 0 || only.has(name));
  const listed = snapshot
    ? { snapshots: snapshot.servers.filter((s) => wanted(s.name)), failures: [] }
    : await introspectServers(
        ctx,
        config,
        config.servers.filter((server) => wanted(server.name)),
        flags.quiet ?? true,
      );
  const stats = await tokenStats(listed.snapshots, config.outDir, manifest);
  ctx.stdout.write(flags.json ? `${JSON.stringify(stats, null, 2)}\n` : statsText(stats));
  for (const failure of listed.failures) ctx.stderr.write(`${failure.message}\n`);
  return listed.failures.length > 0 ? 1 : 0;
}

/** The table a person reads; `--json` gives the same figures to scripts. */
export function statsText(stats: TokenStats): string {
  const rows = stats.servers.map((s) => [
    s.server,
    count(s.tools),
    count(s.definitionTokens),
    count(s.summary.tokens),
    `${count(s.toolFiles.averageTokens)} / ${count(s.toolFiles.largest?.tokens ?? 0)}`,
    s.toolFiles.largest?.file ?? "",
  ]);
  const header = ["server", "tools", "definitions", "summary", "tool file avg / max", "largest"];
  const { tools, definitionTokens, summaryTokens } = stats.totals;
  const catalog = stats.catalog;
  const lines = [
    `Tokens (${stats.encoding}, a proxy: Claude's tokenizer is not public)`,
    "",
    ...table([header, ...rows]),
    "",
    `All ${count(tools)} tools' definitions, as classic tool calling loads them: ${count(definitionTokens)} tokens${tools ? `, ${perTool(definitionTokens, tools)} a tool` : ""}.`,
    `The catalog (servers/README.md) lists the tree's ${count(catalog.tools)} tools in ${count(catalog.tokens)} tokens${catalog.tools ? `, ${perTool(catalog.tokens, catalog.tools)} a tool` : ""}.`,
    `The servers' summaries (every function with its fields): ${count(summaryTokens)} tokens${definitionTokens ? `, ${percent(summaryTokens, definitionTokens)} of the definitions` : ""}.`,
  ];
  return `${lines.join("\n")}\n`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) =>
        column === 0 || column === 5
          ? cell.padEnd(widths[column]!)
          : cell.padStart(widths[column]!),
      )
      .join("  ")
      .trimEnd(),
  );
}

const count = (n: number) => n.toLocaleString("en-US");
const perTool = (tokens: number, tools: number) => (tokens / tools).toFixed(1);
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;
