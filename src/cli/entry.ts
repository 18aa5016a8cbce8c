/**
 * What the entry script (bin/mcp-codegen.js) loads before anything else, bundled with all it
 * imports into one CommonJS file, dist/cli/entry.cjs (scripts/bundle-entry.mjs). Node loads
 * that in ~2 ms, where the same code as ES modules takes ~25 ms, most of it before `run`
 * could start its sandbox or reach its daemon. The bundle has its own copies of the modules
 * it includes; the only state handed to the ES modules is the sandbox started ahead
 * (prepare.ts keeps it on `globalThis`).
 */
// First: descriptors inherited from the shell must not reach servers or sandboxed programs.
import "./inherited-descriptors.js";

export { quickRun } from "./run-quick.js";
