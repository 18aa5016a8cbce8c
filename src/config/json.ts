import * as path from "node:path";
import { ConfigError } from "../errors.js";

/**
 * Reads the JSON configs of MCP clients: `{ "mcpServers": { … } }` (`.mcp.json`,
 * `claude_desktop_config.json`, `.cursor/mcp.json`) and VS Code's `{ "servers": { … } }` with
 * `type` on each entry, `envFile` included. Our own fields (`outDir`, `concurrency`, `privacy`,
 * and per server `include`, `exclude`, `timeout`, `disabled`, `transport`, `secrets`, `allow`,
 * `deny`, `approve`, `privacy`) may sit beside them.
 */
export interface JsonConfig {
  /** The raw config in our shape, validated later like any other. */
  readonly config: Record<string, unknown>;
  /** The key the file keeps its servers under, so messages can use the user's own path. */
  readonly serversKey: "mcpServers" | "servers";
  /** The project folder: the file's folder, or its parent for `.vscode/` and `.cursor/`. */
  readonly root: string;
}

/** Client settings that change how a client treats a server and mean nothing for generation. */
const CLIENT_ONLY_FIELDS = ["alwaysAllow", "autoApprove", "description", "dev"];
/** Editor config folders: the project is their parent, as `${workspaceFolder}` means in VS Code. */
const EDITOR_FOLDERS = new Set([".vscode", ".cursor"]);

/** Parses a client JSON config (comments and trailing commas allowed, as VS Code allows them). */
export function parseJsonConfig(text: string, file: string): JsonConfig {
  const data = parseJsonWithComments(text, file);
  const { servers, serversKey } = clientServers(data, file);
  const object = data as Record<string, unknown>; // clientServers has checked it is one
  const config: Record<string, unknown> = { servers };
  // Only our own top-level fields: a client file also holds that client's unrelated settings.
  for (const key of ["outDir", "concurrency", "privacy"]) {
    if (object[key] !== undefined) config[key] = object[key];
  }
  const folder = path.dirname(file);
  const root = EDITOR_FOLDERS.has(path.basename(folder)) ? path.dirname(folder) : folder;
  return { config, serversKey, root };
}

/**
 * Parses JSON as VS Code reads it (comments and trailing commas allowed); text that does not
 * parse is a ConfigError naming `file` and the line and column.
 */
export function parseJsonWithComments(text: string, file: string): unknown {
  try {
    return JSON.parse(stripJsonComments(text));
  } catch (error) {
    throw new ConfigError(`Invalid JSON (${describeJsonError(error, text)})`, [], file);
  }
}

/**
 * The servers of a client's config, parsed already: under `mcpServers` or VS Code's `servers`,
 * without the client-only fields, and without the entry that starts `mcp-codegen serve` (which
 * `init --client` adds): that is this tool offered to the client, not a server to generate
 * stubs for, and serving it would have it start itself. Throws ConfigError (naming `file`, if known) when the data is
 * not such a config. The servers themselves are validated later, with the rest of the config.
 */
export function clientServers(
  data: unknown,
  file?: string,
): { servers: unknown; serversKey: "mcpServers" | "servers" } {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError(
      'A JSON config must be an object with "mcpServers" or "servers"',
      [],
      file,
    );
  }
  const object = data as Record<string, unknown>;
  if (object.mcpServers === undefined && object.servers === undefined) {
    throw new ConfigError(
      'A JSON config needs "mcpServers" (as MCP clients write it) or "servers" (as VS Code does)',
      [],
      file,
    );
  }
  if (object.mcpServers !== undefined && object.servers !== undefined) {
    throw new ConfigError('The file has both "mcpServers" and "servers"; keep one', [], file);
  }
  const serversKey = object.mcpServers !== undefined ? "mcpServers" : "servers";
  return { servers: withoutClientFields(object[serversKey]), serversKey };
}

function withoutClientFields(servers: unknown): unknown {
  if (typeof servers !== "object" || servers === null || Array.isArray(servers)) return servers;
  return Object.fromEntries(
    Object.entries(servers).flatMap(([name, server]) => {
      if (typeof server !== "object" || server === null || Array.isArray(server))
        return [[name, server]];
      if (startsServe(server)) return [];
      const kept = Object.entries(server).filter(([key]) => !CLIENT_ONLY_FIELDS.includes(key));
      return [[name, Object.fromEntries(kept)]];
    }),
  );
}

/**
 * Whether a client's server entry runs `mcp-codegen serve`, however it is started: `npx
 * mcp-codegen serve`, `npx -y mcp-codegen@1 serve`, `mcp-codegen serve`, `node
 * …/bin/mcp-codegen.js serve`. Known by the command, not the entry's name, which users choose.
 */
export function startsServe(server: object): boolean {
  const { command, args } = server as { command?: unknown; args?: unknown };
  if (typeof command !== "string") return false;
  const words = [command, ...(Array.isArray(args) ? args : [])];
  const at = words.findIndex(
    (word) =>
      typeof word === "string" &&
      /^mcp-codegen(@[^/\\]*)?(\.js|\.cmd)?$/.test(path.basename(word.replaceAll("\\", "/"))),
  );
  return at !== -1 && words[at + 1] === "serve";
}

/** "line 3, column 5: Expected ',' or '}'…" when the engine gives a position, else its message. */
function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  if (at?.[1] === undefined) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  const reason = message.replace(/ in JSON at position \d+.*$/s, "");
  return `line ${line}, column ${column}: ${reason}`;
}

/**
 * Blanks out `//` and `/* *\/` comments and trailing commas with spaces, keeping every other
 * character where it was so that JSON.parse's positions still point into the user's file.
 */
export function stripJsonComments(text: string): string {
  const out = text.split("");
  let i = 0;
  let pendingComma = -1; // index of a comma that is trailing if only blanks follow before } or ]
  while (i < out.length) {
    const c = out[i];
    if (c === '"') {
      pendingComma = -1;
      for (i++; i < out.length && out[i] !== '"'; i++) if (out[i] === "\\") i++;
      i++;
    } else if (c === "/" && out[i + 1] === "/") {
      for (; i < out.length && out[i] !== "\n"; i++) out[i] = " ";
    } else if (c === "/" && out[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? out.length : end + 2;
      for (; i < stop; i++) if (out[i] !== "\n") out[i] = " ";
    } else {
      if ((c === "}" || c === "]") && pendingComma !== -1) out[pendingComma] = " ";
      if (c === ",") pendingComma = i;
      else if (c !== undefined && !/\s/.test(c)) pendingComma = -1;
      i++;
    }
  }
  return out.join("");
}
