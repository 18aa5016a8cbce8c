/**
 * What the search index holds about each tool: one document a tool, built from the model at
 * generation time (and read back from the index file by `search`). Plain JSON, capped sizes:
 * a server's text reaches the index, and the index is read back as untrusted.
 */
import type { ServerModel, ToolModel } from "../model/types.js";
import type { ServerOutline } from "../emit/outline.js";
import { isRecord } from "../plain-json.js";
import { toMessageText } from "../model/text.js";

export interface SearchParameter {
  readonly name: string;
  /** Its description's first line, capped (may be empty). */
  readonly description: string;
}

export interface SearchDocument {
  readonly server: string;
  /** The MCP name, as the server spells it. */
  readonly tool: string;
  /** The exported function's name. */
  readonly identifier: string;
  /** Folder under `servers/` (the import path and the declaration's file are made from it). */
  readonly dir: string;
  /** The one-line description of the catalog. */
  readonly summary: string;
  /** The description, capped: more words to match than the one line has. */
  readonly description: string;
  /** The input's top-level fields. */
  readonly parameters: readonly SearchParameter[];
}

/**
 * Caps that keep one tool's document small whatever its server wrote. Text is made safe to
 * show (`toMessageText`: one line, no controls, hidden characters as marks), which may add
 * the mark `…` past a cap: readers allow for it.
 */
export const DOCUMENT_LIMITS = {
  name: 4096,
  summary: 1200,
  description: 600,
  parameters: 64,
  parameterName: 80,
  parameterDescription: 160,
} as const;

/**
 * The documents of a server this run generated, in the model's order. A tool whose name is
 * longer than any index reader accepts (`NAME_MAX`) is left out rather than cut: a cut name
 * would not be the tool's.
 */
export function documentsOfServer(server: ServerModel): SearchDocument[] {
  const fits = (name: string) => name.length <= DOCUMENT_LIMITS.name;
  if (!fits(server.name) || !fits(server.dir)) return [];
  const tools = server.tools.filter((tool) => fits(tool.wireName) && fits(tool.identifier));
  return tools.map((tool) => ({
    server: server.name,
    tool: tool.wireName,
    identifier: tool.identifier,
    dir: server.dir,
    summary: cap(tool.summary, DOCUMENT_LIMITS.summary),
    description: toMessageText(tool.description, DOCUMENT_LIMITS.description),
    parameters: parametersOf(tool),
  }));
}

/**
 * Documents for a server this run left alone and whose earlier documents are lost: what the
 * manifest remembers (names and the one line), without parameters.
 */
export function documentsOfOutline(outline: ServerOutline): SearchDocument[] {
  return outline.tools.map((tool) => ({
    server: outline.name,
    tool: tool.wireName,
    identifier: tool.identifier,
    dir: outline.dir,
    summary: tool.summary,
    description: "",
    parameters: [],
  }));
}

/** Where a program in the folder holding `servers/` imports the tool from. */
export function importPathOf(document: Pick<SearchDocument, "dir" | "identifier">): string {
  return `./servers/${document.dir}/${document.identifier}.js`;
}

/** The input's properties, from the lowered types document (`$defs.<Type>Input`). */
function parametersOf(tool: ToolModel): SearchParameter[] {
  const defs = tool.typesSchema.$defs;
  const input = isRecord(defs) ? defs[`${tool.typeName}Input`] : undefined;
  const properties = isRecord(input) ? input.properties : undefined;
  if (!isRecord(properties)) return [];
  return Object.entries(properties)
    .slice(0, DOCUMENT_LIMITS.parameters)
    .map(([name, schema]) => ({
      name: toMessageText(name, DOCUMENT_LIMITS.parameterName),
      description: toMessageText(descriptionOf(schema), DOCUMENT_LIMITS.parameterDescription),
    }));
}

function descriptionOf(schema: unknown): string {
  const text = isRecord(schema) ? schema.description : undefined;
  return typeof text === "string" ? (text.split("\n")[0] ?? "").trim() : "";
}

/** `text` cut to `max` code units, never inside a surrogate pair. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/u.test(cut) ? cut.slice(0, -1) : cut;
}
