/**
 * Carrying out a write plan on disk, all or nothing (see `applyPlan`). The temp files and
 * backups are `atomic.ts`'s, the path checks `paths.ts`'s, the bounded concurrency `limit.ts`'s.
 */
import { lstat, mkdir, rename, rm, rmdir } from "node:fs/promises";
import * as path from "node:path";
import { WriteError } from "../errors.js";
import { backUp, tempPathFor, writeTempFile } from "./atomic.js";
import { mapLimit } from "./limit.js";
import { displayPath } from "./inputs.js";
import { Containment, checkRelativePath, isInside, resolveInside } from "./paths.js";
import { MANIFEST_PATH } from "./types.js";
import type { PlanEntry, WritePlan } from "./types.js";

/** Options of `applyPlan`. */
export interface ApplyOptions {
  /**
   * Called as each step (one file put in place or deleted) starts, in plan order within each
   * phase. Throwing fails the run there, like a full disk or a permission error would: tests use
   * it to prove that a run failing anywhere leaves the previous tree as it was; a CLI can use it
   * for progress.
   */
  readonly beforeStep?: (entry: PlanEntry) => void | Promise<void>;
}

/**
 * Carries out a plan from `planWrite` as one transaction: either the whole new tree is in place,
 * or, when any step fails, the previous tree is exactly as it was. Unchanged entries are not
 * touched.
 *
 * 1. Stage: every new file's contents go to a temp file beside its target. Nothing a reader sees
 *    has changed yet; most failures (a full disk, a folder that cannot be written) happen here,
 *    and cost only the temp files.
 * 2. Swap, in the order writes, deletions, manifest: each target's old contents are kept under a
 *    backup name, then the temp file is renamed over it (a deleted file is renamed to its backup).
 *    The manifest goes last: it is the commit point. If any step fails, the steps done are undone
 *    in reverse (backups renamed back, created files removed) and the error names the file.
 * 3. Clean: the backups and the folders the deletions emptied are removed.
 *
 * A run killed outright cannot undo, but still loses nothing: until the manifest is replaced the
 * previous one is the record, so a rerun sees every updated file as "update" again, every created
 * one as its own (byte-identical) output, and removes the temp files and backups left behind.
 * Nothing is ever removed that the previous manifest did not list (or that is not one of our own
 * temp files), and no write replaces a file the plan did not vet, so no step can lose a person's
 * file. Every path is re-checked against symbolic links right before it is used, since the disk
 * may have changed since planning. Failures are `WriteError`s naming the file.
 */
export async function applyPlan(plan: WritePlan, options: ApplyOptions = {}): Promise<void> {
  const isWrite = (entry: PlanEntry) => entry.action === "create" || entry.action === "update";
  const writes = plan.entries.filter((e) => isWrite(e) && e.path !== MANIFEST_PATH);
  const deletions = plan.entries.filter((entry) => entry.action === "delete");
  const manifest = plan.entries.filter((e) => isWrite(e) && e.path === MANIFEST_PATH);
  // Fresh checks (nothing carried over from planning), but shared within this run: a thousand
  // tool files sit in a few folders, each resolved once.
  const run: ApplyRun = {
    plan,
    containment: new Containment(plan.serversDir),
    folders: new Map(),
    staged: new Map(),
    done: [],
  };
  try {
    await stage(run, [...writes, ...manifest]);
    // Within a phase the steps are independent, so they run a few at a time; between phases
    // `mapLimit` is a barrier: it settles every started step and stops at the first failure.
    for (const phase of [writes, deletions, manifest]) {
      await mapLimit(phase, async (entry) => {
        await options.beforeStep?.(entry);
        await swap(run, entry);
      });
    }
  } catch (error) {
    throw await rolledBack(run, error);
  }
  await clean(run);
}

interface ApplyRun {
  readonly plan: WritePlan;
  readonly containment: Containment;
  /** Folders created (or found) in this run, so each is made once. */
  readonly folders: Map<string, Promise<unknown>>;
  /** Target → temp file holding its new contents, until it is renamed into place. */
  readonly staged: Map<string, string>;
  /** The steps carried out, in order: what undoing walks back. */
  readonly done: SwapStep[];
}

/** One target changed on disk: `backup` holds its old contents (none when it was created). */
interface SwapStep {
  readonly target: string;
  readonly backup: string | undefined;
  readonly deleted: boolean;
}

async function stage(run: ApplyRun, entries: readonly PlanEntry[]): Promise<void> {
  await mapLimit(entries, async (entry) => {
    const target = await vetted(run, entry);
    const contents = run.plan.contents.get(entry.path);
    if (contents === undefined) throw new Error(`bug: the plan has no contents for ${entry.path}`);
    try {
      const folder = path.dirname(target);
      let made = run.folders.get(folder);
      if (!made) run.folders.set(folder, (made = mkdir(folder, { recursive: true })));
      await made;
      run.staged.set(target, await writeTempFile(target, contents, entry.path === MANIFEST_PATH));
    } catch (error) {
      throw writeError(target, "written", error);
    }
  });
}

async function swap(run: ApplyRun, entry: PlanEntry): Promise<void> {
  const target = await vetted(run, entry);
  const deleted = entry.action === "delete";
  try {
    if (entry.action === "create" && (await exists(target))) {
      throw Object.assign(new Error("the file appeared after planning; run generate again"), {
        code: "EEXIST",
      });
    }
    if (deleted) {
      const backup = tempPathFor(target, "old");
      try {
        await rename(target, backup);
      } catch (error) {
        // Already gone is what deleting wanted; anything else is a real failure.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw error;
      }
      run.done.push({ target, backup, deleted });
      return;
    }
    const backup = entry.action === "update" ? await backUp(target) : undefined;
    const temp = run.staged.get(target);
    if (temp === undefined) throw new Error(`bug: ${entry.path} was not staged`);
    try {
      await rename(temp, target);
    } catch (error) {
      if (backup !== undefined) await rm(backup, { force: true });
      throw error;
    }
    run.staged.delete(target);
    run.done.push({ target, backup, deleted });
  } catch (error) {
    throw writeError(target, deleted ? "deleted" : "written", error);
  }
}

/**
 * Undoes the steps done, newest first, and removes the temp files: the tree is as it was. What
 * cannot be put back (the disk changed under the run) is named in the error, with where the
 * old contents are, so nothing is lost silently.
 */
async function rolledBack(run: ApplyRun, error: unknown): Promise<unknown> {
  const stuck: string[] = [];
  for (const step of [...run.done].reverse()) {
    try {
      if (step.backup !== undefined) await rename(step.backup, step.target);
      else await rm(step.target, { force: true });
    } catch {
      stuck.push(step.backup === undefined ? step.target : `${step.target} (old: ${step.backup})`);
    }
  }
  await Promise.all([...run.staged.values()].map((temp) => rm(temp, { force: true })));
  await Promise.all(
    [...run.folders.keys()].map((folder) => removeEmptyFolders(run.plan.serversDir, folder)),
  );
  if (stuck.length === 0 || !(error instanceof WriteError)) return error;
  return new WriteError(
    error.file,
    `${error.detail}; the previous tree could not be restored at ${stuck.join(", ")}`,
    { cause: error },
  );
}

/** After the commit: the backups go, then the folders the deletions emptied. */
async function clean(run: ApplyRun): Promise<void> {
  await mapLimit(run.done, async (step) => {
    if (step.backup !== undefined) await rm(step.backup, { force: true });
  });
  for (const step of run.done.filter((s) => s.deleted)) {
    await removeEmptyFolders(run.plan.serversDir, path.dirname(step.target));
  }
}

function writeError(target: string, verb: string, error: unknown): WriteError {
  if (error instanceof WriteError) return error;
  return new WriteError(target, `could not be ${verb}: ${(error as Error).message}`, {
    cause: error,
  });
}

async function exists(target: string): Promise<boolean> {
  try {
    await lstat(target);
    return true;
  } catch {
    return false;
  }
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
