/**
 * Shared by the golden, type-check and idempotence tests: the snapshot fixtures, a generator run
 * from one of them into a temporary folder (as `generate --from-snapshot` does with no config),
 * and reading a generated tree back.
 */
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RUN_CONFIG,
  DEFAULT_SERVE_CONFIG,
  DEFAULT_RUNTIME_SETTINGS,
  type ResolvedConfig,
} from "../../src/config/types.js";
import { generate, type GenerateResult } from "../../src/generate.js";
import type { Snapshot } from "../../src/introspect/snapshot.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const SNAPSHOTS = path.join(REPO, "fixtures/snapshots");
export const GOLDEN = path.join(REPO, "test/golden");

/** Feature names (`enum-and-const`, …) of `fixtures/snapshots/<feature>.json`, sorted. */
export const FEATURES: readonly string[] = readdirSync(SNAPSHOTS)
  .filter((name) => name.endsWith(".json"))
  .map((name) => name.slice(0, -".json".length))
  .sort();

/** A fresh temporary folder, removed after the test file. */
export function tempDir(): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "mcp-codegen-emit-")));
  created.push(dir);
  return dir;
}

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** The bare config the CLI builds in snapshot mode: every server of the snapshot, no file. */
export function bareConfig(outDir: string): ResolvedConfig {
  return {
    file: undefined,
    root: outDir,
    outDir,
    concurrency: DEFAULT_CONCURRENCY,
    servers: [],
    runtime: DEFAULT_RUNTIME_SETTINGS,
    run: DEFAULT_RUN_CONFIG,
    serve: DEFAULT_SERVE_CONFIG,
  };
}

/** Runs the real pipeline from a snapshot into `outDir` (a new temporary folder by default). */
export async function generateFrom(
  snapshot: Snapshot,
  outDir = tempDir(),
): Promise<{ outDir: string; result: GenerateResult }> {
  const result = await generate({ config: bareConfig(outDir), snapshot });
  return { outDir, result };
}

/** Every file under `dir`, by posix path relative to it, sorted by path. */
export function readTree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .map((relative) => relative.split(path.sep).join("/"))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(files.map((file) => [file, readFileSync(path.join(dir, file), "utf8")]));
}
