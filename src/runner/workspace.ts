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

type EntryKind = "file" | "dir" | "link" | "other";

interface Entry {
  readonly kind: EntryKind;
  readonly size: number;
  /** Modification and change times: a change made in place shows in one of them. */
  readonly stamp: string;
}

export interface StagedWorkspace {
  /** The real workspace (a real path). */
  readonly real: string;
  /** The program's copy of it. */
  readonly staging: string;
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
}

/** Copies `real` (made if missing) into `staging`, an empty folder; links are copied as links. */
export async function stageWorkspace(
  real: string,
  staging: string,
  signal?: AbortSignal,
): Promise<StagedWorkspace> {
  await mkdir(real, { recursive: true });
  const source = await walk(real, signal);
  for (const [relative, entry] of source) {
    const from = path.join(real, relative);
    const to = path.join(staging, relative);
    if (entry.kind === "dir") await mkdir(to);
    else if (entry.kind === "file") await copyFile(from, to, constants.COPYFILE_FICLONE);
    else if (entry.kind === "link") await symlink(await readlink(from), to);
  }
  const before = await walk(staging, signal);
  return { real, staging, before, bytesBefore: totalBytes(before) };
}

/**
 * Bytes of files and number of entries in the program's copy now, counted up to
 * `maxEntries` entries (past that, the count is all that matters).
 */
export async function workspaceUsage(
  staged: StagedWorkspace,
  maxEntries?: number,
): Promise<WorkspaceUsage> {
  const now = await walk(staged.staging, undefined, maxEntries);
  return { bytes: totalBytes(now), entries: now.size };
}

/** What the program changed in its copy, and what of it a commit would refuse. */
export async function workspaceChanges(staged: StagedWorkspace): Promise<WorkspaceChanges> {
  const after = await walk(staged.staging);
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
  for (const relative of staged.before.keys()) if (!after.has(relative)) deleted.push(relative);
  const sorted = (names: string[]) => names.sort(compareCodeUnits);
  return { created: sorted(created), changed: sorted(changed), deleted: sorted(deleted), refused };
}

/**
 * Copies the program's changes back into the real workspace: deletions first (deepest first),
 * then folders and files (each file written beside its target and renamed over it).
 */
export async function commitWorkspace(staged: StagedWorkspace): Promise<WorkspaceChanges> {
  const changes = await workspaceChanges(staged);
  const refused = [...changes.refused];
  const refusedPaths = new Set(refused.map((r) => r.path));
  for (const relative of [...changes.deleted].reverse()) {
    const target = path.join(staged.real, relative);
    if (!(await parentIsRealFolder(staged.real, relative))) continue;
    const stat = await lstat(target).catch(() => undefined);
    if (!stat) continue;
    if (stat.isDirectory())
      await rmdir(target).catch(() => {}); // kept if not empty
    else await unlink(target);
  }
  for (const relative of [...changes.created, ...changes.changed].sort(compareCodeUnits)) {
    if (refusedPaths.has(relative)) continue;
    if (!(await parentIsRealFolder(staged.real, relative))) {
      refused.push({ path: relative, why: "its folder is a symbolic link in workspace/" });
      continue;
    }
    const from = path.join(staged.staging, relative);
    const to = path.join(staged.real, relative);
    const stat = await lstat(from);
    if (stat.isDirectory()) {
      const there = await lstat(to).catch(() => undefined);
      if (there?.isDirectory()) continue;
      if (there) await rm(to, { force: true });
      await mkdir(to);
      continue;
    }
    const temporary = path.join(
      path.dirname(to),
      `.mcp-codegen-${process.pid}-${path.basename(to)}.tmp`,
    );
    await copyFile(from, temporary, constants.COPYFILE_FICLONE);
    // The program chose the mode: no set-uid, set-gid or sticky bit, and nobody else may write
    // (the file is the user's once copied back).
    await chmod(temporary, stat.mode & 0o755);
    const there = await lstat(to).catch(() => undefined);
    if (there?.isDirectory()) await rm(to, { recursive: true, force: true });
    await rename(temporary, to);
  }
  return { ...changes, refused };
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

/** One line for the user: what the program changed, with at most five names of 80 characters. */
export function describeChanges(changes: WorkspaceChanges): string {
  const parts: string[] = [];
  const short = (name: string) => (name.length > 80 ? `${name.slice(0, 79)}…` : name);
  const list = (names: readonly string[]) =>
    names.length <= 5
      ? names.map(short).join(", ")
      : `${names.slice(0, 5).map(short).join(", ")} and ${names.length - 5} more`;
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

/**
 * Every entry below `root` (links not followed), by path relative to it, parents first; at
 * most `maxEntries` (a walk that stops there is enough to say a limit was passed). The entries
 * of a folder are looked at together: a workspace of many small files is walked in a few
 * milliseconds a thousand.
 */
async function walk(
  root: string,
  signal?: AbortSignal,
  maxEntries = Number.POSITIVE_INFINITY,
): Promise<Map<string, Entry>> {
  const found = new Map<string, Entry>();
  const folders = [""];
  while (folders.length > 0 && found.size <= maxEntries) {
    signal?.throwIfAborted();
    const folder = folders.shift()!;
    const names = await readdir(path.join(root, folder)).catch(() => [] as string[]);
    names.sort(compareCodeUnits);
    const stats = await Promise.all(
      names.map((name) =>
        lstat(path.join(root, folder, name), { bigint: true }).catch(() => undefined),
      ),
    );
    names.forEach((name, i) => {
      const stat = stats[i];
      if (!stat) return;
      const relative = folder === "" ? name : path.join(folder, name);
      const kind: EntryKind = stat.isFile()
        ? "file"
        : stat.isDirectory()
          ? "dir"
          : stat.isSymbolicLink()
            ? "link"
            : "other";
      // A sparse file counts at its full size: that is what copying it back would write.
      const size = kind === "file" ? Number(stat.size) : 0;
      found.set(relative, { kind, size, stamp: `${stat.mtimeNs}:${stat.ctimeNs}` });
      if (kind === "dir") folders.push(relative);
    });
  }
  return found;
}
