/**
 * What serve tells the model in `instructions` and in its tools' descriptions: the workflow of
 * code mode in a few lines. Every line costs tokens in every conversation, so they stay few.
 */

export const INSTRUCTIONS = `Code mode: write one TypeScript program that calls the MCP servers' tools and prints only the result, instead of calling tools one by one.
1. Find tools with search_tools (or list_servers); read_definitions of only those you will call.
2. Write ONE program for the whole task: import the stubs from "./servers/<server>/…", chain the calls, filter and join data in code; saved skills import from "./skills/<name>/index.js".
3. Run it with execute_code. Print only what matters: data stays in the program, long output is cut.
workspace/ keeps your files between runs; no network.`;

export const EXECUTE_DESCRIPTION = `Runs a TypeScript program (an ES module, top-level await) in a sandbox whose imports of "./servers/<server>/<tool>.js" call the servers. Returns what it printed; on failure also stderr and the exit status.`;

export const SEARCH_DESCRIPTION = `Finds tools by what they do (word forms and typos are fine) or by name (select:server.tool); says how many matched, and where to import each.`;
