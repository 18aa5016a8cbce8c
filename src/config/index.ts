/**
 * The config module: `defineConfig` for users' `codegen.config.ts`, `loadConfig` for the CLI,
 * `findConfigFile` for the commands and the runtime, and the pure `resolveConfig` for tests
 * and embedders.
 */
export { defineConfig } from "./define.js";
export { findConfigFile } from "./find.js";
export { loadConfig } from "./load.js";
export type { LoadOptions } from "./load.js";
export { resolveConfig } from "./resolve.js";
export type { ResolveContext } from "./resolve.js";
export { validateConfig } from "./validate.js";
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RUN_CONFIG,
  DEFAULT_RUNTIME_SETTINGS,
} from "./types.js";
export type {
  HttpServerConfig,
  ResolvedConfig,
  ResolvedRunConfig,
  ResolvedRuntimeSettings,
  ResolvedServer,
  ResolvedTransport,
  ServerConfig,
  RunConfig,
  ServerOptions,
  StdioServerConfig,
  UserConfig,
  UserConfigExport,
} from "./types.js";
