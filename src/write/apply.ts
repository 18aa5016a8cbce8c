import { mkdir, rmdir, unlink } from "node:fs/promises";
import * as path from "node:path";
import { WriteError } from "../errors.js";
import { writeFileAtomic } from "./atomic.js";
import { mapLimit } from "./limit.js";
import { displayPath } from "./inputs.js";
import { Containment, checkRelativePath, isInside, resolveInside } from "./paths.js";
import { MANIFEST_PATH } from "./types.js";
import type { PlanEntry, WritePlan } from "./types.js";

// The brief's sketch had these three in this file; they live in their own files, one job each.
export { ensureAgentFolders } from "./agent-folders.js";
export { formatPlan } from "./format.js";

/** Options of `applyPlan`. */
export interface ApplyOptions {
  /**
   * Called as each step (one write or delete) starts, in plan order within each phase. Throwing
   * stops the run like an interruption would (steps already started finish; no new one starts,
   * and no later phase): tests use it to prove that a run cut short anywhere is recoverable; a
   * CLI can use it for progress.
   */
  readonly beforeStep?: (entry: PlanEntry) => void | Promise<void>;
}

/**
 * Carries out a plan from `planWrite`. Unchanged entries are not touched. The steps run in this
 * order, and the order is what makes a failed or interrupted run safe:
 *
 * 1. Creates and updates, each atomic (temp file, then rename), except the manifest. The old
 *    manifest stays in place, still listing every file of the previous run, so until step 3 a
 *    rerun sees the previous state: updated files are listed (so "update" again), created files
 *    are not listed but are byte-identical to what the rerun renders (so adopted as unchanged).
 * 2. Deletions of files the previous manifest listed and this run does not render, then of any
 *    folder they leave empty. The old manifest may now list files that are gone; a rerun just
 *    finds nothing to delete. Deleting before the manifest, rather than after it, means a run
 *    cut short here leaves no generated file that no manifest lists, which a rerun could never
 *    delete (it would take it for a person's file) and `check` could not see.
 * 3. The manifest, last and durably (fsync before rename): it is the commit point. Once it is
 *    in place the whole tree matches it; before that the previous manifest is still the record.
 *
 * Nothing is ever removed that the previous manifest did not list (or that is not one of our own
 * temp files), and no write replaces a file the plan did not vet, so no step can lose a
 * person's file. Every path is re-checked against symbolic links right before it is used, since
 * the disk may have changed since planning. Failures are `WriteError`s naming the file.
 */
export async function applyPlan(plan: WritePlan, options: ApplyOptions = {}): Promise<void> {
  const writes = plan.entries.filter(
    (entry) =>
      (entry.action === "create" || entry.action === "update") && entry.path !== MANIFEST_PATH,
  );
  const deletions = plan.entries.filter((entry) => entry.action === "delete");
  const manifest = plan.entries.find(
    (entry) =>
      (entry.action === "create" || entry.action === "update") && entry.path === MANIFEST_PATH,
  );
  // Fresh checks (nothing carried over from planning), but shared within this run: a thousand
  // tool files sit in a few folders, each resolved once.
  const run: ApplyRun = { plan, containment: new Containment(plan.serversDir), folders: new Map() };
  // Within a phase the steps are independent, so they run a few at a time; between phases
  // `mapLimit` is a barrier: it settles every started step and stops at the first failure.
  await mapLimit(writes, async (entry) => {
    await options.beforeStep?.(entry);
    await writeEntry(run, entry, false);
  });
  await mapLimit(deletions, async (entry) => {
    await options.beforeStep?.(entry);
    await deleteEntry(run, entry);
  });
  if (manifest !== undefined) {
    await options.beforeStep?.(manifest);
    await writeEntry(run, manifest, true);
  }
}

interface ApplyRun {
  readonly plan: WritePlan;
  readonly containment: Containment;
  /** Folders created (or found) in this run, so each is made once. */
  readonly folders: Map<string, Promise<unknown>>;
}

async function writeEntry(run: ApplyRun, entry: PlanEntry, durable: boolean): Promise<void> {
  const { plan } = run;
  const target = await vetted(run, entry);
  const contents = plan.contents.get(entry.path);
  if (contents === undefined) throw new Error(`bug: the plan has no contents for ${entry.path}`);
  try {
    const folder = path.dirname(target);
    let made = run.folders.get(folder);
    if (!made) run.folders.set(folder, (made = mkdir(folder, { recursive: true })));
    await made;
    await writeFileAtomic(target, contents, { mustNotExist: entry.action === "create", durable });
  } catch (error) {
    throw new WriteError(target, `could not be written: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function deleteEntry(run: ApplyRun, entry: PlanEntry): Promise<void> {
  const { plan } = run;
  const target = await vetted(run, entry);
  try {
    await unlink(target);
  } catch (error) {
    // Already gone is what deleting wanted; anything else is a real failure.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new WriteError(target, `could not be deleted: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  await removeEmptyFolders(plan.serversDir, path.dirname(target));
}

/**
 * Removes `folder` and then its parents while they are empty, stopping below servers/ itself.
 * `rmdir` only ever removes an empty folder (and never follows a link), so a folder holding
 * anything, a person's file included, stays; that refusal is the normal way the climb ends.
 */
async function removeEmptyFolders(serversDir: string, folder: string): Promise<void> {
  let current = folder;
  while (current !== serversDir && isInside(serversDir, current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}

/**
 * The absolute target of `entry`, checked again now: the shape too, since a `WritePlan` is a
 * plain object anyone can build, and the symlinks afresh (no cache from planning).
 */
async function vetted(run: ApplyRun, entry: PlanEntry): Promise<string> {
  const shape = checkRelativePath(entry.path);
  if (shape !== undefined) throw new WriteError(displayPath(entry.path), `the path ${shape}`);
  const target = resolveInside(run.plan.serversDir, entry.path);
  const escape = await run.containment.check(target);
  if (escape !== undefined) throw new WriteError(target, `the path ${escape}`);
  return target;
}
