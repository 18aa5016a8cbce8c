/**
 * The format phase: the emitted tree's TypeScript sources through prettier, then the manifest,
 * which lists every file with a hash of its final contents and so is written last.
 */
import { compareCodeUnits, sortKeys } from "../compare.js";
import { MANIFEST_PATH, renderManifest, type Manifest } from "../emit/manifest.js";
import type { EmittedFile, EmitResult } from "../emit/emit.js";
import { shortHash } from "../model/hash.js";
import type { RenderedFile } from "../write/types.js";
import { formatSources } from "./prettier.js";

export interface FormattedTree {
  /** Every file of the tree, the manifest included, sorted by path. */
  readonly files: readonly RenderedFile[];
  readonly manifest: Manifest;
}

/**
 * Formats what needs it and seals the manifest. `formatCache`: formatted files of an earlier run
 * by the key of their source (see `Manifest.sources`); a file found there is not formatted again.
 */
export async function formatTree(
  emitted: EmitResult,
  formatCache: ReadonlyMap<string, string> = new Map(),
): Promise<FormattedTree> {
  const contents = await formatted(emitted.files, formatCache);
  const files: RenderedFile[] = emitted.files.map((file, i) => ({
    path: file.path,
    contents: contents[i]!,
  }));
  const manifest: Manifest = {
    ...emitted.manifest,
    files: sortKeys({ ...hashes(files), ...emitted.kept.files }),
    sources: sortKeys({ ...sourceKeys(emitted.files), ...emitted.kept.sources }),
  };
  files.push({ path: MANIFEST_PATH, contents: renderManifest(manifest) });
  files.sort((a, b) => compareCodeUnits(a.path, b.path));
  return { files, manifest };
}

/** Each file's final contents: as emitted, from the cache, or formatted now (in batches). */
async function formatted(
  files: readonly EmittedFile[],
  formatCache: ReadonlyMap<string, string>,
): Promise<string[]> {
  const contents = files.map((file) => {
    if (file.format === undefined) return file.text;
    const { cacheKey } = file.format;
    return cacheKey === undefined ? undefined : formatCache.get(cacheKey);
  });
  const todo = files.flatMap((file, i) => (contents[i] === undefined ? [i] : []));
  const done = await formatSources(todo.map((i) => files[i]!.text));
  todo.forEach((fileIndex, k) => (contents[fileIndex] = done[k]!));
  return contents as string[];
}

function hashes(files: readonly RenderedFile[]): Record<string, string> {
  return Object.fromEntries(files.map((file) => [file.path, shortHash(file.contents)]));
}

/** The cache keys of the files formatted as a whole, for the next run's `formatCache`. */
function sourceKeys(files: readonly EmittedFile[]): Record<string, string> {
  return Object.fromEntries(
    files.flatMap((file) =>
      file.format?.cacheKey !== undefined ? [[file.path, file.format.cacheKey]] : [],
    ),
  );
}
