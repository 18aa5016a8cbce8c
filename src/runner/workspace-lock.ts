/**
 * One commit at a time into a workspace: runs of one daemon, and runners in other processes,
 * copy their changes back in turn, so that each commit is whole. Across processes the lock is
 * a folder made in this user's private folder (mkdir is atomic), holding the owner's pid; a
 * lock whose owner is gone is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { shortHash } from "../model/hash.js";
import { privateTempDir } from "../private-temp.js";

const inProcess = new Map<string, Promise<unknown>>();
const WAIT_MS = 15_000;

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

async function lockAcrossProcesses(real: string): Promise<() => void> {
  const dir = privateTempDir();
  if (dir === undefined) return () => {}; // no private folder: in-process order only
  const lock = path.join(dir, `workspace-${shortHash(real)}.lock`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock, { mode: 0o700 });
      writeFileSync(path.join(lock, "pid"), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return () => {};
    }
    if (ownerGone(lock) || Date.now() > deadline) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function ownerGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(lock, "pid"), "utf8"));
  } catch {
    return false; // being made right now
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
