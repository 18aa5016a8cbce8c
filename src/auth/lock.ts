/**
 * A lock between processes on one login: refreshing spends the refresh token (authorization
 * servers rotate it), so two processes refreshing at once would both present the same one and
 * the second would be refused, or log the user out. The lock is a file created with O_EXCL that
 * holds the owner's pid; a lock whose owner is gone, or that is older than any refresh takes, is
 * taken over.
 */
import { open, readFile, rm, stat } from "node:fs/promises";
import * as path from "node:path";
import { AuthError } from "../errors.js";
import { ensurePrivateFolder } from "./store.js";

/** Longer than any token request: a lock this old was left by a process that hung or died. */
const STALE_MS = 60_000;
const POLL_MS = 25;

/**
 * Runs `work` holding the lock at `lockFile`, waiting up to `waitMs` for another process to
 * release it. `server` names the server in the error when the wait ends.
 */
export async function withLoginLock<T>(
  lockFile: string,
  server: string,
  work: () => Promise<T>,
  waitMs = 30_000,
): Promise<T> {
  const token = `${process.pid} ${Date.now()} ${Math.random()}\n`;
  await acquire(lockFile, token, server, Date.now() + waitMs);
  try {
    return await work();
  } finally {
    await release(lockFile, token);
  }
}

async function acquire(lockFile: string, token: string, server: string, until: number) {
  ensurePrivateFolder(path.dirname(lockFile));
  for (;;) {
    try {
      const handle = await open(lockFile, "wx", 0o600);
      try {
        await handle.writeFile(token, "utf8");
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStale(lockFile)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > until) {
      throw new AuthError(
        server,
        `another mcp-codegen process has held the login's lock (${lockFile}) for too long; if none is running, delete that file`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Removes the lock only while it is still ours (a takeover may have replaced it). */
async function release(lockFile: string, token: string): Promise<void> {
  const held = await readFile(lockFile, "utf8").catch(() => undefined);
  if (held === token) await rm(lockFile, { force: true });
}

async function isStale(lockFile: string): Promise<boolean> {
  const [held, info] = await Promise.all([
    readFile(lockFile, "utf8").catch(() => undefined),
    stat(lockFile).catch(() => undefined),
  ]);
  // Gone meanwhile: not stale, just free; the next attempt takes it.
  if (held === undefined || info === undefined) return false;
  if (Date.now() - info.mtimeMs > STALE_MS) return true;
  const pid = Number(held.split(" ")[0]);
  // Written but not yet filled in by its owner: give it a moment.
  if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 1_000;
  return !isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
