/**
 * The bounds of `run`'s limits, once: the config's schema (validate.ts) checks `run.*` against
 * them and the command line checks `--timeout`, `--memory`, `--max-output` and `--max-workspace`.
 * Plain data, no zod: `run`'s fast path reads its flags before any validator loads.
 */

/** A whole number from `min` to `max`, and what to say when a value is not one. */
export interface WholeRange {
  readonly min: number;
  readonly max: number;
  readonly message: string;
}

export const RUN_LIMITS = {
  timeout: {
    min: 1,
    max: 86_400_000,
    message: "must be a positive whole number of milliseconds, at most 86400000 (a day)",
  },
  memory: { min: 16, max: 65_536, message: "must be a whole number of MB from 16 to 65536" },
  maxOutput: {
    min: 1024,
    max: 1024 ** 3,
    message: "must be a whole number of bytes from 1024 to 1073741824 (1 GiB)",
  },
  maxWorkspace: {
    min: 1,
    max: 1_048_576,
    message: "must be a whole number of MB from 1 to 1048576 (1 TiB)",
  },
} as const satisfies Record<string, WholeRange>;

/** The bounds of `serve`'s settings (the config's `serve.*`). */
export const SERVE_LIMITS = {
  maxRuns: { min: 1, max: 64, message: "must be a whole number from 1 to 64" },
  maxQueue: { min: 0, max: 100_000, message: "must be a whole number from 0 to 100000" },
  maxOutput: {
    min: 256,
    max: 1024 ** 3,
    message: "must be a whole number of bytes from 256 to 1073741824 (1 GiB)",
  },
} as const satisfies Record<string, WholeRange>;

/** `text` as a whole number inside `range` (as `Number` reads it: `1e3` too), else undefined. */
export function wholeNumberIn(text: string, range: WholeRange): number | undefined {
  const n = text.trim() === "" ? NaN : Number(text);
  return Number.isInteger(n) && n >= range.min && n <= range.max ? n : undefined;
}
