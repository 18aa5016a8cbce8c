/**
 * `servers/search-index.json`: the tool documents and the ranking over them, rendered by
 * `generate` (so that a search in a fresh process loads the index rather than builds it) and
 * parsed back here, as untrusted text: anything wrong with it is one SearchError naming the
 * file and saying how to fix it. No disk here (`load-index.ts` reads).
 *
 * Lines of JSON, so that a search parses only what it uses: the first holds the format and
 * every tool's names, the second the ranking (`ranking.ts`), and then one line per tool holds
 * its details (lines of text, parameters), parsed and checked when a hit shows them.
 */
import { SearchError } from "../errors.js";
import { isRecord } from "../plain-json.js";
import type { SearchDocument } from "./documents.js";
import { buildEngine, INDEX_FORMAT } from "./engine.js";
import {
  detailsOf,
  namesData,
  parseDetails,
  parseNames,
  type ToolDetails,
  type ToolName,
} from "./index-entries.js";
import { loadRanking, rankingData, type Ranking } from "./ranking.js";

/** Relative to `servers/`, like every path of the manifest. */
export const SEARCH_INDEX_PATH = "search-index.json";

/**
 * The file's text. `previous`, the file an earlier run wrote (checked against its manifest),
 * is returned as it is when it holds the same documents: the ranking is made from them
 * alone, and building it is most of a rerun's time at 10,000 tools.
 */
export function renderSearchIndex(documents: readonly SearchDocument[], previous?: string): string {
  const names = JSON.stringify({ format: INDEX_FORMAT, ...namesData(documents) });
  const details = documents.map((d) => `${JSON.stringify(detailsOf(d))}\n`).join("");
  if (previous !== undefined && holdsDocuments(previous, names, details)) return previous;
  const ranking = JSON.stringify(rankingData(buildEngine(documents)));
  return `${names}\n${ranking}\n${details}`;
}

/** Whether `text` is `names`, one line (the ranking), then `details`. */
function holdsDocuments(text: string, names: string, details: string): boolean {
  if (!text.startsWith(`${names}\n`) || !text.endsWith(details)) return false;
  const ranking = text.slice(names.length + 1, text.length - details.length);
  return ranking.length > 1 && ranking.indexOf("\n") === ranking.length - 1;
}

export interface LoadedIndex {
  /** `servers/search-index.json` under the tree, for messages. */
  readonly file: string;
  /** Every tool's names, by position. */
  readonly tools: readonly ToolName[];
  /** The tool at `id` with its details (a SearchError when its line is broken). */
  document(id: number): SearchDocument;
  readonly ranking: Ranking;
}

/** The index in `text` (the contents of `file`), checked but for the tools' details. */
export function parseSearchIndex(text: string, file: string): LoadedIndex {
  const parts = readParts(text);
  if (typeof parts === "string") throw broken(file, parts);
  const { tools, rankingLine, lines } = parts;
  let data: unknown;
  try {
    data = JSON.parse(rankingLine);
  } catch {
    throw broken(file, "holds an index that does not load");
  }
  const ranking = loadRanking(data, tools.length);
  if (typeof ranking === "string") throw broken(file, ranking);
  const details: Array<ToolDetails | undefined> = [];
  return {
    file,
    tools,
    ranking,
    document(id) {
      const tool = tools[id];
      if (tool === undefined) throw new RangeError(`no tool ${id} in ${file}`);
      details[id] ??= parseDetails(text.slice(lines[id], lines[id + 1]! - 1));
      const found = details[id];
      if (found === undefined) throw broken(file, `has a broken entry for tool ${id + 1}`);
      return { ...tool, ...found };
    },
  };
}

/**
 * The documents of an earlier index, for servers a run leaves alone; undefined when the text
 * is not a readable index (then the manifest's outline stands in).
 */
export function documentsOfIndex(text: string): readonly SearchDocument[] | undefined {
  const parts = readParts(text);
  if (typeof parts === "string") return undefined;
  const documents: SearchDocument[] = [];
  for (const [id, tool] of parts.tools.entries()) {
    const details = parseDetails(text.slice(parts.lines[id], parts.lines[id + 1]! - 1));
    if (details === undefined) return undefined;
    documents.push({ ...tool, ...details });
  }
  return documents;
}

/** The error for an index that cannot be used: what is wrong with `file`, and the fix. */
export function broken(file: string, problem: string): SearchError {
  return new SearchError(
    `${file} ${problem}, so tools cannot be searched; run \`mcp-codegen generate\` to write it again.`,
  );
}

interface Parts {
  readonly tools: ToolName[];
  readonly rankingLine: string;
  /** Where each tool's line starts, and after the last, the end of the text plus one. */
  readonly lines: Uint32Array;
}

/** The first line checked, the second as text, and where the tools' lines are; or the problem. */
function readParts(text: string): Parts | string {
  const first = text.indexOf("\n");
  let head: unknown;
  try {
    head = JSON.parse(first < 0 ? text : text.slice(0, first));
  } catch {
    return "is not JSON";
  }
  if (!isRecord(head)) return "is not an object";
  if (head.format !== INDEX_FORMAT) {
    return `has index format ${String(head.format)}, not ${INDEX_FORMAT}`;
  }
  const tools = parseNames(head);
  if (typeof tools === "string") return tools;
  const second = first < 0 ? -1 : text.indexOf("\n", first + 1);
  if (second < 0) return "holds an index that does not load";
  const lines = new Uint32Array(tools.length + 1);
  let start = second + 1;
  for (let id = 0; id < tools.length; id++) {
    lines[id] = start;
    const end = text.indexOf("\n", start);
    if (end < 0) return `has a broken entry for tool ${id + 1}`;
    start = end + 1;
  }
  lines[tools.length] = start;
  if (start !== text.length) return "has more entries than tools";
  return { tools, rankingLine: text.slice(first + 1, second), lines };
}
