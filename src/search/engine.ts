/**
 * The ranking: minisearch (BM25+) over each tool's names, descriptions and parameters, with
 * one tokenizer and one term processor for indexing and querying alike. The options here are
 * part of the index file's format: an index is only ever loaded with the options it was
 * built with (`INDEX_FORMAT` changes with them).
 */
import MiniSearch, { type Options, type SearchOptions } from "minisearch";
import type { SearchDocument } from "./documents.js";

/** Bumped whenever the fields, tokenizer or term processor change. */
export const INDEX_FORMAT = 1;

/** A document as minisearch sees it: its position in the index's document list. */
interface Indexed {
  readonly id: number;
  readonly document: SearchDocument;
}

const FIELDS = ["names", "server", "description", "parameterNames", "parameterText"] as const;
type Field = (typeof FIELDS)[number];

const FIELD_TEXT: Readonly<Record<Field, (d: SearchDocument) => string>> = {
  names: (d) => `${d.tool} ${d.identifier}`,
  server: (d) => d.server,
  // The description starts with the one line; without one (a kept server's outline), the line.
  description: (d) => d.description || d.summary,
  parameterNames: (d) => d.parameters.map((p) => p.name).join(" "),
  parameterText: (d) => d.parameters.map((p) => p.description).join(" "),
};

const SEARCH_OPTIONS: SearchOptions = {
  boost: { names: 4, server: 1, description: 1.5, parameterNames: 1.5, parameterText: 0.5 },
  // A word's beginning finds its longer forms (`dir` → `directory`); short words would match too much.
  prefix: (term) => term.length >= 3,
};

const OPTIONS: Options<Indexed> = {
  idField: "id",
  fields: [...FIELDS],
  storeFields: [],
  extractField: (indexed, field) =>
    field === "id" ? indexed.id : FIELD_TEXT[field as Field](indexed.document),
  tokenize: tokenize,
  processTerm: stem,
  searchOptions: SEARCH_OPTIONS,
};

const WORD = /[\p{L}\p{N}]+/gu;
const CAMEL_HUMP = /\p{Ll}\p{Lu}/u;
const BEFORE_HUMP = /(?<=\p{Ll})(?=\p{Lu})/u;

/** Words of letters and digits; a `camelCase` word also as its parts (`getUser` → get, User). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.match(WORD) ?? []) {
    tokens.push(word);
    if (CAMEL_HUMP.test(word)) tokens.push(...word.split(BEFORE_HUMP));
  }
  return tokens;
}

/**
 * Lower case, then the simple English endings taken off (plurals, `-ing`, `-ed`, a final `e`),
 * so that `files`, `file`, `writing` and `write` meet. Crude on purpose: it runs on both sides,
 * so it only has to be consistent, and prefix and fuzzy matching catch what it misses.
 */
export function stem(term: string): string | null {
  let word = term.toLowerCase();
  // minisearch leaves out a term processed to null: these words say nothing about a tool.
  if (STOP_WORDS.has(word)) return null;
  if (word.length <= 3) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("es") && SIBILANT_ES.some((end) => word.endsWith(end)))
    word = word.slice(0, -2);
  else if (word.endsWith("s") && !KEPT_S.some((end) => word.endsWith(end)))
    word = word.slice(0, -1);
  else if (word.endsWith("ing") && word.length >= 6) word = undouble(word.slice(0, -3));
  else if (word.endsWith("ed") && word.length >= 5) word = undouble(word.slice(0, -2));
  if (word.endsWith("e") && word.length > 3) word = word.slice(0, -1);
  return word;
}

const STOP_WORDS = new Set(
  "a an and are as at be by for from if in into is it its of on or that the this to with".split(
    " ",
  ),
);
const SIBILANT_ES = ["sses", "shes", "ches", "xes", "zes"];
const KEPT_S = ["ss", "us", "is"];

/** `runn` → `run`, `stopp` → `stop` (after `-ing`/`-ed`); `ll` and `ss` stay (`fill`, `pass`). */
function undouble(word: string): string {
  const last = word.at(-1)!;
  return word.at(-2) === last && !"aeiouls".includes(last) ? word.slice(0, -1) : word;
}

/** A loaded or built index. */
export type Engine = MiniSearch<Indexed>;

/** The index over `documents`, ids being their positions. */
export function buildEngine(documents: readonly SearchDocument[]): Engine {
  const engine = new MiniSearch<Indexed>(OPTIONS);
  engine.addAll(documents.map((document, id) => ({ id, document })));
  return engine;
}

/** What `toJSON` reads of minisearch 7.2's fields (pinned: a test holds the two to the same data). */
interface EngineFields {
  readonly _index: Iterable<[string, Map<number, Map<number, number>>]>;
  readonly _documentIds: Map<number, unknown>;
  readonly _fieldLength: Map<number, number[]>;
  readonly _storedFields: Map<number, unknown>;
  readonly _nextId: number;
  readonly _fieldIds: Record<string, number>;
  readonly _avgFieldLength: number[];
  readonly _dirtCount: number;
}

/**
 * The index as the JSON text of `engine.toJSON()`, written directly: `toJSON` builds an object
 * per term and field (~230 ms for 1,000 tools here, twice the build), this ~15 ms.
 */
export function serializeEngine(engine: Engine): string {
  const e = engine as unknown as EngineFields;
  const head = JSON.stringify({
    documentCount: engine.documentCount,
    nextId: e._nextId,
    documentIds: Object.fromEntries(e._documentIds),
    fieldIds: e._fieldIds,
    fieldLength: Object.fromEntries(e._fieldLength),
    averageFieldLength: e._avgFieldLength,
    storedFields: Object.fromEntries(e._storedFields),
    dirtCount: e._dirtCount,
    serializationVersion: 2,
  });
  const terms: string[] = [];
  for (const [term, fields] of e._index) {
    const byField: string[] = [];
    for (const [fieldId, frequencies] of fields) {
      const byDocument: string[] = [];
      for (const [id, frequency] of frequencies) byDocument.push(`"${id}":${frequency}`);
      byField.push(`"${fieldId}":{${byDocument.join(",")}}`);
    }
    terms.push(`[${JSON.stringify(term)},{${byField.join(",")}}]`);
  }
  return `${head.slice(0, -1)},"index":[${terms.join(",")}]}`;
}

/** An index serialized by `serializeEngine` (or `toJSON`), loaded (throws if it is not one). */
export function loadEngine(serialized: unknown): Engine {
  return MiniSearch.loadJS<Indexed>(serialized as Parameters<typeof MiniSearch.loadJS>[0], OPTIONS);
}

export interface RankedId {
  readonly id: number;
  readonly score: number;
}

/**
 * Every document matching any word of `query`, those that match every word first, each group
 * best first (ties by position, so the order is stable). BM25 alone would let one word that
 * is frequent in a tool outrank a tool that has them all; a query word no tool has still
 * leaves the others to match. Typos: a word of four letters or more that matches nothing as
 * typed (or as a word's beginning) is looked up again within one edit (two from ten letters);
 * only those words, since a fuzzy lookup of every word costs several times the search.
 */
export function rank(engine: Engine, query: string): RankedId[] {
  const words = new Set(tokenize(query).flatMap((token) => stem(token) ?? []));
  let results = engine.search(query, { combineWith: "OR" });
  const found = new Set(results.flatMap((result) => result.queryTerms));
  const unmatched = new Set([...words].filter((word) => !found.has(word) && word.length >= 4));
  if (unmatched.size > 0) {
    results = engine.search(query, {
      combineWith: "OR",
      fuzzy: (term) => (unmatched.has(term) ? FUZZY : false),
    });
  }
  return results
    .map((result) => ({
      id: Number(result.id),
      score: result.score,
      all: result.queryTerms.length >= words.size,
    }))
    .sort((a, b) => Number(b.all) - Number(a.all) || b.score - a.score || a.id - b.id)
    .map(({ id, score }) => ({ id, score }));
}

/** One edit in four letters, two from ten (minisearch rounds length × 0.2). */
const FUZZY = 0.2;
