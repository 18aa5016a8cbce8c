/**
 * mcp-codegen's library API. The CLI is a thin layer over these; generated files import only
 * `mcp-codegen/runtime`.
 *
 * Every `codegen.config.ts` imports `defineConfig` from here, so this module stays light: the
 * pipeline's functions load their modules (the SDK, the compiler, prettier) on first call.
 */
import type { CheckResult } from "./check.js";
import type { LoadOptions } from "./config/load.js";
import type { ResolvedConfig, ResolvedServer } from "./config/types.js";
import type { GenerateOptions, GenerateResult } from "./generate.js";
import type { IntrospectOptions, IntrospectResult } from "./introspect/introspect.js";
import type { Snapshot } from "./introspect/snapshot.js";

export { defineConfig } from "./config/define.js";
export { fromClientConfig } from "./config/client-config.js";
export type { ClientConfigJson, ClientServerJson } from "./config/client-config.js";
export type {
  UserConfig,
  ServerConfig,
  StdioServerConfig,
  HttpServerConfig,
  ServerOptions,
  ApproveConfig,
  PrivacyConfig,
  PrivacyOptions,
  PrivacyKind,
  ResolvedConfig,
  ResolvedServer,
} from "./config/types.js";
export type { GenerateOptions, GenerateResult } from "./generate.js";
export type { CheckResult, ServerDrift } from "./check.js";
export type { Snapshot, ServerSnapshot, ToolDefinition } from "./introspect/snapshot.js";
export type { Warning, Reporter } from "./log.js";
export * from "./errors.js";

/** Runs the whole pipeline (introspect, model, emit, write); see `GenerateOptions`. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  return (await import("./generate.js")).generate(options);
}

/** Compares the live servers with the committed tree without writing; see `CheckResult`. */
export async function check(options: Omit<GenerateOptions, "dryRun">): Promise<CheckResult> {
  return (await import("./check.js")).check(options);
}

/** Loads, validates and resolves a config file (`codegen.config.ts` or a client's JSON). */
export async function loadConfig(options: LoadOptions): Promise<ResolvedConfig> {
  return (await import("./config/load.js")).loadConfig(options);
}

/** Lists the tools of every enabled server; failures are returned, not thrown. */
export async function introspect(
  servers: readonly ResolvedServer[],
  options: IntrospectOptions,
): Promise<IntrospectResult> {
  return (await import("./introspect/introspect.js")).introspect(servers, options);
}

/** Reads a snapshot saved with `mcp-codegen inspect > file.json`. */
export async function readSnapshotFile(file: string): Promise<Snapshot> {
  return (await import("./introspect/snapshot-file.js")).readSnapshotFile(file);
}
