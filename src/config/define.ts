import type { UserConfig } from "./types.js";

/**
 * Types a `codegen.config.ts`: `export default defineConfig({ servers: { … } })`, or
 * `defineConfig(async () => ({ servers: … }))` when the config has to compute something first.
 * It returns its argument unchanged; the point is the editor's completion and checking.
 */
export function defineConfig(config: UserConfig): UserConfig;
export function defineConfig(
  config: () => UserConfig | Promise<UserConfig>,
): () => UserConfig | Promise<UserConfig>;
export function defineConfig<T>(config: T): T {
  return config;
}
