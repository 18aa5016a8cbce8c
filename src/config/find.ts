/** Finding the config file: by name in a folder, or upward from where a command runs. */
import { statSync } from "node:fs";
import * as path from "node:path";

/** Config file names looked for, in order of preference. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  "codegen.config",
  "mcp-codegen.config",
].flatMap((base) => [".ts", ".mts", ".js", ".mjs"].map((ext) => base + ext));
/** The first config file in `dir` by the names of CONFIG_FILE_NAMES, if any. */
export function configFileIn(dir: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).find(isFile);
}

/**
 * Finds the config file for code running anywhere inside a project: looks in `startDir`, then
 * in each parent folder up to the file system's root. Returns its absolute path, if any.
 */
export function findConfigFile(startDir: string): string | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const found = configFileIn(dir);
    if (found !== undefined || path.dirname(dir) === dir) return found;
  }
}

export function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}
