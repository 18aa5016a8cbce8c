/**
 * One commit at a time into a workspace, and no staging of half of one: runs of one daemon,
 * and runners in other processes, copy their changes back in turn, so that each commit is
 * whole. Across processes the lock is a folder made in this user's private folder (mkdir is
 * atomic), holding its owner's pid, start time and a token; a lock is taken over only once its
 * owner is gone, and released only by its owner. Each commit also writes the workspace's
 * generation before it changes anything: a run staging the workspace takes no lock (that cost
 * every run ~0.5 ms, 2 ms for the first), but reads again if a commit was under way or began.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { shortHash } from "../model/hash.js";
import { privateTempDir } from "../private-temp.js";
import { RunError } from "./errors.js";
import { ownStamp, stampRuns } from "./proc-stat.js";

const inProcess = new Map<string, Promise<unknown>>();

/** How long a commit waits for another runner's turn before it gives up (theirs may be long). */
const WAIT_MS = 10 * 60_000;
/** A lock folder with no owner written in it this long after it was made was left by a crash. */
const UNOWNED_STALE_MS = 2_000;

/** Runs `commit` holding the lock of the workspace `real` (a real path). */
export async function withWorkspaceLock<T>(real: string, commit: () => Promise<T>): Promise<T> {
  const before = inProcess.get(real) ?? Promise.resolve();
  const mine = before
    .catch(() => {})
    .then(async () => {
      const release = await lockAcrossProcesses(real);
      try {
        return await commit();
      } finally {
        release();
      }
    });
  inProcess.set(real, mine);
  try {
    return await mine;
  } finally {
    if (inProcess.get(real) === mine) inProcess.delete(real);
  }
}

/** Where the lock of the workspace `real` is, if there is a private folder to hold it. */
function lockOf(real: string): string | undefined {
  const dir = privateTempDir();
  return dir === undefined ? undefined : path.join(dir, `workspace-${shortHash(real)}.lock`);
}

/**
 * Runs `read` (a staging of the workspace `real`) until it ran while no commit was under way
 * nor began: it waits for one that holds the lock, and after `again` (which undoes what `read`
 * did) reads again if one began meanwhile. `signal` (the run's clock) stops it.
 */
export async function readWhole<T>(
  real: string,
  read: () => Promise<T>,
  again: () => Promise<void>,
  signal?: AbortSignal,
): Promise<T> {
  const lock = lockOf(real);
  for (;;) {
    while (inProcess.has(real) || (lock !== undefined && held(lock))) {
      signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const generation = lock === undefined ? undefined : readGeneration(lock);
    const committed = () =>
      inProcess.has(real) ||
      (lock !== undefined && (held(lock) || readGeneration(lock) !== generation));
    try {
      const result = await read();
      if (!committed()) return result;
    } catch (error) {
      // A file the commit removed as it was read, say: read again. Else the error is real.
      if (!committed()) throw error;
    }
    signal?.throwIfAborted();
    await again();
  }
}

/** Whether a commit holds the lock now (one whose owner is gone holds nothing). */
function held(lock: string): boolean {
  try {
    statSync(lock);
  } catch {
    return false;
  }
  return !ownerGone(lock);
}

function readGeneration(lock: string): string | undefined {
  try {
    return readFileSync(`${lock}.generation`, "utf8");
  } catch {
    return undefined;
  }
}

async function lockAcrossProcesses(real: string): Promise<() => void> {
  const lock = lockOf(real);
  if (lock === undefined) return () => {}; // no private folder: in-process order only
  // The token tells this commit's lock from a later one of this process.
  const owner = `${ownStamp()} ${randomBytes(8).toString("hex")}`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock, { mode: 0o700 });
      writeFileSync(path.join(lock, "owner"), owner);
      writeFileSync(`${lock}.generation`, owner);
      return () => {
        // Only ours: one taken over meanwhile (we were thought gone) is left to its owner.
        if (readOwner(lock) === owner) rmSync(lock, { recursive: true, force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return () => {};
    }
    if (ownerGone(lock)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new RunError(
        `workspace/ (${real}) has been held by another run (${readOwner(lock)?.split(" ")[0] ?? "?"}) for ${WAIT_MS / 60_000} minutes; try again once it is done.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function readOwner(lock: string): string | undefined {
  try {
    return readFileSync(path.join(lock, "owner"), "utf8");
  } catch {
    return undefined;
  }
}

/** Whether the lock's owner has ended (a pid now another process's counts as ended). */
function ownerGone(lock: string): boolean {
  const owner = readOwner(lock);
  if (owner === undefined) {
    // Being made right now, or made by a runner that died before writing its name.
    try {
      return Date.now() - statSync(lock).mtimeMs > UNOWNED_STALE_MS;
    } catch {
      return false; // removed meanwhile: try again
    }
  }
  return !stampRuns(owner.split(" ").slice(0, 2).join(" "));
}
