/**
 * The rest of `run`, after its head start (entry.ts): bundled into dist/cli/run.cjs with all
 * it imports (scripts/bundle-entry.mjs) and compiled from V8's code cache
 * (compiled-bundle.ts), where the same code as ES modules took ~50 ms to load. A run that a
 * daemon took never loads it.
 */
import { processContext } from "./context.js";
import { reported } from "./reported.js";
import { runRun, type RunFlags } from "./run.js";
import { endOnSignals } from "./signals.js";

export function runParsed(file: string | undefined, flags: RunFlags): Promise<number> {
  endOnSignals();
  const ctx = processContext();
  return reported(ctx, () => runRun(file, flags, ctx));
}
