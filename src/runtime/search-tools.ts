/**
 * `searchTools`: the generated tools that match a query, read from the search index of the
 * tree the runtime's config generates (its `outDir`); no server is connected. Inside
 * `mcp-codegen run` the same function asks the runner's host, which reads the index for it.
 */
import type { SearchOptions, SearchResults } from "../search/search.js";
import { runtimeOutDir } from "./config.js";

export type { SearchDetail, SearchHit, SearchOptions, SearchResults } from "../search/search.js";

/**
 * Tools matching `query` (words, a tool's name, `server.tool`, or `select:a.b,c.d`), best
 * first; `total` says how many matched in all. `detail`: `name`, `summary` (default) or
 * `full` (with each tool's TypeScript declaration).
 */
export async function searchTools(
  query: string,
  options: SearchOptions = {},
): Promise<SearchResults> {
  const [{ searchTree }, outDir] = await Promise.all([
    import("../search/search.js"),
    runtimeOutDir(),
  ]);
  return searchTree(outDir, query, options);
}
