/**
 * What is indexed, and how: minisearch (BM25+) over each tool's names, descriptions and
 * parameters, with one tokenizer and one term processor for indexing and querying alike. The
 * options here are part of the index file's format (`INDEX_FORMAT` changes with them);
 * `rank.ts` scores queries with the same search options over the compact postings.
 */
import MiniSearch, { type Options } from "minisearch";
import type { SearchDocument } from "./documents.js";

/** Bumped whenever the fields, tokenizer or term processor change. */
export const INDEX_FORMAT = 2;

/** A document as minisearch sees it: its position in the index's document list. */
interface Indexed {
  readonly id: number;
  readonly document: SearchDocument;
}

/** The fields, in the order of their numbers in the index. */
export const FIELDS = [
  "names",
  "server",
  "description",
  "parameterNames",
  "parameterText",
] as const;
type Field = (typeof FIELDS)[number];

const FIELD_TEXT: Readonly<Record<Field, (d: SearchDocument) => string>> = {
  names: (d) => `${d.tool} ${d.identifier}`,
  server: (d) => d.server,
  // The description starts with the one line; without one (a kept server's outline), the line.
  description: (d) => d.description || d.summary,
  parameterNames: (d) => d.parameters.map((p) => p.name).join(" "),
  parameterText: (d) => d.parameters.map((p) => p.description).join(" "),
};

/**
 * How a query scores, as minisearch's search options would say it (`rank.ts` applies them;
 * a test holds its scores to minisearch's own `search` with these options).
 */
export const SEARCH = {
  /** Per field, in `FIELDS` order. */
  boosts: [4, 1, 1.5, 1.5, 0.5],
  /** A word's beginning finds its longer forms (`dir` → `directory`); short words would match too much. */
  prefixFrom: 3,
  /** One edit in four letters, two from ten (length × 0.2, rounded), for words that match nothing. */
  fuzzy: 0.2,
  fuzzyFrom: 4,
  maxFuzzy: 6,
  /** minisearch's defaults: how much a longer form and a near spelling count against the word. */
  prefixWeight: 0.375,
  fuzzyWeight: 0.45,
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
} as const;

const OPTIONS: Options<Indexed> = {
  idField: "id",
  fields: [...FIELDS],
  storeFields: [],
  extractField: (indexed, field) =>
    field === "id" ? indexed.id : FIELD_TEXT[field as Field](indexed.document),
  tokenize: tokenize,
  processTerm: stem,
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

/** An index as minisearch builds it, at generation time (see `ranking.ts` for what is kept). */
export type Engine = MiniSearch<Indexed>;

/** The index over `documents`, ids being their positions. */
export function buildEngine(documents: readonly SearchDocument[]): Engine {
  const engine = new MiniSearch<Indexed>(OPTIONS);
  engine.addAll(documents.map((document, id) => ({ id, document })));
  return engine;
}
