/**
 * Tool search over a generated tree, for the CLI (`mcp-codegen search`), the runtime's
 * `searchTools` (in a program and in the runner's host) and `serve`'s `search_tools` and
 * `read_definitions`. Reads only the tree: no server is connected.
 */
export { MAX_QUERY_LENGTH, searchTree, type SearchResults } from "./search.js";
export { renderSearchResults } from "./render.js";
export { readDefinitions } from "./definitions.js";
