/**
 * The data of the write phase: what the generator rendered, and the plan that turns it into files
 * under `<outDir>/servers`. Paths are posix, relative to the `servers/` folder
 * (`memory/createEntities.ts`), so plans and their printouts carry no absolute path.
 */

/** One file the generator rendered in memory. */
export interface RenderedFile {
  /** Posix path relative to `<outDir>/servers`, e.g. `memory/createEntities.ts`. */
  readonly path: string;
  /** The exact text to write (UTF-8). */
  readonly contents: string;
}

/**
 * What applying the plan does to one file:
 * - `create`: the file does not exist yet;
 * - `update`: a generated file (or the manifest) whose contents differ;
 * - `delete`: the previous run generated it and this run does not, or it is a temp file a killed
 *   run left behind;
 * - `unchanged`: byte-identical on disk, so it is not rewritten and keeps its mtime.
 */
export type PlanAction = "create" | "update" | "delete" | "unchanged";

/** One file of the plan. */
export interface PlanEntry {
  /** Posix path relative to `<outDir>/servers`. */
  readonly path: string;
  readonly action: PlanAction;
}

/** Everything `applyPlan` needs; built only by `planWrite`, which has checked every path. */
export interface WritePlan {
  /** Absolute path of `<outDir>/servers`. */
  readonly serversDir: string;
  /** Every file the plan touches or leaves alone, sorted by path in code-unit order. */
  readonly entries: readonly PlanEntry[];
  /** The contents of every `create` and `update` entry, by path. */
  readonly contents: ReadonlyMap<string, string>;
  /**
   * Things planning skipped rather than failed on (an unsafe or unusable entry of the previous
   * manifest), one line each, for the CLI to show. Sorted, so dry runs are deterministic.
   */
  readonly warnings: readonly string[];
}

/** Where the manifest lives, relative to `servers/`; it is written after every other file. */
export { MANIFEST_PATH } from "../emit/manifest.js";
export { compareCodeUnits } from "../compare.js";
