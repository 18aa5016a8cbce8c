/**
 * The limits of one run. A run of your own takes the command line's where given, else the
 * config's `run` settings; a run the daemon does for a client may only lower the config's.
 */
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

/** The limits' names, in the order messages list them. */
export const LIMIT_NAMES = ["timeoutMs", "memoryMb", "maxOutputBytes", "maxWorkspaceMb"] as const;

export function limitsFor(config: ResolvedConfig, given: Partial<RunLimits>): RunLimits {
  return {
    timeoutMs: given.timeoutMs ?? config.run.timeoutMs,
    memoryMb: given.memoryMb ?? config.run.memoryMb,
    maxOutputBytes: given.maxOutputBytes ?? config.run.maxOutputBytes,
    maxWorkspaceMb: given.maxWorkspaceMb ?? config.run.maxWorkspaceMb,
  };
}

/**
 * The limits of a run the daemon does: each the lower of what the client asked and the
 * config's. Whoever can reach the daemon may shorten a run or shrink it, never grow it past
 * what the config's owner allowed (a program submitting a run of its own asks for the most).
 */
export function clampedLimitsFor(config: ResolvedConfig, given: Partial<RunLimits>): RunLimits {
  const asked = limitsFor(config, given);
  return {
    timeoutMs: Math.min(asked.timeoutMs, config.run.timeoutMs),
    memoryMb: Math.min(asked.memoryMb, config.run.memoryMb),
    maxOutputBytes: Math.min(asked.maxOutputBytes, config.run.maxOutputBytes),
    maxWorkspaceMb: Math.min(asked.maxWorkspaceMb, config.run.maxWorkspaceMb),
  };
}

/** Where each limit is set: the flag of `run` and the config's setting. */
const LIMIT_SOURCES: Readonly<Record<keyof RunLimits, { flag: string; setting: string }>> = {
  timeoutMs: { flag: "--timeout", setting: "run.timeout" },
  memoryMb: { flag: "--memory", setting: "run.memory" },
  maxOutputBytes: { flag: "--max-output", setting: "run.maxOutput" },
  maxWorkspaceMb: { flag: "--max-workspace", setting: "run.maxWorkspace" },
};

/** One line for each limit that `clampedLimitsFor` lowered: what was asked, what it got. */
export function loweredLimits(config: ResolvedConfig, given: Partial<RunLimits>): string[] {
  const lines: string[] = [];
  for (const name of LIMIT_NAMES) {
    const asked = given[name];
    const most = config.run[name];
    if (asked === undefined || asked <= most) continue;
    const { flag, setting } = LIMIT_SOURCES[name];
    lines.push(
      `the daemon runs programs with ${flag} at most ${most} (${setting} in the config), not ${asked}; raise it there, or run with --no-daemon`,
    );
  }
  return lines;
}
