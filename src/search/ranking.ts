/**
 * The ranking part of the search index, compact: minisearch builds the index at generation
 * time, and what a query needs of it (the terms, each term's postings, the fields' lengths)
 * is written as a sorted term list and varint bytes rather than as minisearch's JSON, which
 * costs a fresh process ~600 ms at 10,000 tools to parse and load into Maps. Loading this
 * decodes the bytes once (checking every number); postings stay bytes, read by `rank.ts` per
 * query. Terms are found by binary search (a word, and a word's beginning); minisearch's
 * `SearchableMap`, the radix tree its typo lookup walks, costs ~45 ms to build at 10,000
 * tools, so it is built for the first query that has a typo (`typoLookup`).
 */
import SearchableMap from "minisearch/SearchableMap";
import { compareCodeUnits } from "../compare.js";
import type { SearchDocument } from "./documents.js";
import { buildEngine, FIELDS, type Engine } from "./engine.js";
import { VarintError, VarintReader, VarintWriter } from "./varint.js";

/** A loaded ranking: what `rank` reads. */
export interface Ranking {
  readonly documentCount: number;
  /** Per field (`FIELDS` order), its average length in terms. */
  readonly averageFieldLength: readonly number[];
  /** Document `d`'s length in field `f` at `d * FIELDS.length + f`. */
  readonly fieldLengths: Uint32Array;
  /** Every term, in code-unit order; a term's number is its position here. */
  readonly terms: readonly string[];
  /**
   * Per term: how many fields have it; per such field, its number, how many documents, and
   * per document the gap from the previous one (minus one) and the term's count (minus one).
   */
  readonly postings: Uint8Array;
  /** Where each term's postings start (and, last, where they end). */
  readonly starts: Uint32Array;
}

/** The number of the first term not before `word` (the terms' count when there is none). */
export function firstTermFrom(ranking: Ranking, word: string): number {
  let low = 0;
  let high = ranking.terms.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ranking.terms[middle]! < word) low = middle + 1;
    else high = middle;
  }
  return low;
}

const typoLookups = new WeakMap<Ranking, SearchableMap<number>>();

/** The terms as a radix tree (term → number) for typo lookups, built once per ranking. */
export function typoLookup(ranking: Ranking): SearchableMap<number> {
  let lookup = typoLookups.get(ranking);
  if (lookup === undefined) {
    lookup = SearchableMap.from(ranking.terms.map((term, i) => [term, i])) as SearchableMap<number>;
    typoLookups.set(ranking, lookup);
  }
  return lookup;
}

/** The ranking as the index file holds it (JSON). */
export interface RankingData {
  readonly averageFieldLength: readonly number[];
  /** Base64 of the varints of `Ranking.fieldLengths`. */
  readonly fieldLengths: string;
  /** In code-unit order: the same bytes whatever order the tools added them in. */
  readonly terms: readonly string[];
  /** Base64 of `Ranking.postings`. */
  readonly postings: string;
}

/** What this reads of minisearch 7.2's fields (pinned: a test holds our scores to its search). */
interface EngineFields {
  readonly _index: Iterable<[string, Map<number, Map<number, number>>]>;
  readonly _fieldLength: Map<number, number[]>;
  readonly _avgFieldLength: number[];
  readonly _documentCount: number;
}

/** The ranking data of an index minisearch built over documents `0…n-1`. */
export function rankingData(engine: Engine): RankingData {
  const e = engine as unknown as EngineFields;
  const entries = [...e._index].sort(([a], [b]) => compareCodeUnits(a, b));
  const postings = new VarintWriter();
  for (const [, fields] of entries) {
    const present = [...fields].filter(([, documents]) => documents.size > 0);
    postings.write(present.length);
    for (const [field, documents] of present.sort(([a], [b]) => a - b)) {
      postings.write(field);
      postings.write(documents.size);
      writeDocuments(postings, documents);
    }
  }
  const lengths = new VarintWriter();
  for (let id = 0; id < e._documentCount; id++) {
    for (let field = 0; field < FIELDS.length; field++) {
      lengths.write(e._fieldLength.get(id)?.[field] ?? 0);
    }
  }
  return {
    averageFieldLength: FIELDS.map((_, field) => e._avgFieldLength[field] ?? 0),
    fieldLengths: base64(lengths.finish()),
    terms: entries.map(([term]) => term),
    postings: base64(postings.finish()),
  };
}

/**
 * A field's (position, count) pairs as (gap - 1, count - 1). minisearch adds the tools in
 * order, so their positions come ascending; sorted only if they ever do not.
 */
function writeDocuments(postings: VarintWriter, documents: Map<number, number>): void {
  let previous = -1;
  for (const id of documents.keys()) {
    if (id <= previous) return writeDocumentsSorted(postings, documents);
    previous = id;
  }
  previous = -1;
  for (const [id, count] of documents) {
    postings.write(id - previous - 1);
    postings.write(count - 1);
    previous = id;
  }
}

function writeDocumentsSorted(postings: VarintWriter, documents: Map<number, number>): void {
  writeDocuments(postings, new Map([...documents].sort(([a], [b]) => a - b)));
}

/** The ranking of `documents`, built in memory (for skills, which have no index file). */
export function buildRanking(documents: readonly SearchDocument[]): Ranking {
  const ranking = loadRanking(rankingData(buildEngine(documents)), documents.length);
  if (typeof ranking === "string") throw new Error(`a ranking just built ${ranking}`);
  return ranking;
}

/**
 * `data` (untrusted, from the index file) loaded for `documentCount` documents, or what is
 * wrong with it. Every number is checked here, once, so that `rank` never meets a position
 * out of range, a count that runs past the bytes or a number that is not one.
 */
export function loadRanking(data: unknown, documentCount: number): Ranking | string {
  if (typeof data !== "object" || data === null) return "holds an index that does not load";
  const { averageFieldLength, fieldLengths, terms, postings } = data as Record<string, unknown>;
  if (
    !Array.isArray(averageFieldLength) ||
    averageFieldLength.length !== FIELDS.length ||
    !averageFieldLength.every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0) ||
    typeof fieldLengths !== "string" ||
    !Array.isArray(terms) ||
    !terms.every(
      (term, i) => typeof term === "string" && term !== "" && (i === 0 || terms[i - 1] < term),
    ) ||
    typeof postings !== "string"
  ) {
    return "holds an index that does not load";
  }
  try {
    const lengths = decodeFieldLengths(fromBase64(fieldLengths), documentCount);
    if (lengths === undefined) return "indexes another number of tools than it lists";
    const bytes = fromBase64(postings);
    const { starts, fields } = checkPostings(bytes, terms.length, documentCount);
    // A field some tool has a term in has a length: a 0 would make every score NaN.
    if (fields.some((field) => averageFieldLength[field] === 0)) {
      return "holds an index that does not load";
    }
    return {
      documentCount,
      averageFieldLength: averageFieldLength as number[],
      fieldLengths: lengths,
      terms: terms as string[],
      postings: bytes,
      starts,
    };
  } catch (error) {
    if (error instanceof VarintError) return "holds an index that does not load";
    throw error;
  }
}

/** The lengths, or undefined when the bytes hold another number of documents. */
function decodeFieldLengths(bytes: Uint8Array, documentCount: number): Uint32Array | undefined {
  const lengths = new Uint32Array(documentCount * FIELDS.length);
  const reader = new VarintReader(bytes);
  let i = 0;
  while (!reader.done) {
    if (i === lengths.length) return undefined;
    lengths[i++] = reader.read();
  }
  return i === lengths.length ? lengths : undefined;
}

/**
 * Where each term's postings start, after reading them all: fields ascending and known,
 * counts of at least one document and at most all, positions strictly increasing below
 * `documentCount`, and the bytes ending exactly after the last term. Any other shape is a
 * `VarintError`; every loop is bounded by the bytes it reads. Also which fields are used.
 */
function checkPostings(
  bytes: Uint8Array,
  termCount: number,
  documentCount: number,
): { starts: Uint32Array; fields: number[] } {
  const starts = new Uint32Array(termCount + 1);
  const used = new Set<number>();
  const reader = new VarintReader(bytes);
  const fail = (problem: string) => {
    throw new VarintError(problem);
  };
  for (let term = 0; term < termCount; term++) {
    starts[term] = reader.position;
    const fields = reader.read();
    if (fields < 1 || fields > FIELDS.length) fail("a term's field count is out of range");
    let field = -1;
    for (let f = 0; f < fields; f++) {
      const next = reader.read();
      if (next <= field || next >= FIELDS.length) fail("a field number is out of order");
      field = next;
      used.add(field);
      const documents = reader.read();
      if (documents < 1 || documents > documentCount) fail("a document count is out of range");
      let id = -1;
      for (let d = 0; d < documents; d++) {
        id += reader.read() + 1;
        if (id >= documentCount) fail("a tool's position is out of range");
        reader.read();
      }
    }
  }
  if (!reader.done) fail("bytes follow the last term");
  starts[termCount] = reader.position;
  return { starts, fields: [...used] };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function fromBase64(text: string): Uint8Array {
  return Buffer.from(text, "base64");
}
