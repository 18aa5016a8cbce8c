/**
 * Scoring a query over a loaded `Ranking`: minisearch's BM25+ with the options of `SEARCH`
 * (prefix and typo lookups in its `SearchableMap`, the same weights, each document's score
 * times the number of query words it has), computed into typed arrays. minisearch's own
 * `search` makes an object, an array and a record per matching document and sorts them all:
 * 10–20 ms at 10,000 tools for a query of common words, where most tools match; this is a
 * few, and sorts only the hits asked for. A test holds the two to the same scores.
 */
import { FIELDS, SEARCH, stem, tokenize } from "./engine.js";
import { firstTermFrom, typoLookup, type Ranking } from "./ranking.js";
import { VarintReader } from "./varint.js";

interface RankedId {
  readonly id: number;
  readonly score: number;
}

/** The documents that match a query. */
export interface Ranked {
  /** How many match (at least one word, and kept). */
  readonly total: number;
  /** The highest score among them; 0 when none match. */
  readonly topScore: number;
  /** Whether document `id` is one of them. */
  matches(id: number): boolean;
  /** The best `count` of them: those with every word first, then by score, then by position. */
  best(count: number): RankedId[];
}

/**
 * The documents matching any word of `query` (and `keep`). BM25 alone would let one word
 * that is frequent in a tool outrank a tool that has them all, hence every word first; a
 * query word no tool has still leaves the others to match. Typos: a word of four letters or
 * more that matches nothing as typed (or as a word's beginning) is looked up again within
 * one edit (two from ten letters); only those words, since a typo lookup costs more than
 * the rest of the query.
 */
export function rank(
  ranking: Ranking,
  query: string,
  keep: (id: number) => boolean = () => true,
): Ranked {
  const terms = tokenize(query).flatMap((token) => stem(token) ?? []);
  const words = [...new Set(terms)];
  const times = words.map((word) => terms.filter((term) => term === word).length);
  let scores = score(ranking, words, times, new Set());
  const unmatched = words.filter((word, k) => !scores.found[k] && word.length >= SEARCH.fuzzyFrom);
  if (unmatched.length > 0) scores = score(ranking, words, times, new Set(unmatched));
  return collect(scores, words.length, keep);
}

interface Scores {
  /** Per document: the sum of its terms' scores. */
  readonly sum: Float64Array;
  /** Per document: how many of the query's words it has. */
  readonly words: Uint32Array;
  /** Per document: the last word (its number plus one) counted in `words`. */
  readonly lastWord: Uint32Array;
  /** The documents with any word, in the order they were met. */
  readonly hits: Int32Array;
  hitCount: number;
}

/** Every word's score in every document (a word said twice counts twice, as in minisearch). */
function score(
  ranking: Ranking,
  words: readonly string[],
  times: readonly number[],
  fuzzy: ReadonlySet<string>,
): Scores & { readonly found: readonly boolean[] } {
  const n = ranking.documentCount;
  const scores: Scores = {
    sum: new Float64Array(n),
    words: new Uint32Array(n),
    lastWord: new Uint32Array(n),
    hits: new Int32Array(n),
    hitCount: 0,
  };
  const found = words.map((word, k) => {
    const terms = expand(ranking, word, fuzzy.has(word));
    for (const [term, weight] of terms) {
      for (let time = 0; time < times[k]!; time++) addTerm(ranking, term, weight, k + 1, scores);
    }
    return terms.length > 0;
  });
  return Object.assign(scores, { found });
}

/**
 * The terms a query word stands for, with their weights: itself (1), its longer forms
 * (less the longer they are), and with `fuzzy` the terms within its edit distance.
 */
function expand(ranking: Ranking, word: string, fuzzy: boolean): Array<[number, number]> {
  const terms: Array<[number, number]> = [];
  const first = firstTermFrom(ranking, word);
  if (ranking.terms[first] === word) terms.push([first, 1]);
  const near = fuzzy
    ? typoLookup(ranking).fuzzyGet(
        word,
        Math.min(SEARCH.maxFuzzy, Math.round(word.length * SEARCH.fuzzy)),
      )
    : undefined;
  if (word.length >= SEARCH.prefixFrom) {
    // Sorted terms: those that start with the word follow it.
    for (let id = first; ranking.terms[id]?.startsWith(word); id++) {
      const term = ranking.terms[id]!;
      const distance = term.length - word.length;
      if (distance === 0) continue;
      near?.delete(term);
      terms.push([id, (SEARCH.prefixWeight * term.length) / (term.length + 0.3 * distance)]);
    }
  }
  for (const [term, [id, distance]] of near ?? []) {
    if (distance === 0) continue;
    terms.push([id, (SEARCH.fuzzyWeight * term.length) / (term.length + distance)]);
  }
  return terms;
}

/** BM25+ of one term in every document that has it, added to `scores` for word `word`. */
function addTerm(
  ranking: Ranking,
  term: number,
  weight: number,
  word: number,
  scores: Scores,
): void {
  const { k, b, d } = SEARCH.bm25;
  const n = ranking.documentCount;
  const reader = new VarintReader(ranking.postings, ranking.starts[term]);
  const fields = reader.read();
  for (let f = 0; f < fields; f++) {
    const field = reader.read();
    const documents = reader.read();
    const idf = Math.log(1 + (n - documents + 0.5) / (documents + 0.5));
    const boost = weight * SEARCH.boosts[field]! * idf;
    const average = ranking.averageFieldLength[field]!;
    let id = -1;
    for (let i = 0; i < documents; i++) {
      id += reader.read() + 1;
      const frequency = reader.read() + 1;
      const length = ranking.fieldLengths[id * FIELDS.length + field]!;
      const relevance = (frequency * (k + 1)) / (frequency + k * (1 - b + (b * length) / average));
      scores.sum[id]! += boost * (d + relevance);
      if (scores.lastWord[id] === word) continue;
      scores.lastWord[id] = word;
      if (scores.words[id]!++ === 0) scores.hits[scores.hitCount++] = id;
    }
  }
}

/** The kept hits, each scored as minisearch does: the sum times the number of words it has. */
function collect(scores: Scores, wordCount: number, keep: (id: number) => boolean): Ranked {
  const ids: number[] = [];
  let topScore = 0;
  for (let i = 0; i < scores.hitCount; i++) {
    const id = scores.hits[i]!;
    if (!keep(id)) continue;
    ids.push(id);
    topScore = Math.max(topScore, scores.sum[id]! * scores.words[id]!);
  }
  const entry = (id: number) => ({
    id,
    score: scores.sum[id]! * scores.words[id]!,
    all: scores.words[id]! >= wordCount,
  });
  return {
    total: ids.length,
    topScore,
    matches: (id) => scores.words[id]! > 0 && keep(id),
    best: (count) => bestOf(ids.map(entry), count).map(({ id, score }) => ({ id, score })),
  };
}

type Entry = { readonly id: number; readonly score: number; readonly all: boolean };

function before(a: Entry, b: Entry): boolean {
  if (a.all !== b.all) return a.all;
  if (a.score !== b.score) return a.score > b.score;
  return a.id < b.id;
}

/** The first `count` entries in order, without sorting them all (a query may match most tools). */
function bestOf(entries: readonly Entry[], count: number): Entry[] {
  if (count < 1) return [];
  if (count >= entries.length) return [...entries].sort((a, b) => (before(a, b) ? -1 : 1));
  const top: Entry[] = [];
  for (const entry of entries) {
    if (top.length === count && !before(entry, top[count - 1]!)) continue;
    let at = top.length === count ? count - 1 : top.length;
    while (at > 0 && before(entry, top[at - 1]!)) at--;
    top.splice(at, 0, entry);
    if (top.length > count) top.pop();
  }
  return top;
}
