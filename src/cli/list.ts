/**
 * `mcp-codegen list [server]`: what the generated tree offers, read from the tree alone (no
 * server is started). With no server, the catalog (`servers/README.md`); with one, that
 * server's `summary.d.ts`: every tool's signature with its types and one-line doc, which is
 * what a model needs to write the call (the server's README repeats the catalog's lines and
 * adds only the resources and prompts, which summary.d.ts names too). `--json` gives the
 * servers and tools from the manifest, for scripts.
 */
import type { ManifestServer } from "../emit/manifest.js";
import { catalogText, findServer, treeManifest } from "../tree-catalog.js";
import type { CommandContext } from "./context.js";
import { configFor } from "./options.js";

export interface ListFlags {
  readonly config?: string;
  readonly out?: string;
  readonly json?: boolean;
}

/** One server as `--json` gives it. */
interface ListedServer {
  readonly name: string;
  readonly dir: string;
  /** What the server said it is (its name, version and title) when the tree was generated. */
  readonly info: Readonly<Record<string, string>>;
  readonly tools: ReadonlyArray<{
    name: string;
    identifier: string;
    file: string;
    summary: string;
  }>;
}

export async function runList(
  server: string | undefined,
  flags: ListFlags,
  ctx: CommandContext,
): Promise<number> {
  const config = await configFor(flags, ctx.cwd, ctx.env);
  const manifest = await treeManifest(config.outDir, ctx.cwd);
  if (flags.json) {
    const entries =
      server === undefined ? Object.entries(manifest.servers) : [findServer(manifest, server)];
    ctx.stdout.write(`${JSON.stringify({ servers: entries.map(listed) }, null, 2)}\n`);
    return 0;
  }
  ctx.stdout.write(await catalogText(config.outDir, manifest, server, ctx.cwd));
  return 0;
}

function listed([name, server]: [string, ManifestServer]): ListedServer {
  const info = Object.entries(server.info).filter(
    (entry): entry is [string, string] =>
      ["name", "version", "title"].includes(entry[0]) && typeof entry[1] === "string",
  );
  return {
    name,
    dir: server.dir,
    info: Object.fromEntries(info),
    tools: Object.entries(server.tools).map(([tool, entry]) => ({
      name: tool,
      identifier: entry.identifier,
      file: `servers/${entry.file}`,
      summary: typeof entry.summary === "string" ? entry.summary : "",
    })),
  };
}
