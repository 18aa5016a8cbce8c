import { randomBytes } from "node:crypto";
import { lstat, open, readdir, rename, rm } from "node:fs/promises";
import * as path from "node:path";

/**
 * Atomic file replacement: the contents go to a temp file in the target's own folder (the same
 * file system, so `rename` is atomic), which is then renamed over the target. A reader, or a run
 * interrupted at any point, sees the old file or the new one, never half of one.
 */

/** `.<name>.<12 hex digits>.tmp`: hidden, and recognisable as ours when a killed run leaves one. */
const TEMP_NAME = /^\.(.+)\.[0-9a-f]{12}\.tmp$/;

/** A fresh temp path next to `target`. */
export function tempPathFor(target: string): string {
  const name = `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`;
  return path.join(path.dirname(target), name);
}

/** The file name a temp file named `name` was written for, or `undefined` if it is not one. */
export function tempTargetName(name: string): string | undefined {
  return TEMP_NAME.exec(name)?.[1];
}

/** Options of `writeFileAtomic`. */
export interface AtomicWriteOptions {
  /**
   * Fail instead of replacing a file that appeared at `target` after planning (checked right
   * before the rename; Node has no portable no-replace rename, so the window is tiny, not zero).
   */
  readonly mustNotExist?: boolean;
  /**
   * `fsync` the data before the rename, so a power cut cannot leave an empty file under the new
   * name. Used for the manifest: it is one file, and the record a rerun relies on.
   */
  readonly durable?: boolean;
}

/**
 * Writes `contents` to `target` atomically; the target's folder must exist. On any error the
 * temp file is removed and the error is rethrown; `target` is then as it was.
 */
export async function writeFileAtomic(
  target: string,
  contents: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temp = tempPathFor(target);
  try {
    // "wx": never open an existing path, so a link planted at the temp name is not followed.
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(contents, "utf8");
      if (options.durable === true) await handle.datasync();
    } finally {
      await handle.close();
    }
    if (options.mustNotExist === true && (await exists(target))) {
      throw Object.assign(new Error("the file appeared after planning; run generate again"), {
        code: "EEXIST",
      });
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
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

async function exists(target: string): Promise<boolean> {
  try {
    await lstat(target);
    return true;
  } catch {
    return false;
  }
}
