/**
 * `init --client <name>`: the entry that runs `npx mcp-codegen serve` in a client's config, so
 * that the client gets code mode over the project's servers. Project files are edited in place
 * (one entry added, the rest of the file kept); Claude Desktop's config, which is the whole
 * machine's and outside the project, is only read: init prints the entry and where it goes.
 */
import { mkdir, readFile } from "node:fs/promises";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parseJsonWithComments } from "../config/json.js";
import { ConfigError } from "../errors.js";
import { isRecord } from "../plain-json.js";
import { replaceFile } from "../write/atomic.js";
import type { ClientName } from "./client-names.js";
import { addServerEntry, type EntryResult } from "./json-entry.js";

/** The name of our entry in every client's config. */
export const ENTRY_NAME = "mcp-codegen";

/** `npx mcp-codegen serve`, run in the project folder: it finds the config from there. */
const SERVE = { command: "npx", args: ["mcp-codegen", "serve"] };

/** The project files of the clients that keep one, and the entry each writes. */
const PROJECT_FILES = {
  "claude-code": { file: ".mcp.json", key: "mcpServers", entry: SERVE },
  cursor: { file: ".cursor/mcp.json", key: "mcpServers", entry: SERVE },
  vscode: { file: ".vscode/mcp.json", key: "servers", entry: { type: "stdio", ...SERVE } },
} as const;

export interface ClientOutcome {
  readonly client: ClientName;
  /** Relative to the project for its files; absolute for Claude Desktop's. */
  readonly file: string;
  /** `printed`: Claude Desktop's, not edited; `entry` is what to add there. */
  readonly outcome: EntryResult["outcome"] | "printed";
  readonly entry?: Readonly<Record<string, unknown>>;
}

export interface ClientOptions {
  readonly cwd: string;
  readonly force: boolean;
  /** Where Claude Desktop's config is on this machine. */
  readonly claudeDesktopFile: string;
  /** The project's mcp-codegen config (absolute): Claude Desktop starts servers elsewhere. */
  readonly configFile: string;
}

/** A file's new text, computed before anything is written. */
interface PlannedEdit {
  readonly outcome: ClientOutcome;
  readonly target: string;
  readonly text: string;
}

/**
 * The edits for `clients`, every file read and checked first: a file that does not parse or
 * holds a different `mcp-codegen` entry throws (a ConfigError naming it) before any is written.
 * Apply them with `writeClientEdits`.
 */
export async function planClientEdits(
  clients: readonly ClientName[],
  options: ClientOptions,
): Promise<PlannedEdit[]> {
  const planned: PlannedEdit[] = [];
  for (const client of new Set(clients)) {
    if (client === "claude-desktop") {
      planned.push({ outcome: await claudeDesktop(options), target: "", text: "" });
      continue;
    }
    const { file, key, entry } = PROJECT_FILES[client];
    const target = path.join(options.cwd, ...file.split("/"));
    const text = await readFile(target, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw new ConfigError(
        `Cannot read it (${error.code ?? error.message}); nothing was written`,
        [],
        target,
      );
    });
    const result = addServerEntry(text, {
      file: target,
      key,
      name: ENTRY_NAME,
      entry,
      force: options.force,
    });
    planned.push({ outcome: { client, file, outcome: result.outcome }, target, text: result.text });
  }
  return planned;
}

/**
 * Writes the planned files that change, each atomically, and returns what was done for every
 * client.
 */
export async function writeClientEdits(planned: readonly PlannedEdit[]): Promise<ClientOutcome[]> {
  for (const { outcome, target, text } of planned) {
    if (outcome.outcome === "unchanged" || outcome.outcome === "printed") continue;
    await mkdir(path.dirname(target), { recursive: true });
    await replaceFile(target, text);
  }
  return planned.map((edit) => edit.outcome);
}

/**
 * Claude Desktop's entry, with `--config`: it starts servers outside any project. Reported as
 * already there when its config has it; its file is read leniently (it is only read).
 */
async function claudeDesktop(options: ClientOptions): Promise<ClientOutcome> {
  const entry = { command: SERVE.command, args: [...SERVE.args, "--config", options.configFile] };
  const file = options.claudeDesktopFile;
  const text = await readFile(file, "utf8").catch(() => undefined);
  let present = false;
  try {
    const data = text === undefined ? undefined : parseJsonWithComments(text, file);
    const servers = isRecord(data) ? data.mcpServers : undefined;
    present = isRecord(servers) && isDeepStrictEqual(servers[ENTRY_NAME], entry);
  } catch {
    // only read to say whether the entry is there already
  }
  return { client: "claude-desktop", file, outcome: present ? "unchanged" : "printed", entry };
}
