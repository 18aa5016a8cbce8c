/**
 * The tools of the search index file, read back as untrusted: the names of every tool (what
 * every search needs: the server filter, exact names, import paths), checked when the file is
 * loaded, and each tool's details (its lines of text and its parameters), checked when a hit
 * shows them. Values are rebuilt field by field: nothing else the file holds (`__proto__`
 * included) comes along.
 */
import { isRecord } from "../plain-json.js";
import { checkRelativePath } from "../write/paths.js";
import { DOCUMENT_LIMITS, type SearchDocument, type SearchParameter } from "./documents.js";

/** What the index holds about every tool apart from its details. */
export type ToolName = Pick<SearchDocument, "server" | "tool" | "identifier" | "dir">;

/** What the index holds about a tool on its own line. */
export type ToolDetails = Pick<SearchDocument, "summary" | "description" | "parameters">;

/** The names part of the file's first line, as written. */
export interface NamesData {
  /** `[name, dir]` of each server, in the order of first use. */
  readonly servers: ReadonlyArray<readonly [string, string]>;
  /** Per tool: its server's position in `servers`. */
  readonly server: readonly number[];
  readonly tool: readonly string[];
  readonly identifier: readonly string[];
}

const MAX_TOOLS = 200_000;

/** The names part of `documents`. */
export function namesData(documents: readonly SearchDocument[]): NamesData {
  const servers: Array<[string, string]> = [];
  const positions = new Map<string, number>();
  const server = documents.map((d) => {
    // Keyed by both, though a server has one folder: the file then says what it was given.
    const key = JSON.stringify([d.server, d.dir]);
    let position = positions.get(key);
    if (position === undefined) {
      position = servers.push([d.server, d.dir]) - 1;
      positions.set(key, position);
    }
    return position;
  });
  return {
    servers,
    server,
    tool: documents.map((d) => d.tool),
    identifier: documents.map((d) => d.identifier),
  };
}

/** The details of a document, as its line holds them. */
export function detailsOf(document: SearchDocument): ToolDetails {
  return {
    summary: document.summary,
    description: document.description,
    parameters: document.parameters.map(({ name, description }) => ({ name, description })),
  };
}

/** Every tool's names from the first line's `data`, or what is wrong with them. */
export function parseNames(data: Record<string, unknown>): ToolName[] | string {
  const { servers, server, tool, identifier } = data;
  if (!Array.isArray(servers) || !Array.isArray(server)) return "has no list of tools";
  if (!Array.isArray(tool) || !Array.isArray(identifier)) return "has no list of tools";
  if (server.length > MAX_TOOLS) return `lists more than ${MAX_TOOLS} tools`;
  if (tool.length !== server.length || identifier.length !== server.length) {
    return "has lists of tools of different lengths";
  }
  // A broken server entry breaks its tools: the message names the first of them.
  const checkedServers = (servers as unknown[]).map((entry) =>
    Array.isArray(entry) && entry.length === 2 && isName(entry[0]) && isName(entry[1])
      ? // What becomes a path when shown: one folder name.
        isFolderName(entry[1])
        ? ([entry[0], entry[1]] as const)
        : undefined
      : undefined,
  );
  const names: ToolName[] = [];
  for (let i = 0; i < server.length; i++) {
    const at: unknown = server[i];
    const owner = typeof at === "number" ? checkedServers[at] : undefined;
    const name: unknown = tool[i];
    const id: unknown = identifier[i];
    // What becomes code when shown: an identifier.
    if (owner === undefined || !isName(name) || !isName(id) || !IDENTIFIER.test(id)) {
      return `has a broken entry for tool ${i + 1}`;
    }
    names.push({ server: owner[0], tool: name, identifier: id, dir: owner[1] });
  }
  const unused = checkedServers.findIndex((entry) => entry === undefined);
  if (unused >= 0) return `has a broken entry for server ${unused + 1}`;
  return names;
}

/** A tool's details from its line's text, or undefined when they are not what we write. */
export function parseDetails(line: string): ToolDetails | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { summary, description, parameters } = value;
  if (!isText(summary, DOCUMENT_LIMITS.summary)) return undefined;
  if (!isText(description, DOCUMENT_LIMITS.description)) return undefined;
  if (!Array.isArray(parameters) || parameters.length > DOCUMENT_LIMITS.parameters)
    return undefined;
  const checked: SearchParameter[] = [];
  for (const parameter of parameters as unknown[]) {
    if (!isRecord(parameter)) return undefined;
    if (!isText(parameter.name, DOCUMENT_LIMITS.parameterName)) return undefined;
    if (!isText(parameter.description, DOCUMENT_LIMITS.parameterDescription)) return undefined;
    checked.push({ name: parameter.name, description: parameter.description });
  }
  return { summary, description, parameters: checked };
}

const IDENTIFIER = /^[\p{ID_Start}_$][\p{ID_Continue}$\u200C\u200D]*$/u;

function isName(value: unknown): value is string {
  return typeof value === "string" && value !== "" && value.length <= DOCUMENT_LIMITS.name;
}

function isFolderName(dir: string): boolean {
  return !dir.includes("/") && checkRelativePath(dir) === undefined;
}

/** Text of at most `max` code units, and the one of the `…` that marks a cut. */
function isText(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length <= max + 1;
}
