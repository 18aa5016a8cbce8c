/**
 * `searchTree`: the tools of a generated tree that match a query, best first, read from the
 * tree's search index (no server is connected). Exact names always come first and are never
 * missed: `server.tool`, a tool's name alone (as the server spells it or as its identifier),
 * and `select:server.tool,other.tool`, which returns exactly those.
 */
import { SearchError } from "../errors.js";
import { isRecord } from "../plain-json.js";
import { importPathOf, type SearchDocument } from "./documents.js";
import { rank } from "./engine.js";
import type { LoadedIndex } from "./index-file.js";
import { readSearchIndex } from "./load-index.js";
import { readDeclaration } from "./declaration.js";
import { findByName } from "./names.js";

export type SearchDetail = "name" | "summary" | "full";

export interface SearchOptions {
  /** What each hit carries; default `summary`. */
  readonly detail?: SearchDetail;
  /** At most this many hits (1–100); default 10. */
  readonly limit?: number;
  /** Only this server's tools. */
  readonly server?: string;
}

export interface SearchHit {
  readonly kind: "tool";
  readonly server: string;
  /** The MCP name, as the server spells it. */
  readonly tool: string;
  /** What a program in the folder holding `servers/` imports. */
  readonly importPath: string;
  /** The exported function's name at that path. */
  readonly identifier: string;
  /** Relevance; exact names score above every other hit. */
  readonly score: number;
  /** `summary` and `full`: the one-line description. */
  readonly description?: string;
  /** `summary` and `full`: the input's field names. */
  readonly parameters?: readonly string[];
  /** `full`: the tool's TypeScript declaration with its types. */
  readonly declaration?: string;
}

export interface SearchResults {
  readonly query: string;
  /** How many tools matched in all (the hits are the first `limit` of them). */
  readonly total: number;
  readonly hits: readonly SearchHit[];
  /** `select:` names that name no tool. */
  readonly unknown?: readonly string[];
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;
/** Longer queries are refused: a query is a few words, and every word costs a fuzzy lookup. */
export const MAX_QUERY_LENGTH = 500;
const SELECT = "select:";

/** Searches the tree under `outDir` (the folder holding `servers/`). */
export async function searchTree(
  outDir: string,
  query: string,
  options: SearchOptions = {},
): Promise<SearchResults> {
  checkQuery(query);
  checkOptions(options);
  const limit = checkLimit(options.limit);
  const detail = options.detail ?? "summary";
  const index = await readSearchIndex(outDir);
  const { matches, unknown } = matchAll(index, query.trim(), options.server);
  const hits = await Promise.all(
    matches.slice(0, limit).map((match) => toHit(outDir, index, match, detail)),
  );
  return { query, total: matches.length, hits, ...(unknown.length > 0 ? { unknown } : {}) };
}

interface Match {
  readonly id: number;
  readonly score: number;
}

/** Every matching document, best first; exact names on top. */
function matchAll(
  index: LoadedIndex,
  query: string,
  server: string | undefined,
): { matches: Match[]; unknown: string[] } {
  const inServer = (m: Match) => server === undefined || index.documents[m.id]!.server === server;
  if (query.startsWith(SELECT)) return selected(index, query.slice(SELECT.length), inServer);
  if (query === "") {
    const all = index.documents.map((_, id) => ({ id, score: 0 }));
    return { matches: all.filter(inServer), unknown: [] };
  }
  const ranked = rank(index.engine, query).filter(inServer);
  const top = ranked.reduce((max, m) => Math.max(max, m.score), 1);
  const exact = findByName(index, query)
    .map((id) => ({ id, score: round(top + 1) }))
    .filter(inServer);
  const exactIds = new Set(exact.map((m) => m.id));
  const rest = ranked
    .filter((m) => !exactIds.has(m.id))
    .map((m) => ({ ...m, score: round(m.score) }));
  return { matches: [...exact, ...rest], unknown: [] };
}

/** `select:a.b,c.d`: exactly the tools named, in the order named, each once. */
function selected(
  index: LoadedIndex,
  list: string,
  inServer: (m: Match) => boolean,
): { matches: Match[]; unknown: string[] } {
  const names = list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const seen = new Set<number>();
  const matches: Match[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const ids = findByName(index, name);
    if (ids.length === 0) unknown.push(name);
    for (const id of ids) {
      if (seen.has(id) || !inServer({ id, score: 0 })) continue;
      seen.add(id);
      matches.push({ id, score: 1 });
    }
  }
  return { matches, unknown };
}

async function toHit(
  outDir: string,
  index: LoadedIndex,
  match: Match,
  detail: SearchDetail,
): Promise<SearchHit> {
  const document: SearchDocument = index.documents[match.id]!;
  const hit: SearchHit = {
    kind: "tool",
    server: document.server,
    tool: document.tool,
    importPath: importPathOf(document),
    identifier: document.identifier,
    score: match.score,
  };
  if (detail === "name") return hit;
  const described = {
    ...hit,
    description: document.summary,
    parameters: document.parameters.map((p) => p.name),
  };
  if (detail === "summary") return described;
  return { ...described, declaration: await readDeclaration(outDir, document) };
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

function checkQuery(query: unknown): asserts query is string {
  if (typeof query !== "string") throw new SearchError("the query must be a string.");
  if (query.length > MAX_QUERY_LENGTH) {
    throw new SearchError(
      `the query is ${query.length} characters long; a search takes at most ${MAX_QUERY_LENGTH}. Search with a few words.`,
    );
  }
}

const DETAILS: readonly string[] = ["name", "summary", "full"] satisfies SearchDetail[];

/** Options come from programs and models too: anything but the documented shapes is refused. */
function checkOptions(options: unknown): asserts options is SearchOptions {
  if (!isRecord(options)) throw new SearchError("the search options must be an object.");
  const { detail, server } = options;
  if (detail !== undefined && !(typeof detail === "string" && DETAILS.includes(detail))) {
    throw new SearchError(`the detail must be one of ${DETAILS.join(", ")}.`);
  }
  if (server !== undefined && !(typeof server === "string" && server.length <= MAX_QUERY_LENGTH)) {
    throw new SearchError("the server must be a server's name.");
  }
}

function checkLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new SearchError(`the limit must be a whole number from 1 to ${MAX_LIMIT}.`);
  }
  return limit;
}
