/**
 * What serve tells the model in `instructions` and in its tools' descriptions: the workflow of
 * code mode in a few lines. Every line costs tokens in every conversation, so they stay few.
 */

export const INSTRUCTIONS = `Code mode: do the task in one TypeScript program calling the servers' tools, not tool by tool.
1. search_tools, then read_definitions of just what you will call.
2. execute_code one program: import from "./servers/<server>/<tool>.js" (skills: "./skills/<name>/index.js"); chain calls, filter and join in code. A tool without an output type returns a ContentResult (.text, .json()).
3. Print only what matters; long output is cut. workspace/ persists; no network.`;

export const EXECUTE_DESCRIPTION = `Runs a TypeScript program (ES module, top-level await) in the sandbox. Returns what it printed; on failure, stderr and the exit status.`;

export const SEARCH_DESCRIPTION = `Finds tools by what they do or by name (select:server.tool), with how many matched and where to import each; no words lists all.`;
