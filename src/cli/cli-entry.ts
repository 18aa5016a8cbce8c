/**
 * Every command but a `run` that entry.ts took: bundled with the packages it imports into
 * dist/cli/cli.cjs (scripts/bundle-entry.mjs) and compiled from V8's code cache
 * (compiled-bundle.ts). As ~400 ES modules, loading `generate` took ~250 ms here, longer than
 * the servers it starts take to boot; as one cached bundle, ~70 ms.
 */
import { processContext } from "./context.js";
import { main } from "./main.js";
import { endOnSignals } from "./signals.js";

/** The exit code of the command `argv` names; signals end the process (signals.ts). */
export function runCli(argv: readonly string[]): Promise<number> {
  endOnSignals();
  return main(argv, processContext());
}
