import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, link, open, readdir, realpath, rename, rm } from "node:fs/promises";
import * as path from "node:path";

/**
 * The files of a write in progress: new contents go to a temp file in the target's own folder
 * (the same file system, so `rename` is atomic), which is then renamed over the target; the old
 * contents are kept under a backup name until the run has committed, so a failed run can put
 * them back. A reader, or a run interrupted at any point, sees the old file or the new one, never
 * half of one.
 */

/**
 * `.<name>.<12 hex digits>.tmp` (new contents) and `.old` (previous contents): hidden, and
 * recognisable as ours when a killed run leaves one behind.
 */
const TEMP_NAME = /^\.(.+)\.[0-9a-f]{12}\.(?:tmp|old)$/;

/** A fresh temp path next to `target`, for its new contents (`tmp`) or its old ones (`old`). */
export function tempPathFor(target: string, kind: "tmp" | "old" = "tmp"): string {
  const name = `.${path.basename(target)}.${randomBytes(6).toString("hex")}.${kind}`;
  return path.join(path.dirname(target), name);
}

/** The file name a temp file named `name` was written for, or `undefined` if it is not one. */
function tempTargetName(name: string): string | undefined {
  return TEMP_NAME.exec(name)?.[1];
}

/**
 * Writes `contents` to a fresh temp file next to `target` (whose folder must exist) and returns
 * its path. `durable` syncs the data first, so a power cut cannot leave an empty file under the
 * new name once it is renamed; used for the manifest, the record a rerun relies on. On error
 * the temp file is removed.
 */
export async function writeTempFile(
  target: string,
  contents: string,
  durable: boolean,
): Promise<string> {
  const temp = tempPathFor(target);
  try {
    // "wx": never open an existing path, so a link planted at the temp name is not followed.
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(contents, "utf8");
      if (durable) await handle.datasync();
    } finally {
      await handle.close();
    }
    return temp;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Keeps the current contents of `target` under a backup name and returns it. A hard link, so the
 * target itself never disappears (a program reading stubs meanwhile always finds one); a copy
 * where the file system has no hard links.
 */
export async function backUp(target: string): Promise<string> {
  const backup = tempPathFor(target, "old");
  try {
    await link(target, backup);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV" && code !== "EMLINK")
      throw error;
    await copyFile(target, backup, constants.COPYFILE_EXCL);
  }
  return backup;
}

/**
 * Temp files of ours in `folder` (absolute) that a killed run left behind, as file names. Only
 * names of the `.<name>.<hex>.tmp` shape whose `<name>` is in `ownNames` count, so a person's
 * hidden file is never mistaken for one.
 */
export async function staleTempFiles(
  folder: string,
  ownNames: ReadonlySet<string>,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
  return names.filter((name) => {
    const target = tempTargetName(name);
    return target !== undefined && ownNames.has(target);
  });
}

/**
 * Replaces one file outside the tree (a client's config, AGENTS.md) at once: a durable temp
 * file renamed over it. Through a link, the file the link points at is replaced, not the link.
 */
export async function replaceFile(target: string, contents: string): Promise<void> {
  const file = await realpath(target).catch(() => target);
  const temp = await writeTempFile(file, contents, true);
  await rename(temp, file).catch(async (error: unknown) => {
    await rm(temp, { force: true });
    throw error;
  });
}
