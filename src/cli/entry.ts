/**
 * What the entry script (bin/mcp-codegen.js) loads before anything else: the start of `run`,
 * bundled with all it imports into one CommonJS file, dist/cli/entry.cjs
 * (scripts/bundle-entry.mjs). Node loads it in ~2 ms, where the same code as ES modules took
 * ~25 ms, most of it before a daemon could have the program or bubblewrap could start. The
 * rest of `run` is a second bundle (run-entry.ts), loaded from V8's code cache only when no
 * daemon took the run; every other command is the CLI's (bin.ts), as ES modules.
 *
 * Each bundle holds its own copies of the modules it includes. What must be one is kept on
 * `globalThis`: the sandbox started ahead (prepare.ts).
 */
// First: descriptors inherited from the shell must not reach servers or sandboxed programs.
import "./inherited-descriptors.js";
import * as path from "node:path";
import { lendImport } from "../import-external.js";
import { requireCompiled } from "./compiled-bundle.js";
import { fastRunFlags } from "./run-options.js";
import { quickRun } from "./run-quick.js";

/**
 * Runs `argv` if it is a `run` this can read without commander, and resolves with its exit
 * code; undefined for the CLI to answer (help, a usage error: commander's message and exit 2).
 */
export async function runCommand(argv: readonly string[]): Promise<number | undefined> {
  const parsed = fastRunFlags(argv);
  if (parsed === undefined) return undefined;
  const onDaemon = await quickRun(parsed);
  if (onDaemon !== undefined) return onDaemon;
  // run.cjs's code imports packages through this bundle's `import()` (import-external.ts).
  lendImport((specifier) => import(specifier));
  // This file only ever runs as dist/cli/entry.cjs, a CommonJS module beside run.cjs.
  const rest = requireCompiled(path.join(__dirname, "run.cjs")) as typeof import("./run-entry.js");
  return rest.runParsed(parsed.file, parsed.flags);
}
