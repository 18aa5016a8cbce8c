/**
 * `npm run bench:search`: tool search over 10,000 synthetic tools (names from verbs and nouns,
 * a sentence of description, four parameters with descriptions). Measured in one run: building
 * the index (what `generate` does), loading the serialized index from its file (what a search
 * in a fresh process does: read, parse, check, load), and the median query through
 * `searchTree` against a linear scan of the same documents (every query word as a substring
 * of a tool's text). Targets: index ready (loaded) under 200 ms, median query under 5 ms.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { SearchDocument } from "../src/search/documents.js";
import { buildEngine } from "../src/search/engine.js";
import { parseSearchIndex, renderSearchIndex } from "../src/search/index-file.js";
import { searchTree } from "../src/search/index.js";
import { median } from "./median.js";

const TOOLS = Number(process.env.BENCH_TOOLS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const READY_TARGET_MS = 200;
const QUERY_TARGET_MS = 5;

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
const WORDS = Array.from({ length: 4000 }, (_, i) =>
  [i % 18, Math.floor(i / 18) % 18, Math.floor(i / 324) % 18].map((k) => SYLLABLES[k]).join(""),
);
const word = () =>
  random() < 0.3 ? pick([...VERBS, ...NOUNS]) : WORDS[Math.floor(WORDS.length * random() ** 3)]!;
const sentence = (words: number) => Array.from({ length: words }, word).join(" ");

function syntheticDocuments(count: number): SearchDocument[] {
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

const QUERIES = [
  "send message",
  "create invoice for customer",
  "list files",
  "searching documents",
  "delete branch",
  "exprot invoice", // a typo
  "deploymnt secret",
  "meeting notes",
  "archive",
  "update ticket comment",
  `${WORDS[5]} ${WORDS[700]}`,
];

/** The reference: every query word a substring of the tool's text (lower case), counted. */
function linearScan(documents: readonly SearchDocument[]): (query: string) => number {
  const texts = documents.map((d) =>
    [
      d.server,
      d.tool,
      d.identifier,
      d.summary,
      d.description,
      ...d.parameters.flatMap((p) => [p.name, p.description]),
    ]
      .join(" ")
      .toLowerCase(),
  );
  return (query) => {
    const words = query.toLowerCase().split(/\s+/);
    let count = 0;
    for (const text of texts) if (words.every((w) => text.includes(w))) count++;
    return count;
  };
}

/**
 * Wall time and this process's CPU time, ms. The machine is shared: wall time includes waiting
 * for a core, CPU time is the work itself; both are printed, the targets are judged on CPU.
 */
interface Took {
  readonly wall: number;
  readonly cpu: number;
}

async function took<T>(run: () => T | Promise<T>): Promise<[Took, T]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return [{ wall, cpu: (used.user + used.system) / 1000 }, value];
}

const medians = (all: readonly Took[]): Took => ({
  wall: median(all.map((t) => t.wall)),
  cpu: median(all.map((t) => t.cpu)),
});

const documents = syntheticDocuments(TOOLS);
// Exact names too: one tool by its name alone, one by `select:`.
QUERIES.push(documents[42]!.tool, `select:${documents[7]!.server}.${documents[7]!.tool}`);
const dir = mkdtempSync(path.join(tmpdir(), "mcp-codegen-search-bench-"));
mkdirSync(path.join(dir, "servers"));
const file = path.join(dir, "servers", "search-index.json");
try {
  const builds: Took[] = [];
  const renders: Took[] = [];
  const loads: Took[] = [];
  let text = "";
  for (let round = 0; round < ROUNDS; round++) {
    builds.push((await took(() => buildEngine(documents)))[0]);
    const [renderTook, rendered] = await took(() => renderSearchIndex(documents));
    renders.push(renderTook);
    text = rendered;
    writeFileSync(file, text);
    // A fresh process's search: read the file, parse and check it, load the index.
    loads.push((await took(() => parseSearchIndex(readFileSync(file, "utf8"), file)))[0]);
  }

  const scan = linearScan(documents);
  await searchTree(dir, "warm up");
  const searches: Took[] = [];
  const scans: Took[] = [];
  const totals: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const query of QUERIES) {
      const [searchTook, results] = await took(() => searchTree(dir, query));
      const [scanTook, scanned] = await took(() => scan(query));
      searches.push(searchTook);
      scans.push(scanTook);
      if (round === 0) totals.push(`| ${query} | ${results.total} | ${scanned} |`);
    }
  }

  const build = medians(builds);
  const ready = medians(loads);
  const query = medians(searches);
  const linear = medians(scans);
  const row = (step: string, t: Took, digits = 1) =>
    console.log(`| ${step} | ${t.wall.toFixed(digits)} | ${t.cpu.toFixed(digits)} |`);
  console.log(
    `tool search, node ${process.version}, ${TOOLS} synthetic tools, ${ROUNDS} rounds, ${QUERIES.length} queries; medians`,
  );
  console.log("| step | wall ms | CPU ms |");
  console.log("| --- | ---: | ---: |");
  row("build the index (generate)", build);
  row("build and serialize the file (generate)", medians(renders));
  row(`index ready: read, check and load the file (${(text.length / 1e6).toFixed(1)} MB)`, ready);
  row("query (searchTree, summary detail)", query, 2);
  row("linear substring scan (reference)", linear, 2);
  console.log(
    `\nquery / linear scan: ${(query.cpu / linear.cpu).toFixed(2)} (CPU); load / build: ${(ready.cpu / build.cpu).toFixed(2)}`,
  );
  console.log("\n| query | matched (search) | matched (substring scan) |\n| --- | ---: | ---: |");
  for (const line of totals) console.log(line);
  const readyOk = ready.cpu < READY_TARGET_MS;
  const queryOk = query.cpu < QUERY_TARGET_MS;
  console.log(
    `\nindex ready under ${READY_TARGET_MS} ms (CPU): ${readyOk ? "yes" : "NO"}; median query under ${QUERY_TARGET_MS} ms (CPU): ${queryOk ? "yes" : "NO"}`,
  );
  process.exitCode = readyOk && queryOk ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
