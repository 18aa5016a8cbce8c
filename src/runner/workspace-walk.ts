/**
 * Walks a workspace folder: the real one when a run starts, and the program's copy while the
 * program runs (the disk watch) and once it has ended (the commit). The walk runs in the host,
 * with the user's rights; while the program runs, it changes what is walked.
 *
 * So each folder is held open while it is looked in, and every name in it is looked up
 * through that descriptor: a folder swapped for a link meanwhile (a link the user's own
 * workspace held, renamed or hard-linked into place) leads the walk nowhere outside the
 * folder walked, neither to count the host's files nor to open a host folder. An entry
 * removed between being listed and being looked at is gone, not unreadable: only what is
 * there and cannot be read stops a run. Linux only (/proc/self/fd), as the sandbox is.
 */
import { isUtf8 } from "node:buffer";
import { closeSync, constants, openSync, readlinkSync, type BigIntStats } from "node:fs";
import { chmod, lstat, readdir, realpath } from "node:fs/promises";
import * as path from "node:path";
import { compareCodeUnits } from "../compare.js";

type EntryKind = "file" | "dir" | "link" | "other";

export interface Entry {
  readonly kind: EntryKind;
  readonly size: number;
  /** Modification and change times: a change made in place shows in one of them. */
  readonly stamp: string;
}

export interface Walked {
  readonly entries: Map<string, Entry>;
  /** Entries that could not be looked at (a path longer than the system allows, say). */
  readonly unreadable: string[];
  /**
   * Entries whose names are not UTF-8 text, which no string path reaches: counted (bytes and
   * entries, what is below them too), never copied. `names` are the topmost, for messages.
   */
  readonly unnamed: Unnamed;
}

interface Unnamed {
  readonly names: string[];
  bytes: number;
  entries: number;
}

export interface WalkOptions {
  readonly signal?: AbortSignal;
  /** At most this many entries: a walk that stops there is enough to say a limit was passed. */
  readonly maxEntries?: number;
  /**
   * A folder closed to its owner: opened, in the program's copy (the program runs as the same
   * user, and closing one must not hide what it holds from the count); left closed in the
   * user's own workspace, where the user closed it (its contents are unreadable to the walk,
   * so the program never gets them).
   */
  readonly closedFolders: "open" | "leave closed";
}

/**
 * Every entry below `root` (links not followed), by path relative to it, parents first. The
 * entries of a folder are looked at together: a workspace of many small files is walked in a
 * few milliseconds a thousand.
 */
export async function walk(root: string, options: WalkOptions): Promise<Walked> {
  const { signal, maxEntries = Number.POSITIVE_INFINITY, closedFolders } = options;
  const entries = new Map<string, Entry>();
  const unreadable: string[] = [];
  const unnamed: Unnamed = { names: [], bytes: 0, entries: 0 };
  // The path each held folder must have: the root's own, with no link in it.
  const base = await realpath(root);
  const folders = [""];
  while (folders.length > 0 && entries.size + unnamed.entries <= maxEntries) {
    signal?.throwIfAborted();
    const folder = folders.shift()!;
    const looked = await lookIn(base, folder, closedFolders === "open", { unnamed, unreadable });
    if (looked === GONE) continue;
    if (looked === undefined) {
      unreadable.push(folder);
      continue;
    }
    for (const [name, stat] of looked) {
      // Plain joins: names hold no "/", and path.join's normalizing, called for each entry,
      // gets hot enough for V8 to optimize it in the background, which a short run's exit
      // then waits for (~4 ms).
      const relative = folder === "" ? name : `${folder}/${name}`;
      if (stat === GONE) continue;
      if (stat === undefined) {
        unreadable.push(relative);
        continue;
      }
      const kind = kindOf(stat);
      entries.set(relative, { kind, size: sizeOf(stat), stamp: `${stat.mtimeNs}:${stat.ctimeNs}` });
      if (kind === "dir") folders.push(relative);
    }
  }
  return { entries, unreadable, unnamed };
}

/** A sparse file counts at its full size: that is what copying it back would write. */
function sizeOf(stat: BigIntStats): number {
  return stat.isFile() ? Number(stat.size) : 0;
}

function kindOf(stat: BigIntStats): EntryKind {
  if (stat.isFile()) return "file";
  if (stat.isDirectory()) return "dir";
  return stat.isSymbolicLink() ? "link" : "other";
}

/** Stands for an entry removed (or a folder replaced) while the walk was on its way to it. */
const GONE = Symbol("gone");

type Looked = readonly (readonly [name: string, stat: BigIntStats | undefined | typeof GONE])[];

/**
 * A folder's entries, sorted, with what each is, looked up through a descriptor of the folder;
 * those whose names are not UTF-8 text are counted in `found.unnamed` instead (and named in
 * `found.unreadable` when they could not all be). Undefined if it cannot
 * be read, GONE if it is no longer the folder that was seen.
 */
async function lookIn(
  base: string,
  folder: string,
  openClosed: boolean,
  found: { readonly unnamed: Unnamed; readonly unreadable: string[] },
): Promise<Looked | undefined | typeof GONE> {
  const held = heldFolder(folder === "" ? base : `${base}/${folder}`);
  if (held === GONE || held === undefined) return held;
  try {
    const listed = await listFolder(held.through, openClosed);
    if (listed === GONE || listed === undefined) return listed;
    const names: string[] = [];
    for (const name of listed) {
      if (isUtf8(name)) names.push(name.toString("utf8"));
      else {
        const shown = path.join(folder, name.toString("utf8"));
        found.unnamed.names.push(shown);
        if (!(await countUnder(held.through, name, found.unnamed, 0))) found.unreadable.push(shown);
      }
    }
    names.sort(compareCodeUnits);
    const stats = await Promise.all(
      names.map((name) =>
        lstat(`${held.through}/${name}`, { bigint: true }).catch((error: unknown) =>
          wasRemoved(error) ? GONE : undefined,
        ),
      ),
    );
    return names.map((name, i) => [name, stats[i]] as const);
  } finally {
    closeSync(held.fd);
  }
}

/** Deeper than this, what is under a name that is not UTF-8 is not counted: it stops the run. */
const MAX_UNNAMED_DEPTH = 64;

/**
 * Adds `name` in the folder reached by `through`, and all under it, to `unnamed`'s count; each
 * folder opened by its one name through its parent's descriptor, never by a path. False if
 * some of it could not be counted.
 */
async function countUnder(
  through: string,
  name: Buffer,
  unnamed: Unnamed,
  depth: number,
): Promise<boolean> {
  const at = Buffer.concat([Buffer.from(`${through}/`), name]);
  const stat = await lstat(at, { bigint: true }).catch((error: unknown) =>
    wasRemoved(error) ? GONE : undefined,
  );
  if (stat === GONE) return true;
  if (stat === undefined) return false;
  unnamed.entries += 1;
  unnamed.bytes += sizeOf(stat);
  if (!stat.isDirectory()) return true;
  if (depth >= MAX_UNNAMED_DEPTH) return false;
  let fd: number;
  try {
    fd = openSync(at, O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (error) {
    return wasRemoved(error);
  }
  try {
    const below = `/proc/self/fd/${fd}`;
    const listed = await listFolder(below, true);
    if (listed === GONE) return true;
    if (listed === undefined) return false;
    let counted = true;
    for (const child of listed)
      counted = (await countUnder(below, child, unnamed, depth + 1)) && counted;
    return counted;
  } finally {
    closeSync(fd);
  }
}

/** Linux's O_PATH (not in Node's constants): a descriptor that names a folder without reading it. */
const O_PATH = 0o10000000;

/**
 * The folder at `wanted`, held by a descriptor, and the path (in /proc/self/fd) that reaches
 * it through that descriptor. O_NOFOLLOW refuses a link as its last name; the descriptor's own
 * path shows a link above it, which makes it another folder: GONE, as a removed one is.
 * Synchronous: three calls of a few microseconds each, where the thread pool would add its
 * round trip to each (a walk of 100 folders took half again as long).
 */
function heldFolder(wanted: string): HeldFolder | undefined | typeof GONE {
  let fd: number;
  try {
    fd = openSync(wanted, O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (error) {
    return wasRemoved(error) ? GONE : undefined;
  }
  const through = `/proc/self/fd/${fd}`;
  let reached: string | undefined;
  try {
    reached = readlinkSync(through);
  } catch {
    reached = undefined;
  }
  if (reached === wanted) return { fd, through };
  closeSync(fd);
  return GONE;
}

interface HeldFolder {
  readonly fd: number;
  /** The folder's path through its descriptor. */
  readonly through: string;
}

/** Removed, or no longer a folder (a link now): what a running program may do meanwhile. */
function wasRemoved(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * A folder's names; one closed to its owner is opened to them first if `openClosed` (through
 * its descriptor, so it is that folder that is opened). Undefined if it cannot be read, GONE if
 * it is no longer there.
 */
async function listFolder(
  dir: string,
  openClosed: boolean,
): Promise<Buffer[] | undefined | typeof GONE> {
  try {
    return await readdir(dir, { encoding: "buffer" });
  } catch (error) {
    if (wasRemoved(error)) return GONE;
    if (!openClosed || (error as NodeJS.ErrnoException).code !== "EACCES") return undefined;
    try {
      await chmod(dir, 0o700);
      return await readdir(dir, { encoding: "buffer" });
    } catch (again) {
      return wasRemoved(again) ? GONE : undefined;
    }
  }
}
