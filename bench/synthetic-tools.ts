/**
 * Synthetic tool documents for the search bench (and the ranking tests): names from verbs and
 * nouns, a sentence of description, four parameters with descriptions, from a fixed seed.
 */
import type { SearchDocument } from "../src/search/documents.js";

const VERBS =
  "get list create update delete send read write search find move copy sync archive export import".split(
    " ",
  );
const NOUNS = (
  "file folder user team message mail issue comment branch commit release order invoice " +
  "customer project task page database table row report chart image event meeting note label " +
  "channel document record ticket deployment secret"
).split(" ");

let seed = 42;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/**
 * The rest of the vocabulary: 4,000 made-up words, drawn with a skew (a few common, most
 * rare), as the words of real tool descriptions are. A vocabulary of a few dozen words would
 * put every word in every tool and measure nothing but the worst case.
 */
const SYLLABLES = "ka lo mi nu pe ra si to vu wa xe yo za be co da fi gu".split(" ");
export const WORDS = Array.from({ length: 4000 }, (_, i) =>
  [i % 18, Math.floor(i / 18) % 18, Math.floor(i / 324) % 18].map((k) => SYLLABLES[k]).join(""),
);
const word = () =>
  random() < 0.3 ? pick([...VERBS, ...NOUNS]) : WORDS[Math.floor(WORDS.length * random() ** 3)]!;
const sentence = (words: number) => Array.from({ length: words }, word).join(" ");

export function syntheticDocuments(count: number): SearchDocument[] {
  return Array.from({ length: count }, (_, i) => {
    const server = `server${String(i % 50).padStart(2, "0")}`;
    const tool = `${pick(VERBS)}_${pick(NOUNS)}_${pick(NOUNS)}_${i}`;
    const identifier = tool.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
    const summary = `${sentence(10)}.`;
    return {
      server,
      tool,
      identifier,
      dir: server,
      summary,
      description: `${summary} ${sentence(15)}.`,
      parameters: Array.from({ length: 4 }, () => ({
        name: `${pick(NOUNS)}_${pick(NOUNS)}`,
        description: sentence(6),
      })),
    };
  });
}
