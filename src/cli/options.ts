/**
 * The config a command runs with: the flags that override the file (`--config`, `--out`,
 * `--server`) go to `loadConfig`, which merges them over what the file says.
 */
import * as path from "node:path";
import { findConfigFile } from "../config/find.js";
import type { Snapshot } from "../introspect/snapshot.js";
// load.js, not the config's index: that one also loads the validator (zod), which a config
// already known to be valid does not need (see known-valid.ts).
import { loadConfig } from "../config/load.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RUN_CONFIG,
  DEFAULT_SERVE_CONFIG,
  DEFAULT_RUNTIME_SETTINGS,
  type ResolvedConfig,
} from "../config/types.js";

export interface CommonFlags {
  readonly config?: string;
  readonly out?: string;
  readonly server?: string[];
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

/**
 * The resolved config for a command. With a snapshot and no config file anywhere, a bare config
 * (every server of the snapshot, output to `--out` or the current folder) is enough.
 */
export async function configFor(
  flags: CommonFlags,
  cwd: string,
  env: Record<string, string | undefined>,
  snapshotMode = false,
): Promise<ResolvedConfig> {
  const hasConfig = flags.config !== undefined || findConfigFile(cwd) !== undefined;
  if (snapshotMode && !hasConfig) {
    return {
      file: undefined,
      root: cwd,
      outDir: path.resolve(cwd, flags.out ?? "."),
      concurrency: DEFAULT_CONCURRENCY,
      servers: [],
      runtime: DEFAULT_RUNTIME_SETTINGS,
      run: DEFAULT_RUN_CONFIG,
      serve: DEFAULT_SERVE_CONFIG,
    };
  }
  return loadConfig({
    cwd,
    env,
    ...(flags.config !== undefined ? { configFile: flags.config } : {}),
    ...(flags.out !== undefined ? { outDir: flags.out } : {}),
    ...(flags.server?.length ? { servers: flags.server } : {}),
  });
}

/** `--from-snapshot <file>`: the snapshot it names (relative to `cwd`), or undefined without it. */
export async function snapshotFor(
  flags: { readonly fromSnapshot?: string },
  cwd: string,
): Promise<Snapshot | undefined> {
  if (flags.fromSnapshot === undefined) return undefined;
  const { readSnapshotFile } = await import("../introspect/snapshot-file.js");
  return readSnapshotFile(path.resolve(cwd, flags.fromSnapshot));
}
