/**
 * `mcp-codegen stats`: what the tree saves, counted in tokens. For each server, its tools'
 * definitions as a model receives them in classic tool calling (name, description and input
 * schema, as JSON, per tool), against what an agent reads instead: the catalog, the server's
 * summary, one tool's file.
 *
 * Tokens are o200k_base's (gpt-tokenizer): Claude's tokenizer is not public, so every count is
 * a proxy, and said to be one wherever it is shown.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { GeneratedTreeError } from "../errors.js";
import type { Manifest, ManifestServer } from "../emit/manifest.js";
import { MANIFEST_PATH, parseManifest } from "../emit/manifest.js";
import type { ServerSnapshot, ToolDefinition } from "../introspect/snapshot.js";
import { compareCodeUnits } from "../compare.js";

const TOKEN_ENCODING = "o200k_base";

interface FileTokens {
  /** Relative to the tree's `servers/` folder. */
  readonly file: string;
  readonly tokens: number;
}

interface ServerTokenStats {
  readonly server: string;
  readonly tools: number;
  /** Every kept tool's definition, as classic tool calling puts it before the model. */
  readonly definitionTokens: number;
  /** The largest definition: the tool that costs most to load. */
  readonly largestDefinition: { readonly tool: string; readonly tokens: number } | undefined;
  /** `<server>/summary.d.ts`: every function of the server with its fields. */
  readonly summary: FileTokens;
  /** `<server>/<tool>.ts` files: their mean and the largest. */
  readonly toolFiles: {
    readonly averageTokens: number;
    readonly largest: FileTokens | undefined;
  };
}

export interface TokenStats {
  readonly encoding: typeof TOKEN_ENCODING;
  /** `servers/README.md`, the catalog an agent reads first, and how many tools it lists. */
  readonly catalog: FileTokens & { readonly tools: number };
  readonly servers: readonly ServerTokenStats[];
  readonly totals: {
    readonly tools: number;
    readonly definitionTokens: number;
    readonly summaryTokens: number;
  };
}

/** Counts tokens of `snapshots`' definitions and of the tree under `outDir` generated from them. */
export async function tokenStats(
  snapshots: readonly ServerSnapshot[],
  outDir: string,
  manifest: Manifest,
): Promise<TokenStats> {
  const root = path.join(outDir, "servers");
  const servers: ServerTokenStats[] = [];
  for (const snapshot of [...snapshots].sort((a, b) => compareCodeUnits(a.name, b.name))) {
    const entry = manifest.servers[snapshot.name];
    if (entry) servers.push(await serverStats(root, snapshot, entry));
  }
  const catalogTools = sum(Object.values(manifest.servers).map((s) => Object.keys(s.tools).length));
  const catalog = { ...(await fileTokens(root, "README.md")), tools: catalogTools };
  return {
    encoding: TOKEN_ENCODING,
    catalog,
    servers,
    totals: {
      tools: sum(servers.map((s) => s.tools)),
      definitionTokens: sum(servers.map((s) => s.definitionTokens)),
      summaryTokens: sum(servers.map((s) => s.summary.tokens)),
    },
  };
}

/** The tokens of one tool's definition as a model receives it (the Messages API's tool form). */
function definitionTokens(tool: ToolDefinition): number {
  const definition = {
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    input_schema: tool.inputSchema,
  };
  return countTokens(JSON.stringify(definition));
}

function countTokens(text: string): number {
  return encode(text).length;
}

async function serverStats(
  root: string,
  snapshot: ServerSnapshot,
  entry: ManifestServer,
): Promise<ServerTokenStats> {
  // Only the tools that have stubs: the config's include/exclude dropped the others from both.
  const kept = snapshot.tools.filter((tool) => Object.hasOwn(entry.tools, tool.name));
  let largestDefinition: ServerTokenStats["largestDefinition"];
  let definitions = 0;
  for (const tool of kept) {
    const tokens = definitionTokens(tool);
    definitions += tokens;
    if (!largestDefinition || tokens > largestDefinition.tokens)
      largestDefinition = { tool: tool.name, tokens };
  }
  const files: FileTokens[] = [];
  for (const tool of Object.values(entry.tools)) files.push(await fileTokens(root, tool.file));
  const largest = files.reduce<FileTokens | undefined>(
    (best, file) => (!best || file.tokens > best.tokens ? file : best),
    undefined,
  );
  return {
    server: snapshot.name,
    tools: kept.length,
    definitionTokens: definitions,
    largestDefinition,
    summary: await fileTokens(root, `${entry.dir}/summary.d.ts`),
    toolFiles: {
      averageTokens: files.length ? Math.round(sum(files.map((f) => f.tokens)) / files.length) : 0,
      largest,
    },
  };
}

/** The manifest of the tree under `outDir`: what was generated, and from which tools. */
export async function readTreeManifest(outDir: string): Promise<Manifest> {
  const file = path.join(outDir, "servers", MANIFEST_PATH);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new GeneratedTreeError(file, "is missing");
  }
  const manifest = parseManifest(text);
  if (!manifest) throw new GeneratedTreeError(file, "is not a manifest mcp-codegen wrote");
  return manifest;
}

async function fileTokens(root: string, file: string): Promise<FileTokens> {
  try {
    return { file, tokens: countTokens(await readFile(path.join(root, file), "utf8")) };
  } catch {
    throw new GeneratedTreeError(path.join(root, file), "is missing");
  }
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
