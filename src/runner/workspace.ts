/**
 * The program's `workspace/` as a transaction. The program never touches the real folder: it
 * gets a copy (staged in its own sandbox folder), and only a run that succeeds, within its
 * disk limit, has its changes copied back. A failed or stopped run leaves the real workspace as
 * it found it, and is told exactly what it changed and lost.
 *
 * Only regular files and folders cross back. Links, FIFOs and the like that a program made are
 * refused (a link planted in the real workspace would point the user's own tools, or the next
 * run's bundler, anywhere); a write under a folder that is a link in the real workspace is
 * refused too, so nothing is written outside it.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readdir,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
  unlink,
} from "node:fs/promises";
import * as path from "node:path";
import { compareCodeUnits } from "../compare.js";
import { readWhole, withWorkspaceLock } from "./workspace-lock.js";
import { startCommit, type CommitInFlight } from "./commits-in-flight.js";
import { walk, type Entry } from "./workspace-walk.js";

export interface StagedWorkspace {
  /** The real workspace (a real path). */
  readonly real: string;
  /** The program's copy of it. */
  readonly staging: string;
  /** The real workspace as it was copied: relative path → entry. */
  readonly source: ReadonlyMap<string, Entry>;
  /** The copy as staged: relative path → entry. */
  readonly before: ReadonlyMap<string, Entry>;
  readonly bytesBefore: number;
}

export interface WorkspaceChanges {
  readonly created: readonly string[];
  readonly changed: readonly string[];
  readonly deleted: readonly string[];
  /** What a commit would not copy back, and why. */
  readonly refused: readonly { readonly path: string; readonly why: string }[];
}

export interface WorkspaceUsage {
  readonly bytes: number;
  readonly entries: number;
  /** Entries the runner could not look at: what it cannot count, it does not keep. */
  readonly unreadable: number;
}

/**
 * Copies `real` (made if missing) into `staging`, an empty folder; links are copied as links.
 * What the user closed to themselves (a folder or file of mode 000) is not opened: a folder
 * comes empty, a file not at all.
 */
export async function stageWorkspace(
  real: string,
  staging: string,
  signal?: AbortSignal,
): Promise<StagedWorkspace> {
  await mkdir(real, { recursive: true });
  // A run starting while another commits stages all of that commit, or none of it.
  const source = await readWhole(
    real,
    () => copyInto(real, staging, signal),
    () => emptyFolder(staging),
    signal,
  );
  const { entries: before } = await walk(staging, { signal, closedFolders: "open" });
  return { real, staging, source, before, bytesBefore: totalBytes(before) };
}

async function emptyFolder(dir: string): Promise<void> {
  for (const name of await readdir(dir))
    await rm(path.join(dir, name), { recursive: true, force: true });
}

/** Copies the real workspace into `staging`; returns what it copied. */
async function copyInto(
  real: string,
  staging: string,
  signal?: AbortSignal,
): Promise<Map<string, Entry>> {
  const { entries: source } = await walk(real, { signal, closedFolders: "leave closed" });
  signal?.throwIfAborted();
  for (const [relative, entry] of source) {
    const from = path.join(real, relative);
    const to = path.join(staging, relative);
    if (entry.kind === "dir") await mkdir(to);
    else if (entry.kind === "file" && !(await copyReadable(from, to))) source.delete(relative);
    else if (entry.kind === "link") await symlink(await readlink(from), to);
  }
  return source;
}

/**
 * Copies a file of the real workspace into the program's copy; false, and nothing copied, for
 * one its owner closed to themselves: it stays theirs (a commit refuses to write over it, as
 * over anything it did not stage).
 */
async function copyReadable(from: string, to: string): Promise<boolean> {
  try {
    await copyFile(from, to, constants.COPYFILE_FICLONE);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EACCES") return false;
    throw error;
  }
}

/**
 * Bytes of files and number of entries in the program's copy now, counted up to
 * `maxEntries` entries (past that, the count is all that matters).
 */
export async function workspaceUsage(
  staged: StagedWorkspace,
  maxEntries?: number,
): Promise<WorkspaceUsage> {
  const now = await walk(staged.staging, { maxEntries, closedFolders: "open" });
  return {
    bytes: totalBytes(now.entries) + now.unnamed.bytes,
    entries: now.entries.size + now.unnamed.entries,
    unreadable: now.unreadable.length,
  };
}

/** What the program changed in its copy, and what of it a commit would refuse. */
export async function workspaceChanges(staged: StagedWorkspace): Promise<WorkspaceChanges> {
  const {
    entries: after,
    unreadable,
    unnamed,
  } = await walk(staged.staging, {
    closedFolders: "open",
  });
  const created: string[] = [];
  const changed: string[] = [];
  const deleted: string[] = [];
  const refused: { path: string; why: string }[] = [];
  for (const [relative, entry] of after) {
    const was = staged.before.get(relative);
    if (was && was.kind === entry.kind && (entry.kind !== "file" || same(was, entry))) continue;
    if (was && was.kind !== entry.kind) deleted.push(relative);
    (was && was.kind === entry.kind ? changed : created).push(relative);
    if (entry.kind === "link") refused.push({ path: relative, why: "a symbolic link" });
    if (entry.kind === "other") refused.push({ path: relative, why: "not a file or folder" });
  }
  for (const relative of unreadable) {
    refused.push({ path: relative, why: "the runner could not read it (a path too long?)" });
  }
  for (const relative of unnamed.names) {
    refused.push({ path: relative, why: "its name is not UTF-8 text" });
  }
  for (const relative of staged.before.keys()) if (!after.has(relative)) deleted.push(relative);
  const sorted = (names: string[]) => names.sort(compareCodeUnits);
  return { created: sorted(created), changed: sorted(changed), deleted: sorted(deleted), refused };
}

/**
 * Copies the program's changes back into the real workspace, one commit at a time per
 * workspace: deletions first (deepest first), then folders and files (each file written beside
 * its target under a short random name and renamed over it). What changed in the real
 * workspace since it was copied in (another run committed meanwhile) is not overwritten: it is
 * refused, and so is anything that cannot be written; the rest of the commit goes on.
 */
export async function commitWorkspace(staged: StagedWorkspace): Promise<WorkspaceChanges> {
  const changes = await workspaceChanges(staged);
  // Most runs change nothing there: no commit to take turns for.
  if (isEmpty(changes)) return changes;
  // Under way from here: a signal now lets it finish (commits-in-flight.ts).
  const inFlight = startCommit();
  try {
    return await withWorkspaceLock(staged.real, () => applyChanges(staged, changes, inFlight));
  } finally {
    inFlight.end();
  }
}

/** The commit itself, the lock held: deletions, then folders and files. */
async function applyChanges(
  staged: StagedWorkspace,
  changes: WorkspaceChanges,
  inFlight: CommitInFlight,
): Promise<WorkspaceChanges> {
  const refused = [...changes.refused];
  const skip = new Set(refused.map((r) => r.path));
  /** Removed by this commit: a file the program turned into a folder, say. */
  const removed = new Set<string>();
  const apply = async (relative: string, step: () => Promise<void>) => {
    if (skip.has(relative)) return;
    if (inFlight.abandoned) return void refused.push({ path: relative, why: STOPPED });
    const why = removed.has(relative) ? undefined : await conflict(staged, relative);
    if (why !== undefined) return void refused.push({ path: relative, why });
    try {
      await step();
    } catch (error) {
      refused.push({ path: relative, why: notWritten(error) });
    }
  };
  for (const relative of [...changes.deleted].reverse()) {
    await apply(relative, async () => {
      await remove(path.join(staged.real, relative));
      removed.add(relative);
    });
  }
  for (const relative of [...changes.created, ...changes.changed].sort(compareCodeUnits)) {
    await apply(relative, () => copyBack(staged, relative));
  }
  return { ...changes, refused };
}

function isEmpty(changes: WorkspaceChanges): boolean {
  const { created, changed, deleted, refused } = changes;
  return created.length + changed.length + deleted.length + refused.length === 0;
}

/** Why `relative` may not be written in the real workspace now, if it may not. */
async function conflict(staged: StagedWorkspace, relative: string): Promise<string | undefined> {
  if (!(await parentIsRealFolder(staged.real, relative))) {
    return "its folder is a symbolic link in workspace/";
  }
  const was = staged.source.get(relative);
  const now = await lstat(path.join(staged.real, relative), { bigint: true }).catch(
    () => undefined,
  );
  if (now === undefined)
    return was === undefined || was.kind === "dir" ? undefined : changedMeanwhile;
  if (was === undefined) return now.isDirectory() ? undefined : changedMeanwhile;
  if (now.isDirectory()) return was.kind === "dir" ? undefined : changedMeanwhile;
  return `${now.mtimeNs}:${now.ctimeNs}` === was.stamp ? undefined : changedMeanwhile;
}

const changedMeanwhile = "it changed in workspace/ since the run began (another run?)";

const STOPPED = "the runner was stopped before it was copied";

function notWritten(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOTEMPTY" || code === "EEXIST") {
    return "it is a folder in workspace/ holding what the run did not see (another run's files, or ones closed to you)";
  }
  return `it could not be written (${code ?? "error"})`;
}

async function remove(target: string): Promise<void> {
  const stat = await lstat(target).catch(() => undefined);
  if (!stat) return;
  if (stat.isDirectory())
    await rmdir(target).catch(() => {}); // kept if not empty
  else await unlink(target);
}

async function copyBack(staged: StagedWorkspace, relative: string): Promise<void> {
  const from = path.join(staged.staging, relative);
  const to = path.join(staged.real, relative);
  const stat = await lstat(from);
  if (stat.isDirectory()) {
    const there = await lstat(to).catch(() => undefined);
    if (there?.isDirectory()) return;
    if (there) await rm(to, { force: true });
    await mkdir(to);
    return;
  }
  // Short and unique: beside a 255-byte name, and beside another run committing at once.
  const temporary = path.join(
    path.dirname(to),
    `.mcp-codegen-${randomBytes(8).toString("hex")}.tmp`,
  );
  try {
    await copyFile(from, temporary, constants.COPYFILE_FICLONE);
    // The program chose the mode: no set-uid, set-gid or sticky bit, and nobody else may
    // write (the file is the user's once copied back).
    await chmod(temporary, stat.mode & 0o755);
    const there = await lstat(to).catch(() => undefined);
    // A file in place of a folder: the folder goes only if the commit's deletions emptied it.
    // What is left in it the run never saw (another run's files, ones closed to the user).
    if (there?.isDirectory()) await rmdir(to);
    await rename(temporary, to);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Whether every folder above `relative` in the real workspace is a folder, not a link. */
async function parentIsRealFolder(real: string, relative: string): Promise<boolean> {
  const parts = relative.split(path.sep).slice(0, -1);
  let current = real;
  for (const part of parts) {
    current = path.join(current, part);
    const stat = await lstat(current).catch(() => undefined);
    if (stat === undefined) return true; // made by the commit, as a folder
    if (!stat.isDirectory()) return false;
  }
  return true;
}

/** A name the program chose, as the runner's own messages show it: at most 80 characters. */
export function shortName(name: string): string {
  return name.length > 80 ? `${name.slice(0, 79)}…` : name;
}

/** One line for the user: what the program changed, with at most five names of 80 characters. */
export function describeChanges(changes: WorkspaceChanges): string {
  const parts: string[] = [];
  const list = (names: readonly string[]) =>
    names.length <= 5
      ? names.map(shortName).join(", ")
      : `${names.slice(0, 5).map(shortName).join(", ")} and ${names.length - 5} more`;
  if (changes.created.length > 0) parts.push(`created ${list(changes.created)}`);
  if (changes.changed.length > 0) parts.push(`changed ${list(changes.changed)}`);
  if (changes.deleted.length > 0) parts.push(`deleted ${list(changes.deleted)}`);
  return parts.join("; ");
}

function same(a: Entry, b: Entry): boolean {
  return a.size === b.size && a.stamp === b.stamp;
}

function totalBytes(entries: ReadonlyMap<string, Entry>): number {
  let bytes = 0;
  for (const entry of entries.values()) bytes += entry.size;
  return bytes;
}
