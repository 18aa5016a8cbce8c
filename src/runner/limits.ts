/** The limits of one run: the command line's where given, else the config's `run` settings. */
import type { ResolvedConfig } from "../config/types.js";
import type { RunLimits } from "./sandboxed.js";

export function limitsFor(config: ResolvedConfig, given: Partial<RunLimits>): RunLimits {
  return {
    timeoutMs: given.timeoutMs ?? config.run.timeoutMs,
    memoryMb: given.memoryMb ?? config.run.memoryMb,
    maxOutputBytes: given.maxOutputBytes ?? config.run.maxOutputBytes,
  };
}
