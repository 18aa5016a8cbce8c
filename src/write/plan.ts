/** Planning a write: what the new tree and the last run's files need done on disk, reading only. */
import { readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import { WriteError } from "../errors.js";
import { staleTempFiles } from "./atomic.js";
import { checkPrevious, checkRendered, ignoredEntry } from "./inputs.js";
import { mapLimit } from "./limit.js";
import type { Problem } from "./inputs.js";
import { Containment, resolveInside } from "./paths.js";
import { compareCodeUnits } from "./types.js";
import type { PlanEntry, RenderedFile, WritePlan } from "./types.js";

/** What `planWrite` compares: the new tree, and what the previous run says it wrote. */
export interface PlanWriteInput {
  /** Absolute path of the output root; the tree goes to `<outDir>/servers`. */
  readonly outDir: string;
  /** The new tree, paths relative to `servers/`. */
  readonly files: readonly RenderedFile[];
  /** The paths the previous manifest says the generator wrote, relative to `servers/`. */
  readonly previousFiles: readonly string[];
  /** Paths never deleted even when not rendered now (a failed server's files with `--partial`). */
  readonly keep?: readonly string[];
  /**
   * Contents the caller read from disk moments ago (reused files, checked against the manifest):
   * a rendered file equal to them is not read again. Paths are still checked like all others.
   */
  readonly readJustNow?: ReadonlyMap<string, string>;
}

/**
 * Compares the rendered tree with the disk and decides, for every file, create, update, delete
 * or unchanged. It only reads. It fails with a `WriteError`, before anything is written, when a
 * path is unsafe (outside `servers/`, or through a symbolic link that leads out) or when a rendered
 * file would replace something the generator does not own: a file the previous manifest does not
 * list and whose contents differ (a person's file), a folder, or a file where a folder must go.
 * An unlisted file with identical contents is adopted as unchanged: it is what a run interrupted
 * before writing its manifest leaves behind.
 */
export async function planWrite(input: PlanWriteInput): Promise<WritePlan> {
  const serversDir = path.join(path.resolve(input.outDir), "servers");
  const rendered = checkRendered(input.files);
  if (rendered.problems.length > 0) throw problemsError(rendered.problems);
  const previous = checkPrevious(input.previousFiles);
  const disk: PlanDisk = {
    serversDir,
    containment: new Containment(serversDir),
    rendered: rendered.contents,
    owned: previous.owned,
    readJustNow: input.readJustNow,
  };

  const renderedPaths = [...rendered.contents.keys()].sort(compareCodeUnits);
  const classified = await mapLimit(renderedPaths, (relative) => classifyRendered(disk, relative));
  const problems = classified.filter((item): item is Problem => "file" in item);
  if (problems.length > 0) throw problemsError(problems);

  // Checked paths, by folder: where to look for temp files a killed run left behind.
  const checked = new Set(renderedPaths);
  const keep = new Set(input.keep ?? []);
  const candidates = [...previous.owned]
    .filter((relative) => !rendered.contents.has(relative) && !keep.has(relative))
    .sort(compareCodeUnits);
  const deletions = await mapLimit(candidates, (relative) =>
    classifyDeletion(disk, relative, checked),
  );
  const warnings = [
    ...previous.warnings,
    ...deletions.filter((item): item is string => typeof item === "string"),
  ];

  const entries: PlanEntry[] = [
    ...classified.filter((item): item is PlanEntry => "action" in item),
    ...deletions.filter((item): item is PlanEntry => typeof item === "object"),
    ...(await staleTemps(serversDir, checked, rendered.contents, previous.owned)),
  ];
  entries.sort((a, b) => compareCodeUnits(a.path, b.path));
  const contents = contentsToWrite(entries, rendered.contents);
  return { serversDir, entries, contents, warnings: warnings.sort(compareCodeUnits) };
}

/** What classifying a path looks at: the new tree, the disk under `servers/`, the last run's files. */
interface PlanDisk {
  readonly serversDir: string;
  /** Shared by all paths of the plan: each folder's links are resolved once. */
  readonly containment: Containment;
  readonly rendered: ReadonlyMap<string, string>;
  /** The files the previous manifest says the generator wrote. */
  readonly owned: ReadonlySet<string>;
  readonly readJustNow: ReadonlyMap<string, string> | undefined;
}

/**
 * A rendered file's entry (create, update, unchanged), or the problem that forbids writing it:
 * a path leading out, something other than a file in its place, or a file not ours.
 */
async function classifyRendered(disk: PlanDisk, relative: string): Promise<PlanEntry | Problem> {
  const target = resolveInside(disk.serversDir, relative);
  const problem = (message: string): Problem => ({ file: target, message });
  const escape = await disk.containment.check(target);
  if (escape !== undefined) return problem(`the path ${escape}`);
  const state = await fileState(target);
  if (state === "missing") return entry(relative, "create");
  if (state === "blocked")
    return problem("a file sits where a folder of this path goes; move it or remove it");
  if (state === "folder")
    return problem("is a folder where a generated file goes; move it or remove it");
  if (state === "other") return problem("is not a regular file; move it or remove it");
  const wanted = disk.rendered.get(relative) ?? "";
  if (disk.readJustNow?.get(relative) === wanted) return entry(relative, "unchanged");
  const onDisk = await readFile(target).catch((error: unknown) => error as Error);
  if (onDisk instanceof Error) return problem(`could not be read: ${onDisk.message}`);
  if (onDisk.equals(Buffer.from(wanted, "utf8"))) {
    return entry(relative, "unchanged");
  }
  if (disk.owned.has(relative)) return entry(relative, "update");
  return problem(
    "exists, differs from what the generator would write, and the previous manifest does not " +
      "list it, so it may be a person's file; move it or remove it, then generate again",
  );
}

/**
 * A file the previous run wrote and this one does not: a delete entry, nothing when it is gone
 * already, or a warning saying why it is left alone. A path that stays inside `servers/` is
 * added to `checked`, whose folders are searched for leftover temp files.
 */
async function classifyDeletion(
  disk: PlanDisk,
  relative: string,
  checked: Set<string>,
): Promise<PlanEntry | string | undefined> {
  const target = resolveInside(disk.serversDir, relative);
  const escape = await disk.containment.check(target);
  if (escape !== undefined) return ignoredEntry(relative, `the path ${escape}`);
  checked.add(relative);
  const state = await fileState(target);
  // Already gone (say, a run interrupted while deleting): nothing to do.
  if (state === "missing" || state === "blocked") return undefined;
  if (state === "folder")
    return ignoredEntry(relative, "it is a folder (never removed recursively)");
  if (state === "other") return ignoredEntry(relative, "it is not a regular file");
  return entry(relative, "delete");
}

/** The contents of every file the plan creates or updates, by path. */
function contentsToWrite(
  entries: readonly PlanEntry[],
  rendered: ReadonlyMap<string, string>,
): Map<string, string> {
  const contents = new Map<string, string>();
  for (const { path: relative, action } of entries) {
    if (action === "create" || action === "update") {
      contents.set(relative, rendered.get(relative) ?? "");
    }
  }
  return contents;
}

function entry(relative: string, action: PlanEntry["action"]): PlanEntry {
  return { path: relative, action };
}

type FileState = "missing" | "blocked" | "folder" | "file" | "other";

/** What is at `target`, following a final symbolic link (containment has vetted where it goes). */
async function fileState(target: string): Promise<FileState> {
  try {
    const stats = await stat(target);
    // A FIFO or device would hang or misbehave on read, so it counts as foreign.
    return stats.isDirectory() ? "folder" : stats.isFile() ? "file" : "other";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "missing";
    if (code === "ENOTDIR") return "blocked";
    throw new WriteError(target, `could not be inspected: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Delete entries for our leftover temp files in the folders of the checked paths. */
async function staleTemps(
  serversDir: string,
  checked: ReadonlySet<string>,
  rendered: ReadonlyMap<string, string>,
  owned: ReadonlySet<string>,
): Promise<PlanEntry[]> {
  const namesByFolder = new Map<string, Set<string>>();
  for (const relative of checked) {
    const folder = path.posix.dirname(relative);
    const names = namesByFolder.get(folder) ?? new Set<string>();
    names.add(path.posix.basename(relative));
    namesByFolder.set(folder, names);
  }
  const found = await mapLimit([...namesByFolder], async ([folder, names]) => {
    const absolute = folder === "." ? serversDir : resolveInside(serversDir, folder);
    const temps = await staleTempFiles(absolute, names);
    return temps.map((name) => (folder === "." ? name : `${folder}/${name}`));
  });
  return found
    .flat()
    .filter((relative) => !rendered.has(relative) && !owned.has(relative))
    .map((relative) => entry(relative, "delete"));
}

/** One `WriteError` for all problems: the first names its file, the rest are counted. */
function problemsError(problems: readonly Problem[]): WriteError {
  const [first, ...rest] = [...problems].sort((a, b) => compareCodeUnits(a.file, b.file));
  if (first === undefined) throw new Error("bug: problemsError called without problems");
  const shown = rest.slice(0, 5).map((problem) => problem.file);
  const more =
    rest.length === 0
      ? ""
      : ` (${rest.length} more: ${shown.join(", ")}${rest.length > 5 ? ", …" : ""})`;
  return new WriteError(first.file, `${first.message}${more}. Nothing was written.`);
}
