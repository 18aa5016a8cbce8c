/**
 * `mcp-codegen list [server]`: what the generated tree offers, read from the tree alone (no
 * server is started). With no server, the catalog (`servers/README.md`); with one, that
 * server's `summary.d.ts`: every tool's signature with its types and one-line doc, which is
 * what a model needs to write the call (the server's README repeats the catalog's lines and
 * adds only the resources and prompts, which summary.d.ts names too). `--json` gives the
 * servers and tools from the manifest, for scripts.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { closestName } from "../config/issues.js";
import type { Manifest, ManifestServer } from "../emit/manifest.js";
import { ConfigError } from "../errors.js";
import { readPreviousManifest } from "../write/previous.js";
import { checkRelativePath } from "../write/paths.js";
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
  const serversDir = path.join(config.outDir, "servers");
  const manifest = await readPreviousManifest(config.outDir);
  if (manifest === undefined) throw noTree(serversDir, ctx.cwd);
  const chosen = server === undefined ? undefined : findServer(manifest, server);
  if (flags.json) {
    const entries = chosen ? [chosen] : Object.entries(manifest.servers);
    ctx.stdout.write(`${JSON.stringify({ servers: entries.map(listed) }, null, 2)}\n`);
    return 0;
  }
  const file = chosen ? `${chosen[1].dir}/summary.d.ts` : "README.md";
  const text = await readFile(path.join(serversDir, ...file.split("/")), "utf8").catch(() => {
    throw noTree(serversDir, ctx.cwd, file);
  });
  ctx.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  return 0;
}

/**
 * The server named by its config name or its folder. Unknown: our error with the known names
 * and the closest one. A folder the manifest gives that is not a plain name below `servers/`
 * (someone edited the file) counts as unknown rather than being read.
 */
function findServer(manifest: Manifest, name: string): [string, ManifestServer] {
  const servers = Object.entries(manifest.servers).filter(
    ([, server]) => checkRelativePath(server.dir) === undefined && !server.dir.includes("/"),
  );
  const found = servers.find(([key, server]) => key === name || server.dir === name);
  if (found !== undefined) return found;
  const known = servers.map(([key]) => key);
  const near = closestName(name, known);
  throw new ConfigError(
    `No server "${name}" in the generated tree` +
      (near !== undefined ? `; did you mean "${near}"?` : "") +
      ` Known servers: ${known.length > 0 ? known.join(", ") : "none"}`,
  );
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

function noTree(serversDir: string, cwd: string, file = "manifest.json"): ConfigError {
  const where = path.relative(cwd, path.join(serversDir, file)) || file;
  return new ConfigError(
    `No generated tree here (${where} is missing or unreadable): run \`npx mcp-codegen generate\` first`,
  );
}
