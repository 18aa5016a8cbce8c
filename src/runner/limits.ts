/** The limits of one run: the command line's where given, else the config's `run` settings. */
import type { ResolvedConfig } from "../config/types.js";

export interface RunLimits {
  /** Wall time of the whole run (bundling and type-checking included), ms. */
  readonly timeoutMs: number;
  /** Memory of every process of the run, MB. */
  readonly memoryMb: number;
  /** Bytes kept of each output stream, the runner's own messages included. */
  readonly maxOutputBytes: number;
  /** MB the program may add to `workspace/`. */
  readonly maxWorkspaceMb: number;
}

export function limitsFor(config: ResolvedConfig, given: Partial<RunLimits>): RunLimits {
  return {
    timeoutMs: given.timeoutMs ?? config.run.timeoutMs,
    memoryMb: given.memoryMb ?? config.run.memoryMb,
    maxOutputBytes: given.maxOutputBytes ?? config.run.maxOutputBytes,
    maxWorkspaceMb: given.maxWorkspaceMb ?? config.run.maxWorkspaceMb,
  };
}
