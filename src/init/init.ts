/**
 * `mcp-codegen init`: writes a starting `codegen.config.ts` where there is none (never over
 * one), with the servers of the client configs it finds or is given, and a `tsconfig.json`
 * when the project has none; it checks what it does not write and says what to change.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_FILE_NAMES, findConfigFile, isFile } from "../config/find.js";
import { ConfigError } from "../errors.js";
import { copyServers } from "./copy-servers.js";
import { packageJsonAdvice, tsconfigAdvice } from "./project-checks.js";
import { renderConfig, type ImportedFile } from "./render-config.js";
import { planAgentsEdits, writeAgentsEdits, type AgentsEdit } from "./agents-md.js";
import type { ClientName } from "./client-names.js";
import { planClientEdits, writeClientEdits, type ClientOutcome } from "./clients.js";
import {
  CLAUDE_DESKTOP,
  claudeDesktopConfigPath,
  projectClientFiles,
  readClientSource,
  type ClientSource,
} from "./sources.js";
import { importExternal } from "../import-external.js";

/** `templates/` of the package: two folders up from this file in `src/init/` and `dist/init/`. */
const TEMPLATES = fileURLToPath(new URL("../../templates/", import.meta.url));
const CONFIG_FILE = "codegen.config.ts";

export interface InitOptions {
  /** The project folder: where the config is written. */
  readonly cwd: string;
  /**
   * `--from`: the client configs to take servers from: paths (relative to `cwd`),
   * `claude-desktop`, or `none` for the template's example. Default: the project's own
   * `.mcp.json`, `.cursor/mcp.json` and `.vscode/mcp.json`, those that exist.
   */
  readonly from?: readonly string[];
  /** `--copy`: write the servers into the config instead of importing the project's files. */
  readonly copy?: boolean;
  /** `--client`: the clients whose config gets the `mcp-codegen serve` entry. */
  readonly clients?: readonly ClientName[];
  /** `--force`: replace an `mcp-codegen` entry of a client's config that differs from ours. */
  readonly force?: boolean;
  /** `--agents-md`: write the workflow section into AGENTS.md / CLAUDE.md. */
  readonly agentsMd?: boolean;
  /** Where Claude Desktop's config is looked for. */
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
}

export interface InitResult {
  /** Files written, relative to `cwd`. */
  readonly written: readonly string[];
  /** The sources the servers came from, in order, and how. */
  readonly used: ReadonlyArray<{ label: string; how: "imported" | "copied"; servers: string[] }>;
  /** Client configs found but not used, and the flag that would take them. */
  readonly unused: ReadonlyArray<{ label: string; servers: string[]; take: string }>;
  /** A server in two sources, and the one whose definition is kept (the later). */
  readonly overridden: ReadonlyArray<{ server: string; kept: string }>;
  /** Environment variables the copied servers read instead of the values of the original. */
  readonly variables: ReadonlyArray<{ name: string; from: string }>;
  /** What to change in files init does not write (tsconfig.json, package.json). */
  readonly advice: readonly string[];
  /** The config the folder used until now, found above it, which the new one now shadows. */
  readonly shadowed?: string;
  /** The config that was there already and was kept (with `--client` or `--agents-md`). */
  readonly kept?: string;
  /** What was done in each client's config. */
  readonly clients: readonly ClientOutcome[];
  /** What was done in the agent files. */
  readonly agents: ReadonlyArray<Omit<AgentsEdit, "text">>;
}

/**
 * Writes the config (unless one is there and `--client` or `--agents-md` asked for the rest
 * only), then the client entries and the agents section. Every file is read and checked first:
 * one that cannot be edited fails the run before anything is written.
 */
export async function init(options: InitOptions): Promise<InitResult> {
  const { cwd } = options;
  const existing = CONFIG_FILE_NAMES.map((name) => path.join(cwd, name)).find(isFile);
  const more = (options.clients?.length ?? 0) > 0 || options.agentsMd === true;
  if (existing !== undefined && !more) {
    throw new ConfigError(
      `${existing} exists already: init never overwrites a config. Edit it, or delete it and run init again (--client and --agents-md work beside an existing config)`,
    );
  }
  if (existing !== undefined && ((options.from?.length ?? 0) > 0 || options.copy === true)) {
    throw new ConfigError(
      `${existing} exists already: --from and --copy choose the servers of a new config, and init never overwrites one. Run init with --client or --agents-md alone`,
    );
  }
  const claudeDesktop = claudeDesktopConfigPath(options.platform, options.env, options.home);
  const clientEdits = await planClientEdits(options.clients ?? [], {
    cwd,
    force: options.force ?? false,
    claudeDesktopFile: claudeDesktop,
    configFile: existing ?? path.join(cwd, CONFIG_FILE),
  });
  const agentsEdits = await planAgentsEdits(cwd, options.agentsMd ?? false);
  const config =
    existing === undefined ? await writeConfig(options, claudeDesktop) : keptConfig(existing);
  const clients = await writeClientEdits(clientEdits);
  await writeAgentsEdits(cwd, agentsEdits);
  return {
    ...config,
    clients,
    agents: agentsEdits.map(({ file, outcome }) => ({ file, outcome })),
  };
}

/** What init reports of a config it kept. */
function keptConfig(file: string): Omit<InitResult, "clients" | "agents"> {
  return {
    written: [],
    used: [],
    unused: [],
    overridden: [],
    variables: [],
    advice: [],
    kept: file,
  };
}

/** Writes `codegen.config.ts` (and a tsconfig.json when there is none) and reports on them. */
async function writeConfig(
  options: InitOptions,
  claudeDesktop: string,
): Promise<Omit<InitResult, "clients" | "agents">> {
  const { cwd } = options;
  const before = findConfigFile(cwd);
  const chosen = chooseSources(options, claudeDesktop);
  const read = chosen.map((file) => readClientSource(file, cwd, labelOf(file, claudeDesktop, cwd)));
  const imports = (source: ClientSource) => source.inProject && !options.copy;
  const servers = configServers(read, imports, cwd);

  const template = readFileSync(path.join(TEMPLATES, CONFIG_FILE), "utf8");
  const written = [writeNew(cwd, CONFIG_FILE, await renderConfig(template, servers))];
  const tsconfig = await setUpTsconfig(cwd);
  if (tsconfig.written) written.push("tsconfig.json");
  return {
    written,
    used: servers.used,
    unused: unusedSources(cwd, chosen, claudeDesktop),
    overridden: servers.overridden,
    variables: servers.variables,
    advice: [...tsconfig.advice, ...packageJsonAdvice(cwd)],
    ...(before !== undefined && !chosen.includes(before) ? { shadowed: before } : {}),
  };
}

/**
 * What the config will hold, in its order: the imported files' spreads, then the copies (so a
 * server in two sources is the later one's), with what init reports about them.
 */
function configServers(
  read: readonly ClientSource[],
  imports: (source: ClientSource) => boolean,
  cwd: string,
) {
  const sources = [...read.filter(imports), ...read.filter((source) => !imports(source))];
  const imported: ImportedFile[] = [];
  let copied: Record<string, unknown> = {};
  const variables: { name: string; from: string }[] = [];
  const used: { label: string; how: "imported" | "copied"; servers: string[] }[] = [];
  const definedIn = new Set<string>();
  const overridden: { server: string; kept: string }[] = [];
  for (const source of sources) {
    const names = Object.keys(source.servers);
    for (const name of names) {
      if (definedIn.has(name)) overridden.push({ server: name, kept: source.label });
      definedIn.add(name);
    }
    if (imports(source)) {
      imported.push(importOf(source, cwd, imported));
      used.push({ label: source.label, how: "imported", servers: names });
    } else {
      const copy = copyServers(source.servers);
      copied = { ...copied, ...copy.servers };
      variables.push(...copy.variables);
      used.push({ label: source.label, how: "copied", servers: names });
    }
  }
  return { imported, copied, variables, used, overridden };
}

/**
 * The template's tsconfig.json when the project has none (the compiler looks upward, so a
 * parent's counts), else what the one it has lacks for programs and the stubs.
 */
async function setUpTsconfig(cwd: string): Promise<{ written: boolean; advice: string[] }> {
  const typescript = (await importExternal<{ default: typeof import("typescript") }>("typescript"))
    .default;
  const existing = typescript.findConfigFile(cwd, typescript.sys.fileExists);
  if (existing !== undefined) {
    return {
      written: false,
      advice: tsconfigAdvice(typescript, existing, path.relative(cwd, existing)),
    };
  }
  writeNew(cwd, "tsconfig.json", readFileSync(path.join(TEMPLATES, "tsconfig.json"), "utf8"));
  return { written: true, advice: [] };
}

function chooseSources(options: InitOptions, claudeDesktop: string): string[] {
  if (options.from === undefined || options.from.length === 0) {
    return projectClientFiles(options.cwd);
  }
  if (options.from.includes("none")) {
    if (options.from.length > 1) {
      throw new ConfigError("--from none takes no other --from: it writes the template's example");
    }
    return [];
  }
  return [
    ...new Set(
      options.from.map((from) =>
        from === CLAUDE_DESKTOP ? claudeDesktop : path.resolve(options.cwd, from),
      ),
    ),
  ];
}

/** Client configs there are and were not chosen: offered in what init prints. */
function unusedSources(cwd: string, chosen: readonly string[], claudeDesktop: string) {
  const found = [...projectClientFiles(cwd), ...(isFile(claudeDesktop) ? [claudeDesktop] : [])];
  return found
    .filter((file) => !chosen.includes(file))
    .flatMap((file) => {
      const label = labelOf(file, claudeDesktop, cwd);
      const take = `--from ${file === claudeDesktop ? CLAUDE_DESKTOP : label}`;
      try {
        return [{ label, take, servers: Object.keys(readClientSource(file, cwd, label).servers) }];
      } catch {
        return []; // only offered: one that does not read as a client config is not offered
      }
    });
}

/** How messages name a source: Claude Desktop's by name, the others by path. */
function labelOf(file: string, claudeDesktop: string, cwd: string): string {
  if (file === claudeDesktop) return `Claude Desktop's config (${file})`;
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative)
    ? file
    : relative.split(path.sep).join("/");
}

/** The JSON import of a project file: `./.vscode/mcp.json` bound to `vscodeMcpJson`. */
function importOf(source: ClientSource, cwd: string, taken: readonly ImportedFile[]): ImportedFile {
  const relative = path.relative(cwd, source.file).split(path.sep).join("/");
  const words = relative.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const base =
    words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join("") ||
    "clientConfig";
  let binding = /^[0-9]/.test(base) ? `config${base}` : base;
  for (let n = 2; taken.some((file) => file.binding === binding); n++) binding = `${base}${n}`;
  return { binding, specifier: `./${relative}` };
}

/** Writes a file that must not exist yet; one that appeared meanwhile is left as it is. */
function writeNew(dir: string, name: string, text: string): string {
  try {
    writeFileSync(path.join(dir, name), text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new ConfigError(`${name} appeared while init ran; it was left as it is`, [], dir);
    }
    throw error;
  }
  return name;
}
