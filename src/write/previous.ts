/**
 * What the last run left on disk: its manifest, and which of its tool files can be reused as
 * they are (same render key, contents still matching the manifest's hash: nobody edited them).
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import type { KeptServer } from "../emit/emit.js";
import {
  MANIFEST_PATH,
  outlineFromManifest,
  parseManifest,
  type Manifest,
} from "../emit/manifest.js";
import { shortHash } from "../model/hash.js";
import { documentsOfIndex, SEARCH_INDEX_PATH } from "../search/index-file.js";
import { checkRelativePath } from "./paths.js";
import { mapLimit } from "./limit.js";

export async function readPreviousManifest(outDir: string): Promise<Manifest | undefined> {
  const file = path.join(outDir, "servers", MANIFEST_PATH);
  const text = await readFile(file, "utf8").catch(() => undefined);
  return text === undefined ? undefined : parseManifest(text);
}

/** Tool files whose render key is wanted again, by key, read from disk and verified. */
export async function readReusableFiles(
  outDir: string,
  manifest: Manifest | undefined,
  wantedKeys: ReadonlySet<string>,
  /** Filled with every file read and verified, by path (so the planner need not read it again). */
  seen?: Map<string, string>,
): Promise<Map<string, string>> {
  const reusable = new Map<string, string>();
  if (!manifest) return reusable;
  const candidates = Object.values(manifest.servers).flatMap((server) =>
    Object.values(server.tools).filter(
      (tool) => wantedKeys.has(tool.renderKey) && checkRelativePath(tool.file) === undefined,
    ),
  );
  await mapLimit(candidates, async (tool) => {
    const contents = await readVerified(outDir, manifest, tool.file, seen);
    if (contents !== undefined) reusable.set(tool.renderKey, contents);
  });
  return reusable;
}

/** Formatted barrels and summaries of the last run, by the hash of their unformatted source. */
export async function readFormatCache(
  outDir: string,
  manifest: Manifest | undefined,
  seen?: Map<string, string>,
): Promise<Map<string, string>> {
  const cache = new Map<string, string>();
  if (!manifest) return cache;
  const sources = Object.entries(manifest.sources ?? {}).filter(
    ([file, key]) => typeof key === "string" && checkRelativePath(file) === undefined,
  );
  await mapLimit(sources, async ([file, key]) => {
    const contents = await readVerified(outDir, manifest, file, seen);
    if (contents !== undefined) cache.set(key, contents);
  });
  return cache;
}

/**
 * A generated file as the last run wrote it: its contents when they still hash as the manifest
 * says (nobody edited it), recorded in `seen`; undefined when it is missing or was changed.
 */
async function readVerified(
  outDir: string,
  manifest: Manifest,
  file: string,
  seen: Map<string, string> | undefined,
): Promise<string | undefined> {
  const contents = await readFile(path.join(outDir, "servers", file), "utf8").catch(
    () => undefined,
  );
  if (contents === undefined || shortHash(contents) !== manifest.files[file]) return undefined;
  seen?.set(file, contents);
  return contents;
}

/** For `--partial`: the failed servers that the previous run generated keep their files. */
export function keptServers(
  manifest: Manifest | undefined,
  failed: readonly string[],
): KeptServer[] {
  if (!manifest) return [];
  return failed.flatMap((name) => {
    const server = manifest.servers[name];
    if (!server) return [];
    const prefix = `${server.dir}/`;
    const inServer = ([file]: [string, unknown]) => file.startsWith(prefix);
    const files = Object.fromEntries(Object.entries(manifest.files).filter(inServer));
    const sources = Object.fromEntries(Object.entries(manifest.sources ?? {}).filter(inServer));
    return [{ outline: outlineFromManifest(name, server), manifest: server, files, sources }];
  });
}

/** The last run's search index, when it still hashes as the manifest says (nobody edited it). */
export async function readPreviousSearchIndex(
  outDir: string,
  manifest: Manifest | undefined,
  seen?: Map<string, string>,
): Promise<string | undefined> {
  return manifest ? readVerified(outDir, manifest, SEARCH_INDEX_PATH, seen) : undefined;
}

/**
 * The kept servers with their tools' documents from the previous search index (see
 * `readPreviousSearchIndex`), so that the new index still finds them with their parameters.
 * Without it, emit falls back to what the manifest remembers.
 */
export function withSearchDocuments(
  previousIndex: string | undefined,
  kept: readonly KeptServer[],
): KeptServer[] {
  if (previousIndex === undefined || kept.length === 0) return [...kept];
  const documents = documentsOfIndex(previousIndex);
  if (!documents) return [...kept];
  return kept.map((server) => ({
    ...server,
    searchDocuments: documents.filter((d) => d.server === server.outline.name),
  }));
}
