/**
 * `readDefinitions`: TypeScript for the names a model asks for. A server's name gives its
 * `summary.d.ts` (every tool in short); `server.tool`, or a tool name no other server uses,
 * gives that tool's declaration with its types. A name that names nothing gets a line saying
 * so, with the closest names, so that the model can ask again.
 */
import { readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import { closestName } from "../config/issues.js";
import { SearchError } from "../errors.js";
import { toMessageText } from "../model/text.js";
import { resolveInside } from "../write/paths.js";
import { importPathOf } from "./documents.js";
import type { ToolName } from "./index-entries.js";
import { rank } from "./rank.js";
import type { LoadedIndex } from "./index-file.js";
import { readSearchIndex } from "./load-index.js";
import { readDeclaration } from "./declaration.js";
import { findByName } from "./names.js";

const MAX_NAMES = 50;
const MAX_NAME_LENGTH = 500;
/** A summary file is cut to pages of a few thousand tokens; anything far larger is not ours. */
const MAX_SUMMARY_BYTES = 1024 * 1024;
const SUMMARY_FILE = "summary.d.ts";

/** The definitions of `names`, one block each, in the order asked. */
export async function readDefinitions(outDir: string, names: readonly string[]): Promise<string> {
  checkNames(names);
  const index = await readSearchIndex(outDir);
  const blocks: string[] = [];
  for (const name of names) blocks.push(await definitionOf(outDir, index, name.trim()));
  return `${blocks.join("\n\n")}\n`;
}

async function definitionOf(outDir: string, index: LoadedIndex, name: string): Promise<string> {
  const server = index.tools.find((d) => d.server === name);
  if (server) return serverSummary(outDir, server);
  const ids = findByName(index, name);
  if (ids.length === 1) return toolDefinition(outDir, index.tools[ids[0]!]!);
  if (ids.length > 1) {
    const which = ids.map((id) => qualified(index.tools[id]!)).join(", ");
    return `// ${shown(name)} is a tool of several servers; name one of: ${which}.`;
  }
  return `// ${shown(name)} names no server or tool.${closest(index, name)}`;
}

async function toolDefinition(outDir: string, document: ToolName): Promise<string> {
  // The import says which server and tool (its folder, its function): no need to name them twice.
  const heading = `// import { ${document.identifier} } from "${importPathOf(document)}"`;
  return `${heading}\n${await readDeclaration(outDir, document)}`;
}

/** The server's `summary.d.ts`, with a line saying where the rest is when it has parts. */
async function serverSummary(outDir: string, document: ToolName): Promise<string> {
  const shownFile = `servers/${document.dir}/${SUMMARY_FILE}`;
  const serversDir = path.join(outDir, "servers");
  const file = resolveInside(serversDir, `${document.dir}/${SUMMARY_FILE}`);
  const size = (await stat(file).catch(() => undefined))?.size;
  if (size === undefined) return `// ${shownFile} is missing; run \`mcp-codegen generate\`.`;
  if (size > MAX_SUMMARY_BYTES) {
    return `// ${shownFile} is ${size} bytes, too long to show; ask for its tools by name (server.tool).`;
  }
  const text = (await readFile(file, "utf8")).trimEnd();
  const second = resolveInside(serversDir, `${document.dir}/summary-2.d.ts`);
  const more = (await stat(second).catch(() => undefined)) !== undefined;
  return more
    ? `${text}\n// More of ${document.server}'s tools are declared in its summary-2.d.ts and on; ask for them by name (server.tool).`
    : text;
}

/** The closest tools (by the search's own ranking) and server, as a sentence. */
function closest(index: LoadedIndex, name: string): string {
  const servers = [...new Set(index.tools.map((d) => d.server))];
  const server = closestName(name, servers);
  const tools = rank(index.ranking, name)
    .best(3)
    .map((match) => qualified(index.tools[match.id]!));
  const names = [...(server !== undefined ? [server] : []), ...tools];
  return names.length > 0 ? ` Closest: ${names.join(", ")}.` : " Search with `search_tools` first.";
}

function qualified(document: ToolName): string {
  return `${toMessageText(document.server, 200)}.${toMessageText(document.tool, 200)}`;
}

function shown(name: string): string {
  return JSON.stringify(toMessageText(name, 80));
}

function checkNames(names: unknown): asserts names is readonly string[] {
  if (!Array.isArray(names) || names.length === 0 || names.length > MAX_NAMES) {
    throw new SearchError(`give from 1 to ${MAX_NAMES} names of servers or tools.`);
  }
  for (const name of names as unknown[]) {
    if (typeof name !== "string" || name.trim() === "" || name.length > MAX_NAME_LENGTH) {
      throw new SearchError(
        `each name must be a server or tool name of 1 to ${MAX_NAME_LENGTH} characters.`,
      );
    }
  }
}
