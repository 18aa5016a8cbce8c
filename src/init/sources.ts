/**
 * The client configs `init` can take servers from: the project's own (`.mcp.json`,
 * `.cursor/mcp.json`, `.vscode/mcp.json`), Claude Desktop's at its place on this platform, and
 * any client JSON file named with `--from`.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CLIENT_CONFIG_FILES, isFile } from "../config/find.js";
import { parseJsonConfig } from "../config/json.js";
import { ConfigError } from "../errors.js";
import { isRecord } from "../plain-json.js";

/** What `--from claude-desktop` names. */
export const CLAUDE_DESKTOP = "claude-desktop";

export interface ClientSource {
  /** Absolute path of the file. */
  readonly file: string;
  /** How messages name it: its path from the project, or "Claude Desktop's config (…)". */
  readonly label: string;
  /**
   * True when the file is inside the project: the config can import it, and it is the same
   * file on every machine that has the project. Files outside are copied instead.
   */
  readonly inProject: boolean;
  /** Its servers by name, as the file has them (client-only fields dropped). */
  readonly servers: Readonly<Record<string, unknown>>;
}

/**
 * Where Claude Desktop keeps its config: `~/Library/Application Support/Claude` on macOS,
 * `%APPDATA%\Claude` on Windows, `$XDG_CONFIG_HOME/Claude` (`~/.config/Claude`) elsewhere.
 */
export function claudeDesktopConfigPath(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string {
  const file = "claude_desktop_config.json";
  if (platform === "darwin") return path.join(home, "Library/Application Support/Claude", file);
  if (platform === "win32") {
    return path.win32.join(env.APPDATA ?? path.win32.join(home, "AppData/Roaming"), "Claude", file);
  }
  return path.join(env.XDG_CONFIG_HOME || path.join(home, ".config"), "Claude", file);
}

/** The project's client configs in `dir`, in the search order, that exist. */
export function projectClientFiles(dir: string): string[] {
  return CLIENT_CONFIG_FILES.map((name) => path.join(dir, ...name.split("/"))).filter(isFile);
}

/** Reads one client config; a file that is not one fails with a ConfigError naming it. */
export function readClientSource(file: string, projectDir: string, label: string): ClientSource {
  if (!isFile(file)) throw new ConfigError(`No such client config: ${file}`);
  const { config } = parseJsonConfig(readFileSync(file, "utf8").replace(/^\uFEFF/, ""), file);
  const { servers } = config;
  if (!isRecord(servers)) {
    throw new ConfigError("Its servers are not an object of servers by name", [], file);
  }
  const relative = path.relative(projectDir, file);
  const inProject = !relative.startsWith("..") && !path.isAbsolute(relative);
  return {
    file,
    label,
    inProject,
    servers,
  };
}
