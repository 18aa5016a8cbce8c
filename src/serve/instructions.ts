/**
 * What serve tells the model in `instructions` and in its tools' descriptions: the workflow of
 * code mode in a few lines. Every line costs tokens in every conversation, so they stay few.
 */

export const INSTRUCTIONS = `Code mode over MCP servers: instead of calling their tools one by one, write one TypeScript program that calls them and prints only the result.
1. Find tools: search_tools (by what they do) or list_servers (every server and tool); then read_definitions of only the tools you will call.
2. Write ONE program that does the whole task: import from "./servers/<server>/index.js" (or callMcpTool from "mcp-codegen/runtime"), chain the calls, filter and join the data in code.
3. Run it with execute_code. Print only what matters (a summary, a count, the few lines needed): intermediate data stays in the program, and long output is cut.
Files in workspace/ persist between your runs (yours only); the program has no network and no other files.`;

export const EXECUTE_DESCRIPTION = `Runs a TypeScript (or JavaScript) program in a sandbox where it can call the configured MCP servers through the generated stubs, e.g.
import { echo } from "./servers/<server>/index.js";
console.log((await echo({ message: "hi" })).text);
Top-level await works. Returns what the program printed (stdout; stderr and the exit status when it failed). workspace/ is the program's own folder between runs.`;

export const SEARCH_DESCRIPTION = `Finds tools of the configured servers by what they do (ranked over names, descriptions and parameters; word forms and small typos are fine), or by name with select:server.tool. Says how many matched in all. Each hit names the import path for execute_code.`;
