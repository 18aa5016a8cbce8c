/**
 * `searchTree`: the tools of a generated tree that match a query, best first, read from the
 * tree's search index (no server is connected). Exact names always come first and are never
 * missed: `server.tool`, a tool's name alone (as the server spells it or as its identifier),
 * and `select:server.tool,other.tool`, which returns exactly those.
 */
import { SearchError } from "../errors.js";
import { isRecord } from "../plain-json.js";
import { importPathOf } from "./documents.js";
import { rank } from "./rank.js";
import type { LoadedIndex } from "./index-file.js";
import { readSearchIndex } from "./load-index.js";
import { readDeclaration } from "./declaration.js";
import { findByName } from "./names.js";
import { searchSkills, type SkillHit } from "./skills.js";

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
  /** Saved skills that match too (not with `server` or `select:`), best first. */
  readonly skills?: { readonly total: number; readonly hits: readonly SkillHit[] };
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;
/** Longer queries are refused: a query is a few words, and every word costs a fuzzy lookup. */
export const MAX_QUERY_LENGTH = 500;
const MAX_QUERY_WORDS = 32;
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
  const { total, matches, unknown } = matchAll(index, query.trim(), options.server, limit);
  const hits = await Promise.all(matches.map((match) => toHit(outDir, index, match, detail)));
  const skills =
    options.server === undefined && !query.trim().startsWith(SELECT)
      ? await searchSkills(outDir, query, limit)
      : undefined;
  return {
    query,
    total,
    hits,
    ...(unknown.length > 0 ? { unknown } : {}),
    ...(skills && skills.total > 0 ? { skills } : {}),
  };
}

interface Match {
  readonly id: number;
  readonly score: number;
}

interface Matched {
  /** How many tools match in all. */
  readonly total: number;
  /** The first `limit` of them, best first. */
  readonly matches: Match[];
  readonly unknown: string[];
}

/** The best `limit` matching documents, exact names on top, and how many matched. */
function matchAll(
  index: LoadedIndex,
  query: string,
  server: string | undefined,
  limit: number,
): Matched {
  const inServer = (id: number) => server === undefined || index.tools[id]!.server === server;
  if (query.startsWith(SELECT)) {
    const { matches, unknown } = selected(index, query.slice(SELECT.length), inServer);
    return { total: matches.length, matches: matches.slice(0, limit), unknown };
  }
  if (query === "") {
    const all = index.tools.flatMap((_, id) => (inServer(id) ? [{ id, score: 0 }] : []));
    return { total: all.length, matches: all.slice(0, limit), unknown: [] };
  }
  const ranked = rank(index.ranking, query, inServer);
  const exactIds = findByName(index, query).filter(inServer);
  const exact = exactIds.map((id) => ({ id, score: round(Math.max(ranked.topScore, 1) + 1) }));
  const rest = ranked
    .best(limit + exact.length)
    .filter((m) => !exactIds.includes(m.id))
    .map((m) => ({ ...m, score: round(m.score) }));
  const total = ranked.total + exactIds.filter((id) => !ranked.matches(id)).length;
  return { total, matches: [...exact, ...rest].slice(0, limit), unknown: [] };
}

/** `select:a.b,c.d`: exactly the tools named, in the order named, each once. */
function selected(
  index: LoadedIndex,
  list: string,
  inServer: (id: number) => boolean,
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
      if (seen.has(id) || !inServer(id)) continue;
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
  const document = index.tools[match.id]!;
  const hit: SearchHit = {
    kind: "tool",
    server: document.server,
    tool: document.tool,
    importPath: importPathOf(document),
    identifier: document.identifier,
    score: match.score,
  };
  if (detail === "name") return hit;
  const { summary, parameters } = index.document(match.id);
  const described = { ...hit, description: summary, parameters: parameters.map((p) => p.name) };
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
  // Every word is ranked over every tool: a query of a hundred common words costs a tree of
  // 10,000 tools ~50 ms of the host's time, and a program could ask for it in a loop.
  const words = query.trim().startsWith(SELECT) ? 0 : query.split(/\s+/).filter(Boolean).length;
  if (words > MAX_QUERY_WORDS) {
    throw new SearchError(
      `the query has ${words} words; a search takes at most ${MAX_QUERY_WORDS}. Search with a few words.`,
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
