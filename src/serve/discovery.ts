/**
 * `search_tools` and `read_definitions`: thin wrappers over `src/search/` on the generated tree
 * (no server is contacted); `search_tools` without words lists the catalog instead. A problem
 * (no tree or index yet, a bad query, an unknown name) is a tool error the model can act on,
 * in the search's own words.
 */
import type { ResolvedConfig } from "../config/types.js";
import { CodegenError } from "../errors.js";
import { readDefinitions, renderSearchResults, searchTree } from "../search/index.js";
import type { SearchDetail } from "../search/search.js";
import { catalogText, treeManifest } from "../tree-catalog.js";
import type { CallToolResult } from "./sdk.js";

export interface SearchToolsArgs {
  readonly query: string;
  readonly detail?: SearchDetail | undefined;
  readonly limit?: number | undefined;
}

export async function searchTools(
  config: ResolvedConfig,
  { query, detail, limit }: SearchToolsArgs,
): Promise<CallToolResult> {
  // No words: the catalog, what `mcp-codegen list` prints.
  if (query.trim() === "") return catalog(config);
  return answered(async () => {
    const options = {
      ...(detail !== undefined ? { detail } : {}),
      ...(limit !== undefined ? { limit } : {}),
    };
    const results = await searchTree(config.outDir, query, options);
    return renderSearchResults(results, detail ?? "summary");
  });
}

/** Every server and tool, read from the generated tree (a server's own: `read_definitions`). */
function catalog(config: ResolvedConfig): Promise<CallToolResult> {
  return answered(async () => {
    const manifest = await treeManifest(config.outDir, config.outDir);
    return catalogText(config.outDir, manifest, undefined, config.outDir);
  });
}

export async function definitions(
  config: ResolvedConfig,
  names: readonly string[],
): Promise<CallToolResult> {
  return answered(() => readDefinitions(config.outDir, names));
}

/** The text as the tool's result; our own error as a tool error. */
export async function answered(text: () => Promise<string>): Promise<CallToolResult> {
  try {
    return { content: [{ type: "text", text: await text() }] };
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return { content: [{ type: "text", text: error.message }], isError: true };
  }
}
