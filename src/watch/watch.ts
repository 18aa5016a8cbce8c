/**
 * `generate --watch`: generate, then keep every server's connection open and generate again when
 * a server says its tools (resources, prompts) changed, or when the config file or a file it
 * imports changes; after each run, tell a running daemon to read the new tree. Changes close
 * together are one run (`debounce.ts`). Runs until SIGINT or SIGTERM.
 */
import { unwatchFile, watchFile } from "node:fs";
import type { ResolvedConfig } from "../config/types.js";
import { configModuleInputs } from "../config/import-module.js";
import { daemonSocketPath, ask } from "../runner/daemon-socket.js";
import { daemonTokenPath, readToken } from "../runner/daemon-token.js";
import { Regenerations } from "./debounce.js";
import { watchServers, type ServerWatch } from "./server-watch.js";

/** Changes this close together are one regeneration. */
const DEBOUNCE_MS = 300;
/** How often a watched file's modification time is looked at. */
const FILE_POLL_MS = 250;

export interface WatchOptions {
  /** Loads the config again (it changed); throws ConfigError when it is broken. */
  readonly loadConfig: () => Promise<ResolvedConfig>;
  /** One generation, reported as `generate` reports it; `only`: just these servers. */
  readonly generate: (config: ResolvedConfig, only?: readonly string[]) => Promise<number>;
  readonly log: (line: string) => void;
  /** Ends the watch (the CLI aborts it on SIGINT and SIGTERM). */
  readonly signal: AbortSignal;
}

export async function watchAndGenerate(
  first: ResolvedConfig,
  options: WatchOptions,
): Promise<number> {
  let config = first;
  let servers: ServerWatch | undefined;
  let unwatch = () => {};
  const regenerations = new Regenerations(DEBOUNCE_MS, async (batch) => {
    const reloaded = batch.config ? await reload() : config;
    if (reloaded === undefined) return;
    await options.generate(reloaded, batch.config ? undefined : batch.servers);
    await tellDaemon(reloaded, options.log);
  });
  const watchConfig = (): void => {
    servers = watchServers(
      config.servers,
      (name) => regenerations.add({ kind: "server", name }),
      options.log,
    );
    unwatch = watchFiles(configFiles(config), () => regenerations.add({ kind: "config" }));
  };
  // A broken edit keeps the last good config (and its watchers) until the next edit.
  const reload = async (): Promise<ResolvedConfig | undefined> => {
    try {
      const next = await options.loadConfig();
      unwatch();
      await servers?.close();
      config = next;
      watchConfig();
      await servers?.ready;
      return next;
    } catch (error) {
      options.log(
        `the config does not load, so nothing was generated: ${(error as Error).message}`,
      );
      return undefined;
    }
  };
  // Listening first, then generating: a change after the first listing is then always told.
  watchConfig();
  await servers?.ready;
  await options.generate(config);
  await tellDaemon(config, options.log);
  options.log(describeWatch(config));
  await aborted(options.signal);
  await regenerations.stop();
  unwatch();
  await servers?.close();
  return 0;
}

function describeWatch(config: ResolvedConfig): string {
  const names = config.servers.filter((s) => !s.disabled).map((s) => s.name);
  return `watching ${names.join(", ") || "no server"} and ${config.file ?? "no config file"}; Ctrl-C stops`;
}

/** The config file and every project file it imports (what its last load was bundled from). */
function configFiles(config: ResolvedConfig): string[] {
  if (config.file === undefined) return [];
  return [...new Set([config.file, ...configModuleInputs(config.file)])];
}

/**
 * Calls `onChange` when one of `files` is written, replaced or removed. Polled: an editor that
 * saves by renaming a new file over the old one leaves an `fs.watch` on the old file silent.
 */
function watchFiles(files: readonly string[], onChange: () => void): () => void {
  const listener = (
    now: { mtimeMs: number; ino: number },
    before: { mtimeMs: number; ino: number },
  ) => {
    if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) onChange();
  };
  for (const file of files) watchFile(file, { interval: FILE_POLL_MS, persistent: true }, listener);
  return () => {
    for (const file of files) unwatchFile(file, listener);
  };
}

/** Tells the daemon serving this config, if one runs, that the tree changed. */
async function tellDaemon(config: ResolvedConfig, log: (line: string) => void): Promise<void> {
  if (config.file === undefined) return;
  const socketPath = daemonSocketPath(config.file);
  const tokenPath = daemonTokenPath(config.file);
  const token = tokenPath === undefined ? undefined : readToken(tokenPath);
  if (socketPath === undefined || token === undefined) return;
  const reply = (await ask(socketPath, { type: "reload", token }).catch(() => null)) as {
    type?: string;
  } | null;
  if (reply?.type === "reloaded") log("told the daemon to use the new tree");
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}
