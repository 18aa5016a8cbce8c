/**
 * What `<outDir>/workspace/` holds, for `mcp-codegen workspace` (and `serve`): every entry with
 * its size, the total, and the limit a run may add. Entries are read with `lstat` and links are
 * never followed: a link a person put there is listed as a link, not walked into.
 */
import { lstat, readdir, realpath, rm } from "node:fs/promises";
import * as path from "node:path";
import { compareCodeUnits } from "../compare.js";
import { RunError } from "../runner/errors.js";
import { withWorkspaceLock } from "../runner/workspace-lock.js";

type WorkspaceEntryKind = "file" | "dir" | "link" | "other";

interface WorkspaceEntry {
  /** Relative to the workspace, `/`-separated. */
  readonly path: string;
  readonly kind: WorkspaceEntryKind;
  /** Bytes: a file's size; a folder's, the sum of the files under it. */
  readonly bytes: number;
}

export interface WorkspaceListing {
  readonly dir: string;
  /** False when the folder does not exist yet (no run has made it). */
  readonly exists: boolean;
  /** In path order, at most `maxEntries`; `truncated` counts the others. */
  readonly entries: readonly WorkspaceEntry[];
  readonly truncated: number;
  readonly files: number;
  readonly totalBytes: number;
  /** MB one run may add (`run.maxWorkspace`). */
  readonly maxWorkspaceMb: number;
}

/** Lists `<outDir>/workspace`, every entry up to `maxEntries` (the totals count them all). */
export async function listWorkspace(
  outDir: string,
  maxWorkspaceMb: number,
  maxEntries = 1000,
): Promise<WorkspaceListing> {
  return listFolder(path.join(outDir, "workspace"), maxWorkspaceMb, maxEntries);
}

/** Lists `dir` as `listWorkspace` lists the workspace (serve: one client's own folder of it). */
export async function listFolder(
  dir: string,
  maxWorkspaceMb: number,
  maxEntries = 1000,
): Promise<WorkspaceListing> {
  const root = await workspaceRoot(dir);
  const all: WorkspaceEntry[] = root === undefined ? [] : await walk(root, "");
  all.sort((a, b) => compareCodeUnits(a.path, b.path));
  const files = all.filter((entry) => entry.kind === "file");
  return {
    dir,
    exists: root !== undefined,
    entries: all.slice(0, maxEntries),
    truncated: Math.max(0, all.length - maxEntries),
    files: files.length,
    totalBytes: files.reduce((total, file) => total + file.bytes, 0),
    maxWorkspaceMb,
  };
}

/**
 * Empties `<outDir>/workspace`, keeping the folder itself, while no run commits into it (the
 * runs' own lock). Links inside are removed, never followed. Returns what it removed.
 */
export async function cleanWorkspace(outDir: string): Promise<{ entries: number; bytes: number }> {
  const dir = path.join(outDir, "workspace");
  const root = await workspaceRoot(dir);
  if (root === undefined) return { entries: 0, bytes: 0 };
  return withWorkspaceLock(root, async () => {
    const top = await readdir(root);
    const listed = await walk(root, "");
    const bytes = listed.filter((e) => e.kind === "file").reduce((t, e) => t + e.bytes, 0);
    for (const name of top) await rm(path.join(root, name), { recursive: true, force: true });
    return { entries: top.length, bytes };
  });
}

/** The workspace's real path (a person may have made it a link to elsewhere), if it exists. */
async function workspaceRoot(dir: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new RunError(`${dir} cannot be read: ${(error as Error).message}`);
  }
  if (!(await lstat(real)).isDirectory()) throw new RunError(`${dir} is not a folder`);
  return real;
}

async function walk(root: string, relative: string): Promise<WorkspaceEntry[]> {
  const entries: WorkspaceEntry[] = [];
  for (const dirent of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${dirent.name}` : dirent.name;
    if (dirent.isDirectory()) {
      const inner = await walk(root, child);
      const bytes = inner.filter((e) => e.kind === "file").reduce((t, e) => t + e.bytes, 0);
      entries.push({ path: child, kind: "dir", bytes }, ...inner);
    } else if (dirent.isFile()) {
      const { size } = await lstat(path.join(root, child));
      entries.push({ path: child, kind: "file", bytes: size });
    } else {
      entries.push({ path: child, kind: dirent.isSymbolicLink() ? "link" : "other", bytes: 0 });
    }
  }
  return entries;
}
