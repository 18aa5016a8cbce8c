/**
 * Where the runtime finds connection details: the same config the generator read, so that
 * generated files carry no secrets. `MCP_CODEGEN_CONFIG` names any config `generate` accepts;
 * otherwise `codegen.config.ts` / `mcp-codegen.config.ts` is searched from the working folder up.
 */
import * as path from "node:path";
import { findConfigFile, loadConfig } from "../config/index.js";
import type { ResolvedConfig, ResolvedServer } from "../config/types.js";
import { RuntimeError } from "./errors.js";

let current: Promise<ResolvedConfig> | undefined;

/** Uses this config for every later call instead of looking for a file (for hosts and tests). */
export function setRuntimeConfig(config: ResolvedConfig): void {
  current = Promise.resolve(config);
}

export function runtimeConfig(): Promise<ResolvedConfig> {
  current ??= loadRuntimeConfig();
  return current;
}

async function loadRuntimeConfig(): Promise<ResolvedConfig> {
  const cwd = process.cwd();
  const named = process.env.MCP_CODEGEN_CONFIG;
  const file = named ? path.resolve(cwd, named) : findConfigFile(cwd);
  if (!file) {
    throw new RuntimeError(
      `no mcp-codegen config found from ${cwd} upward (codegen.config.ts or mcp-codegen.config.ts). ` +
        "Run from inside the project, or set MCP_CODEGEN_CONFIG to the config file.",
    );
  }
  return loadConfig({ configFile: file, cwd: path.dirname(file), env: process.env });
}

export async function serverConfig(name: string): Promise<ResolvedServer> {
  const config = await runtimeConfig();
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
  return server;
}
