import { describe, expect, it } from "vitest";
import { syntheticDocuments, WORDS } from "../../bench/synthetic-tools.js";
import type { SearchDocument } from "../../src/search/documents.js";
import {
  buildEngine,
  FIELDS,
  SEARCH,
  stem,
  tokenize,
  type Engine,
} from "../../src/search/engine.js";
import { rank } from "../../src/search/rank.js";
import { buildRanking } from "../../src/search/ranking.js";
import { DOCUMENTS } from "./tree.js";

/** The ranking as minisearch's own `search` makes it, with the options `SEARCH` stands for. */
function minisearchScores(engine: Engine, query: string): Map<number, number> {
  const words = new Set(tokenize(query).flatMap((token) => stem(token) ?? []));
  const options = {
    boost: Object.fromEntries(FIELDS.map((field, i) => [field, SEARCH.boosts[i]!])),
    prefix: (term: string) => term.length >= SEARCH.prefixFrom,
    combineWith: "OR" as const,
  };
  let results = engine.search(query, options);
  const found = new Set(results.flatMap((result) => result.queryTerms));
  const unmatched = [...words].filter((w) => !found.has(w) && w.length >= SEARCH.fuzzyFrom);
  if (unmatched.length > 0) {
    const fuzzy = (term: string) => (unmatched.includes(term) ? SEARCH.fuzzy : false);
    results = engine.search(query, { ...options, fuzzy });
  }
  return new Map(results.map((result) => [Number(result.id), result.score]));
}

const SYNTHETIC = syntheticDocuments(400);

const CASES: Array<[string, readonly SearchDocument[], string[]]> = [
  [
    "the test tools",
    DOCUMENTS,
    ["emails", "sending email", "directory", "forcast", "wheather forecats", "forec", "zz"],
  ],
  [
    "400 synthetic tools",
    SYNTHETIC,
    [
      "send message",
      "create invoice for customer",
      "list files",
      "searching documents",
      "exprot invoice",
      "deploymnt secret",
      "update ticket comment ticket",
      `${WORDS[5]} ${WORDS[700]}`,
      SYNTHETIC[42]!.tool,
      "nothing matches qqqqqq",
    ],
  ],
];

describe.each(CASES)("the ranking over %s", (_title, documents, queries) => {
  const engine = buildEngine(documents);
  const ranking = buildRanking(documents);

  it.each(queries)("scores %j as minisearch's own search does", (query) => {
    const expected = minisearchScores(engine, query);
    const ranked = rank(ranking, query);
    const all = ranked.best(documents.length);
    expect(ranked.total).toBe(expected.size);
    expect(all.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      [...expected.keys()].sort((a, b) => a - b),
    );
    for (const { id, score } of all) expect(score).toBeCloseTo(expected.get(id)!, 9);
  });

  it.each(queries)("gives the best of %j as the first of the whole order", (query) => {
    const ranked = rank(ranking, query);
    const all = ranked.best(documents.length);
    expect(ranked.best(5)).toEqual(all.slice(0, 5));
    expect(ranked.best(0)).toEqual([]);
    expect(ranked.topScore).toBe(Math.max(0, ...all.map((r) => r.score)));
  });
});

describe("the ranking's order", () => {
  const ranking = buildRanking(DOCUMENTS);

  it("puts tools with every word first, then by score, ties by position", () => {
    const all = rank(ranking, "read text file").best(DOCUMENTS.length);
    const names = all.map((r) => DOCUMENTS[r.id]!.tool);
    expect(names[0]).toBe("read_file");
    expect(names).toContain("write_file");
  });

  it("keeps only the documents `keep` accepts, in its total too", () => {
    const mail = (id: number) => DOCUMENTS[id]!.server === "mail";
    const ranked = rank(ranking, "message folder", mail);
    expect(ranked.best(10).every((r) => mail(r.id))).toBe(true);
    expect(ranked.total).toBe(ranked.best(10).length);
    expect(ranked.matches(2)).toBe(false);
  });
});
