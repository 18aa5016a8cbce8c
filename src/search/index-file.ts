/**
 * `servers/search-index.json`: the tool documents and the serialized index over them, rendered
 * by `generate` (so that a search in a fresh process loads the index rather than builds it)
 * and parsed back here, as untrusted text: its shape is checked, and anything wrong with it is
 * one SearchError naming the file and saying how to fix it. No disk here (`load-index.ts` reads).
 */
import { SearchError } from "../errors.js";
import { isRecord } from "../plain-json.js";
import { checkRelativePath } from "../write/paths.js";
import { DOCUMENT_LIMITS, type SearchDocument, type SearchParameter } from "./documents.js";
import { buildEngine, INDEX_FORMAT, loadEngine, serializeEngine, type Engine } from "./engine.js";

/** Relative to `servers/`, like every path of the manifest. */
export const SEARCH_INDEX_PATH = "search-index.json";

const MAX_DOCUMENTS = 200_000;

/** The file's text: one line of JSON (the index is for programs, not for reading). */
export function renderSearchIndex(documents: readonly SearchDocument[]): string {
  const index = serializeEngine(buildEngine(documents));
  const head = JSON.stringify({ format: INDEX_FORMAT, documents });
  return `${head.slice(0, -1)},"index":${index}}\n`;
}

export interface LoadedIndex {
  /** `servers/search-index.json` under the tree, for messages. */
  readonly file: string;
  readonly documents: readonly SearchDocument[];
  readonly engine: Engine;
}

/** The index in `text` (the contents of `file`), checked. */
export function parseSearchIndex(text: string, file: string): LoadedIndex {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw broken(file, "is not JSON");
  }
  if (!isRecord(data)) throw broken(file, "is not an object");
  if (data.format !== INDEX_FORMAT) {
    throw broken(file, `has index format ${String(data.format)}, not ${INDEX_FORMAT}`);
  }
  const documents = parseDocuments(data.documents);
  if (typeof documents === "string") throw broken(file, documents);
  let engine: Engine;
  try {
    engine = loadEngine(data.index);
  } catch {
    throw broken(file, "holds an index that does not load");
  }
  if (engine.documentCount !== documents.length) {
    throw broken(file, "indexes another number of tools than it lists");
  }
  return { file, documents, engine };
}

/**
 * The documents of an earlier index, for servers a run leaves alone; undefined when the text
 * is not a readable index (then the manifest's outline stands in).
 */
export function documentsOfIndex(text: string): readonly SearchDocument[] | undefined {
  try {
    const data: unknown = JSON.parse(text);
    if (!isRecord(data) || data.format !== INDEX_FORMAT) return undefined;
    const documents = parseDocuments(data.documents);
    return typeof documents === "string" ? undefined : documents;
  } catch {
    return undefined;
  }
}

/** The error for an index that cannot be used: what is wrong with `file`, and the fix. */
export function broken(file: string, problem: string): SearchError {
  return new SearchError(
    `${file} ${problem}, so tools cannot be searched; run \`mcp-codegen generate\` to write it again.`,
  );
}

/** The documents, or what is wrong with them. */
function parseDocuments(value: unknown): SearchDocument[] | string {
  if (!Array.isArray(value)) return "has no list of tools";
  if (value.length > MAX_DOCUMENTS) return `lists more than ${MAX_DOCUMENTS} tools`;
  const documents: SearchDocument[] = [];
  for (const [i, item] of value.entries()) {
    const document = parseDocument(item);
    if (document === undefined) return `has a broken entry for tool ${i + 1}`;
    documents.push(document);
  }
  return documents;
}

function parseDocument(value: unknown): SearchDocument | undefined {
  if (!isRecord(value)) return undefined;
  const { server, tool, identifier, dir, summary, description, parameters } = value;
  const names = [server, tool, identifier, dir];
  if (
    !names.every(
      (name) => typeof name === "string" && name !== "" && name.length <= DOCUMENT_LIMITS.name,
    )
  )
    return undefined;
  // What becomes code and paths when shown: an identifier, and one folder name.
  if (!IDENTIFIER.test(identifier as string) || !isFolderName(dir as string)) return undefined;
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
  // Rebuilt field by field: nothing else the file holds (`__proto__` included) comes along.
  return {
    server: server as string,
    tool: tool as string,
    identifier: identifier as string,
    dir: dir as string,
    summary: summary as string,
    description: description as string,
    parameters: checked,
  };
}

const IDENTIFIER = /^[\p{ID_Start}_$][\p{ID_Continue}$\u200C\u200D]*$/u;

function isFolderName(dir: string): boolean {
  return !dir.includes("/") && checkRelativePath(dir) === undefined;
}

/** Text of at most `max` code units, and the one of the `…` that marks a cut. */
function isText(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length <= max + 1;
}
