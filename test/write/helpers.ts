import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach } from "vitest";
import type { RenderedFile } from "../../src/write/types.js";

/**
 * Temp folders for the write tests: each test gets a fresh `outDir` under the OS temp folder,
 * removed after the test.
 */

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh, empty temp folder: `root` holds `out` (the outDir) and room for "outside" files. */
export async function tempProject(): Promise<{ root: string; outDir: string; servers: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "mcp-codegen-write-"));
  made.push(root);
  const outDir = path.join(root, "out");
  await mkdir(outDir);
  return { root, outDir, servers: path.join(outDir, "servers") };
}

/** Writes files (paths posix, relative to `dir`), creating folders. */
export async function put(dir: string, files: Record<string, string>): Promise<void> {
  for (const [relative, contents] of Object.entries(files)) {
    const target = path.join(dir, ...relative.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, contents);
  }
}

/** Every file under `dir` as `{ posixPath: contents }`, hidden files included; `{}` if missing. */
export async function tree(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return result;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    result[path.relative(dir, absolute).split(path.sep).join("/")] = await readFile(
      absolute,
      "utf8",
    );
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Rendered files from a `{ path: contents }` record. */
export function rendered(files: Record<string, string>): RenderedFile[] {
  return Object.entries(files).map(([filePath, contents]) => ({ path: filePath, contents }));
}
