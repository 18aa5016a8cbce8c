import { readFileSync } from "node:fs";
import * as path from "node:path";
import { storedTokenValues } from "../auth/store.js";
import { ConfigError } from "../errors.js";
import { importConfigModule } from "./import-module.js";
import { problemsMessage } from "./issues.js";
import { parseJsonConfig } from "./json.js";
import { completeConfig } from "./complete.js";
import { findConfigFile, isFile, noConfigFound } from "./find.js";
import { validationIssues } from "./known-valid.js";
import type { ResolvedConfig, UserConfig } from "./types.js";

const MODULE_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]);

export interface LoadOptions {
  /** `--config`: a TS/JS config or a client's JSON config, relative to `cwd`. */
  readonly configFile?: string;
  /** Absolute folder the command runs in. */
  readonly cwd: string;
  /** The environment `${VAR}` reads (the CLI passes `process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--out`: overrides the config's `outDir`, relative to `cwd`. */
  readonly outDir?: string;
  /** `--server` (repeatable): keep only these servers. */
  readonly servers?: readonly string[];
}

/** Claude Desktop's config: the app's own file, in the app's folder rather than a project's. */
const CLAUDE_DESKTOP_FILE = "claude_desktop_config.json";

/**
 * Loads, validates and resolves the config: `configFile` if given, else the one found from
 * `cwd` upward (see CONFIG_SEARCH_ORDER). CLI options (`outDir`, `servers`) override the file.
 * Throws ConfigError with every problem found.
 */
export async function loadConfig(options: LoadOptions): Promise<ResolvedConfig> {
  const file =
    options.configFile !== undefined
      ? path.resolve(options.cwd, options.configFile)
      : findConfigFile(options.cwd);
  if (file === undefined) {
    throw new ConfigError(noConfigFound(options.cwd));
  }
  if (!isFile(file)) throw new ConfigError(`Config file not found: ${file}`);

  const extension = path.extname(file).toLowerCase();
  if (extension === ".json") {
    const json = parseJsonConfig(readFileSync(file, "utf8").replace(/^\uFEFF/, ""), file);
    const raw = selectServers(json.config as unknown as UserConfig, options.servers, file);
    const ctx = {
      file,
      root: json.root,
      // Written to the project's folder wherever the command runs, so that generate, run and
      // the runtime agree; Claude Desktop's config is in no project: the working folder then.
      cwd: path.basename(file) === CLAUDE_DESKTOP_FILE ? options.cwd : json.root,
      env: options.env,
      jsonConfig: true,
      vars: { workspaceFolder: json.root },
      readFile: readText,
      serversKey: json.serversKey,
      storedTokens: (url: string) => storedTokenValues(url, options.env),
    };
    const issues = await validationIssues(raw);
    return withOutDir(
      renameServersPath(() => completeConfig(raw, ctx, issues), json.serversKey),
      options,
    );
  }
  if (!MODULE_EXTENSIONS.has(extension)) {
    throw new ConfigError(
      `Unsupported config file type "${extension}": use .ts, .mts, .js, .mjs or .json`,
      [],
      file,
    );
  }
  const raw = selectServers((await importConfigModule(file)) as UserConfig, options.servers, file);
  const issues = await validationIssues(raw);
  const root = path.dirname(file);
  const ctx = {
    file,
    root,
    cwd: options.cwd,
    env: options.env,
    readFile: readText,
    storedTokens: (url: string) => storedTokenValues(url, options.env),
    // `${workspaceFolder}` means the project, as in a VS Code config imported with fromClientConfig.
    vars: { workspaceFolder: root },
  };
  return withOutDir(completeConfig(raw, ctx, issues), options);
}

/** How envFiles are read. */
function readText(file: string): string {
  return readFileSync(file, "utf8");
}

/**
 * `--server`: keeps only the named servers, before validation, so that a broken or
 * unconfigured server the user did not ask for (a missing token, say) does not stop the run.
 */
function selectServers(
  raw: UserConfig,
  names: readonly string[] | undefined,
  file: string,
): UserConfig {
  const servers: unknown = (raw as Partial<UserConfig> | undefined)?.servers;
  if (names === undefined || names.length === 0 || typeof servers !== "object" || servers === null)
    return raw;
  const known = Object.keys(servers);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `"${name}"`).join(", ");
    throw new ConfigError(
      `Unknown server ${list} in --server; the config has: ${known.join(", ")}`,
      [],
      file,
    );
  }
  const kept = Object.entries(servers).filter(([name]) => names.includes(name));
  return { ...raw, servers: Object.fromEntries(kept) as UserConfig["servers"] };
}

/** `--out` wins over the file's `outDir`, and is relative to where the command runs. */
function withOutDir(config: ResolvedConfig, options: LoadOptions): ResolvedConfig {
  return options.outDir === undefined
    ? config
    : { ...config, outDir: path.resolve(options.cwd, options.outDir) };
}

/** Issues say `servers.x…`; a client file that wrote `mcpServers` should see its own path. */
function renameServersPath<T>(run: () => T, key: string): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ConfigError) || error.issues.length === 0 || key === "servers")
      throw error;
    const issues = error.issues.map((issue) => ({
      ...issue,
      path: issue.path.replace(/^servers(?=$|[.[])/, key),
    }));
    throw new ConfigError(problemsMessage(issues), issues, error.file);
  }
}
