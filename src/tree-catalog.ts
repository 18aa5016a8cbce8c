/**
 * What the generated tree offers, read from the tree alone (no server is started): with no
 * server, the catalog (`servers/README.md`); with one, that server's `summary.d.ts`, every
 * tool's signature with its types and one-line doc, which is what a model needs to write the
 * call. `mcp-codegen list` prints it; serve's `search_tools` returns it for an empty query.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { closestName } from "./config/issues.js";
import type { Manifest, ManifestServer } from "./emit/manifest.js";
import { ConfigError, GeneratedTreeError } from "./errors.js";
import { readPreviousManifest } from "./write/previous.js";
import { checkRelativePath } from "./write/paths.js";

/** The tree's manifest; our error naming the file when there is no tree. */
export async function treeManifest(outDir: string, cwd: string): Promise<Manifest> {
  const manifest = await readPreviousManifest(outDir);
  if (manifest === undefined) throw noTree(path.join(outDir, "servers"), cwd);
  return manifest;
}

/** The catalog, or `server`'s summary (by config name or folder), as text ending in a newline. */
export async function catalogText(
  outDir: string,
  manifest: Manifest,
  server: string | undefined,
  cwd: string,
): Promise<string> {
  const serversDir = path.join(outDir, "servers");
  const chosen = server === undefined ? undefined : findServer(manifest, server);
  const file = chosen ? `${chosen[1].dir}/summary.d.ts` : "README.md";
  const text = await readFile(path.join(serversDir, ...file.split("/")), "utf8").catch(() => {
    throw noTree(serversDir, cwd, file);
  });
  return text.endsWith("\n") ? text : `${text}\n`;
}

/**
 * The server named by its config name or its folder. Unknown: our error with the known names
 * and the closest one. A folder the manifest gives that is not a plain name below `servers/`
 * (someone edited the file) counts as unknown rather than being read.
 */
export function findServer(manifest: Manifest, name: string): [string, ManifestServer] {
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

/** The tree's own error (as `stats` and `check` give it), naming the file relative to `cwd`. */
function noTree(serversDir: string, cwd: string, file = "manifest.json"): GeneratedTreeError {
  const where = path.relative(cwd, path.join(serversDir, file)) || file;
  return new GeneratedTreeError(where, "is missing or unreadable");
}
