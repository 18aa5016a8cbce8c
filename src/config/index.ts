/**
 * The config module: `loadConfig` for the CLI and the pure `resolveConfig` for tests and
 * embedders. Users reach `defineConfig` and the config types through the package root.
 */
export { loadConfig } from "./load.js";
export { resolveConfig } from "./resolve.js";
