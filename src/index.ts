/**
 * mcp-codegen's library API. The CLI is a thin layer over these; generated files import only
 * `mcp-codegen/runtime`.
 */
export { defineConfig } from "./config/define.js";
export { loadConfig, findConfigFile, resolveConfig } from "./config/index.js";
export type {
  UserConfig,
  ServerConfig,
  StdioServerConfig,
  HttpServerConfig,
  ServerOptions,
  ResolvedConfig,
  ResolvedServer,
} from "./config/types.js";
export { generate, type GenerateOptions, type GenerateResult } from "./generate.js";
export { check, type CheckResult, type ServerDrift } from "./check.js";
export { introspect } from "./introspect/introspect.js";
export { readSnapshotFile } from "./introspect/snapshot-file.js";
export type { Snapshot, ServerSnapshot, ToolDefinition } from "./introspect/snapshot.js";
export type { Warning, Reporter } from "./log.js";
export * from "./errors.js";
