/**
 * Where the runtime finds connection details: the same config the generator read, so that
 * generated files carry no secrets. `MCP_CODEGEN_CONFIG` names any config `generate` accepts;
 * otherwise the config is searched from the working folder up, as every command searches it.
 */
import * as path from "node:path";
import { findConfigFile, noConfigFound } from "../config/find.js";
import { loadConfig } from "../config/load.js";
import type { ResolvedConfig, ResolvedServer } from "../config/types.js";
import { ServerConfigError } from "../errors.js";
import { RuntimeError } from "./errors.js";

let current: Promise<ResolvedConfig> | undefined;
/** The config once loaded, with its enabled servers by name: what every call after the first reads. */
let loaded: Map<string, ServerEntry> | undefined;

/** A server with the config it came from (whose `runtime` settings apply to calls to it). */
export interface ServerEntry {
  readonly config: ResolvedConfig;
  readonly server: ResolvedServer;
}

/** Uses this config for every later call instead of looking for a file (for hosts and tests). */
export function setRuntimeConfig(config: ResolvedConfig): void {
  current = Promise.resolve(config);
  remember(config);
}

/** The folder holding `servers/` of the config in use (what `searchTools` reads). */
export async function runtimeOutDir(): Promise<string> {
  return (await runtimeConfig()).outDir;
}

/** The config every call uses: set by a host, else loaded from the file (once). */
export function runtimeConfig(): Promise<ResolvedConfig> {
  if (!current) {
    const loading: Promise<ResolvedConfig> = loadRuntimeConfig().then((config) => {
      // A config set meanwhile with setRuntimeConfig wins over the file.
      if (current === loading) remember(config);
      return config;
    });
    current = loading;
  }
  return current;
}

function remember(config: ResolvedConfig): void {
  loaded = new Map(
    config.servers
      .filter((s) => !s.disabled && !s.unusable)
      .map((server) => [server.name, { config, server }]),
  );
}

/**
 * The server's entry without waiting, once the config is loaded and the server is in it,
 * enabled and usable; otherwise undefined, and `serverEntry` says why. The fast path of every
 * call.
 */
export function loadedServer(name: string): ServerEntry | undefined {
  return loaded?.get(name);
}

/** Loads the config if needed and finds the server; a RuntimeError says what is wrong. */
export async function serverEntry(name: string): Promise<ServerEntry> {
  const config = await runtimeConfig();
  return { config, server: findServer(config, name) };
}

async function loadRuntimeConfig(): Promise<ResolvedConfig> {
  const cwd = process.cwd();
  const named = process.env.MCP_CODEGEN_CONFIG;
  const file = named ? path.resolve(cwd, named) : findConfigFile(cwd);
  if (!file) {
    throw new RuntimeError(
      noConfigFound(
        cwd,
        "Run from inside the project, or set MCP_CODEGEN_CONFIG to the config file",
      ),
    );
  }
  return loadConfig({ configFile: file, cwd: path.dirname(file), env: process.env });
}

function findServer(config: ResolvedConfig, name: string): ResolvedServer {
  const server = config.servers.find((s) => s.name === name);
  if (!server) {
    const known = config.servers.map((s) => s.name).join(", ") || "none";
    throw new RuntimeError(
      `server "${name}" is not in ${config.file ?? "the config"} (it has: ${known}). ` +
        "Regenerate the stubs or add the server to the config.",
    );
  }
  if (server.disabled)
    throw new RuntimeError(`server "${name}" is disabled in ${config.file ?? "the config"}.`);
  // Checked here, not only when connecting: no backoff applies to what only the config can fix.
  if (server.unusable) throw new ServerConfigError(name, server.unusable);
  return server;
}
