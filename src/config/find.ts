/**
 * Finding the config file, the same way for every command and for the runtime: in the working
 * folder, then in each parent folder, the first of CONFIG_SEARCH_ORDER that exists.
 */
import { statSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";

/** Our own config file names, in order of preference. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  "codegen.config",
  "mcp-codegen.config",
].flatMap((base) => [".ts", ".mts", ".js", ".mjs"].map((ext) => base + ext));

/**
 * The project configs of MCP clients, looked for after ours: Claude Code's, Cursor's and VS
 * Code's. Claude Desktop keeps one config for the whole machine, outside any project, so it is
 * never found by searching: name it with `--config`, or copy its servers with `init`.
 */
export const CLIENT_CONFIG_FILES: readonly string[] = [
  ".mcp.json",
  ".cursor/mcp.json",
  ".vscode/mcp.json",
];

/** Every name looked for in a folder, in order: the first that exists is the config. */
export const CONFIG_SEARCH_ORDER: readonly string[] = [
  ...CONFIG_FILE_NAMES,
  ...CLIENT_CONFIG_FILES,
];

/**
 * The config file in `dir`, if any. The client files of the home folder are skipped: there
 * they are an application's settings for every project (`~/.cursor/mcp.json` is Cursor's
 * global config), and taking them would generate stubs for any folder below home.
 */
function configFileIn(dir: string, home: string = homedir()): string | undefined {
  const names = path.resolve(dir) === path.resolve(home) ? CONFIG_FILE_NAMES : CONFIG_SEARCH_ORDER;
  return names.map((name) => path.join(dir, ...name.split("/"))).find(isFile);
}

/**
 * Finds the config for code running anywhere inside a project: looks in `startDir`, then in
 * each parent folder up to the file system's root; the nearest folder with one wins. Returns
 * its absolute path, if any.
 */
export function findConfigFile(startDir: string, home?: string): string | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const found = configFileIn(dir, home);
    if (found !== undefined || path.dirname(dir) === dir) return found;
  }
}

/** What to do about no config, for a command; the runtime says its own. */
const WRITE_ONE = "Run `npx mcp-codegen init` to write one, or pass --config <file>";

/** The message for no config found from `startDir` upward, what was looked for, and a remedy. */
export function noConfigFound(startDir: string, remedy: string = WRITE_ONE): string {
  return (
    `No mcp-codegen config found from ${startDir} upward ` +
    `(looked in each folder for ${CONFIG_FILE_NAMES.join(", ")}, then ${CLIENT_CONFIG_FILES.join(", ")}). ` +
    remedy
  );
}

/**
 * What `mcp-codegen run` needs, run from `outDir`, to use the config `file`: nothing when the
 * search from `outDir` finds that file, else `--config` with its path from there.
 */
export function configFlagFrom(outDir: string, file: string | undefined): string | undefined {
  if (file === undefined || findConfigFile(outDir) === file) return undefined;
  const relative = path.relative(outDir, file).split(path.sep).join("/");
  return `--config ${/^[\w./@+-]+$/.test(relative) ? relative : JSON.stringify(relative)}`;
}

export function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}
