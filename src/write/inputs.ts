import { checkRelativePath } from "./paths.js";
import { MANIFEST_PATH, compareCodeUnits } from "./types.js";
import type { RenderedFile } from "./types.js";

/**
 * The checks on `planWrite`'s inputs that need no disk: pure, so every problem is found before
 * anything is read, and the answers are the same on every machine.
 */

/** One reason planning cannot go on; `file` is what the message names. */
export interface Problem {
  readonly file: string;
  readonly message: string;
}

/** The rendered tree as a map by path, or the problems that make it unwritable. */
export function checkRendered(files: readonly RenderedFile[]): {
  readonly contents: ReadonlyMap<string, string>;
  readonly problems: readonly Problem[];
} {
  const contents = new Map<string, string>();
  const problems: Problem[] = [];
  const byFoldedCase = new Map<string, string>();
  for (const file of files) {
    const shape = checkRelativePath(file.path);
    if (shape !== undefined) {
      problems.push({ file: displayPath(file.path), message: `the path ${shape}` });
      continue;
    }
    if (contents.has(file.path)) {
      problems.push({ file: `servers/${file.path}`, message: "was rendered twice (a bug)" });
      continue;
    }
    // macOS and Windows fold case by default: `Get.ts` and `get.ts` would be one file there, and
    // the second write would silently replace the first. Naming should have prevented this.
    const folded = file.path.toLowerCase();
    const twin = byFoldedCase.get(folded);
    if (twin !== undefined) {
      problems.push({
        file: `servers/${file.path}`,
        message: `differs from servers/${twin} only by letter case, which is one file on macOS and Windows (a bug)`,
      });
      continue;
    }
    byFoldedCase.set(folded, file.path);
    contents.set(file.path, file.contents);
  }
  // A path cannot be both a file and a folder of another rendered file.
  for (const filePath of contents.keys()) {
    const segments = filePath.split("/");
    for (let end = 1; end < segments.length; end++) {
      const folder = segments.slice(0, end).join("/");
      if (contents.has(folder)) {
        problems.push({
          file: `servers/${folder}`,
          message: `was rendered as a file and as the folder of servers/${filePath} (a bug)`,
        });
      }
    }
  }
  return { contents, problems };
}

/**
 * The paths the generator owns: those the previous manifest lists, plus the manifest itself.
 *
 * The list comes from a file a person can edit, so an entry that is not a safe relative path is
 * dropped with a warning instead of failing the run: dropping it can only mean a file is not
 * deleted (the safe direction), while failing would block every regeneration until someone
 * repairs a file the next successful run rewrites anyway.
 *
 * The manifest counts as owned whenever a previous manifest listed anything, since that list was
 * read from it; otherwise updating it would look like overwriting a person's file.
 */
export function checkPrevious(previousFiles: readonly string[]): {
  readonly owned: ReadonlySet<string>;
  readonly warnings: readonly string[];
} {
  const owned = new Set<string>();
  const warnings: string[] = [];
  for (const entry of previousFiles) {
    const shape = checkRelativePath(entry);
    if (shape === undefined) owned.add(entry);
    else warnings.push(ignoredEntry(entry, `the path ${shape}`));
  }
  if (previousFiles.length > 0) owned.add(MANIFEST_PATH);
  return { owned, warnings: warnings.sort(compareCodeUnits) };
}

/** The warning for a manifest entry that planning will not delete. */
export function ignoredEntry(entry: string, reason: string): string {
  return `the previous manifest lists ${displayPath(entry)}, which is left alone: ${reason}`;
}

/** `servers/<path>` for messages; quoted when the path is unsafe, so NULs and newlines show. */
export function displayPath(relative: string): string {
  const shown = `servers/${relative}`;
  return checkRelativePath(relative) === undefined ? shown : JSON.stringify(shown);
}
