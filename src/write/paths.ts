import { lstat, realpath } from "node:fs/promises";
import * as path from "node:path";

/**
 * The two checks that keep every write and delete inside `<outDir>/servers`: the shape of a
 * relative path (pure), and where it really lands once symlinks on disk are followed.
 */

/**
 * Why `relative` is not a safe path below `servers/`, or `undefined` when it is. Safe means
 * posix, relative, made of plain names: no `.` or `..` segments, no empty segments, no NUL and no
 * backslash (which Windows would read as a separator, letting `a\..\..\x` climb out).
 */
export function checkRelativePath(relative: string): string | undefined {
  if (typeof relative !== "string" || relative.length === 0) return "is empty";
  if (relative.includes("\0")) return "contains a NUL character";
  if (relative.includes("\\")) return "contains a backslash; use / between folders";
  if (relative.startsWith("/")) return "is absolute; paths must be relative to servers/";
  // `C:x` is relative for posix but drive-relative on Windows, i.e. somewhere else entirely.
  if (/^[A-Za-z]:/.test(relative)) return "starts with a drive letter";
  for (const segment of relative.split("/")) {
    if (segment === "") return "has an empty segment (a leading, trailing or doubled /)";
    if (segment === "." || segment === "..") return `has a "${segment}" segment`;
  }
  return undefined;
}

/** Whether `candidate` is `root` or below it (both absolute, already resolved). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === "") return true;
  return relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** Absolute path of a checked relative path; the lexical check is repeated as a last guard. */
export function resolveInside(serversDir: string, relative: string): string {
  const absolute = path.join(serversDir, ...relative.split("/"));
  if (!isInside(serversDir, absolute) || absolute === serversDir) {
    throw new Error(`bug: ${JSON.stringify(relative)} passed the path check but leaves servers/`);
  }
  return absolute;
}

/**
 * Answers "does this path, with the symlinks that exist on disk now, stay inside servers/?".
 * It resolves the deepest existing ancestor of the path (the path itself when it exists) with
 * `realpath`, so a component that is a symlink to somewhere else is caught wherever it sits.
 * Folders are resolved once and cached, because thousands of tool files share a few folders.
 *
 * `servers/` itself may be a symlink (a person can point it anywhere on purpose); what counts as
 * inside is its real location.
 */
export class Containment {
  private readonly dirs = new Map<string, Promise<string | undefined>>();
  private root: Promise<string | undefined> | undefined;

  constructor(readonly serversDir: string) {}

  /**
   * Why the absolute `target` (below `serversDir`) would land outside servers/, or `undefined`
   * when it stays inside. `target` itself may be missing, and so may its folders.
   */
  async check(target: string): Promise<string | undefined> {
    this.root ??= realOrUndefined(this.serversDir);
    const realRoot = await this.root;
    // No servers/ yet: nothing below it exists, so there is no symlink to follow.
    if (realRoot === undefined) return undefined;
    if (realRoot === DANGLING) return "servers/ is a symbolic link whose target does not exist";
    const real = (await realOrUndefined(target)) ?? (await this.realDir(path.dirname(target)));
    if (real === DANGLING) {
      // Refused even though nothing is there yet: whoever creates the link's target decides where
      // our files would go.
      return "passes through a symbolic link whose target does not exist; remove the link";
    }
    if (real === undefined || isInside(realRoot, real)) return undefined;
    return `leads outside servers/ through a symbolic link (to ${real}); remove the link`;
  }

  /** Real path of the deepest existing folder from `dir` up to servers/. */
  private realDir(dir: string): Promise<string | undefined> {
    let cached = this.dirs.get(dir);
    if (cached === undefined) {
      cached = realOrUndefined(dir).then((real) =>
        real !== undefined || dir === this.serversDir || !isInside(this.serversDir, dir)
          ? real
          : this.realDir(path.dirname(dir)),
      );
      this.dirs.set(dir, cached);
    }
    return cached;
  }
}

/** What `realOrUndefined` answers for a symbolic link whose target is missing. */
const DANGLING = "\0dangling";

/**
 * `realpath`, or `undefined` when the path (or a folder on the way) does not exist, or `DANGLING`
 * when the path itself is a symbolic link to nothing.
 */
async function realOrUndefined(target: string): Promise<string | undefined> {
  // Twice, because the path may appear between the two calls (a folder another write creates).
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await realpath(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file sits where a folder should be; the planner reports that on its own.
      if (code === "ENOTDIR") return undefined;
      if (code !== "ENOENT") throw error;
    }
    const isLink = await lstat(target).then(
      (stats) => stats.isSymbolicLink(),
      () => undefined,
    );
    if (isLink === undefined) return undefined; // truly missing
    if (isLink) return DANGLING; // lstat sees the link itself, realpath could not follow it
  }
  return undefined;
}
