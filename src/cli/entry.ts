/**
 * What the entry script (bin/mcp-codegen.js) loads before anything else: the start of `run`,
 * bundled with all it imports into one CommonJS file, dist/cli/entry.cjs
 * (scripts/bundle-entry.mjs). Node loads it in ~2 ms, where the same code as ES modules took
 * ~25 ms, most of it before a daemon could have the program or bubblewrap could start. The
 * rest of `run` is a second bundle (run-entry.ts), loaded from V8's code cache only when no
 * daemon took the run; every other command is a third (cli-entry.ts), loaded the same way.
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
  const rest = requireBundle("run.cjs", "run") as typeof import("./run-entry.js");
  return rest.runParsed(parsed.file, parsed.flags);
}

/** The exit code of any other command (and of a `run` that needs commander: help, a usage error). */
export function cliCommand(argv: readonly string[]): Promise<number> {
  const cli = requireBundle("cli.cjs", commandOf(argv)) as typeof import("./cli-entry.js");
  return cli.runCli(argv);
}

function requireBundle(name: string, variant: string): unknown {
  // The bundle's code imports packages through this one's `import()` (import-external.ts).
  lendImport((specifier) => import(specifier));
  // This file only ever runs as dist/cli/entry.cjs, a CommonJS module beside the others.
  return requireCompiled(path.join(__dirname, name), variant);
}

/**
 * What the code cache of cli.cjs is kept by: each command calls different functions, and a
 * cache holds those its first run compiled.
 */
function commandOf(argv: readonly string[]): string {
  const first = argv[0] ?? "";
  return /^[a-z]{1,12}$/.test(first) ? first : "other";
}
