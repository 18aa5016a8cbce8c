/**
 * Reading the search index of a tree from disk, capped in size, and keeping it loaded while the
 * file stays the same (a `serve` process or a daemon searches many times).
 */
import { readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import { broken, parseSearchIndex, SEARCH_INDEX_PATH, type LoadedIndex } from "./index-file.js";

/** 64 MiB: the search bench's 10,000 tools (~25 words and four parameters each) make 9.2 MB. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** One loaded index per file while it stays the same on disk (a `serve` process searches often). */
const loaded = new Map<string, { readonly stamp: string; readonly index: LoadedIndex }>();

/** Reads and loads `<outDir>/servers/search-index.json`. */
export async function readSearchIndex(outDir: string): Promise<LoadedIndex> {
  const file = path.join(outDir, "servers", SEARCH_INDEX_PATH);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw broken(file, "is missing");
  if (info.size > MAX_INDEX_BYTES) {
    throw broken(file, `is ${info.size} bytes, more than the ${MAX_INDEX_BYTES} a search reads`);
  }
  const stamp = `${info.size}:${info.mtimeMs}:${info.ino}`;
  const cached = loaded.get(file);
  if (cached?.stamp === stamp) return cached.index;
  const index = parseSearchIndex(await readFile(file, "utf8"), file);
  loaded.set(file, { stamp, index });
  return index;
}
