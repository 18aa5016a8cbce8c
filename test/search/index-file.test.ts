import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  documentsOfIndex,
  parseSearchIndex,
  renderSearchIndex,
} from "../../src/search/index-file.js";
import { rank } from "../../src/search/rank.js";
import { searchTree } from "../../src/search/index.js";
import { VarintWriter } from "../../src/search/varint.js";
import { tempProject } from "../config/temp.js";
import { doc, DOCUMENTS, searchTreeProject } from "./tree.js";

describe("the search index file", () => {
  it("is the same bytes for the same documents, and changes with them", () => {
    const once = renderSearchIndex(DOCUMENTS);
    expect(renderSearchIndex(DOCUMENTS.map((d) => ({ ...d })))).toBe(once);
    expect(renderSearchIndex(DOCUMENTS.slice(1))).not.toBe(once);
    expect(once.endsWith("}\n")).toBe(true);
  });

  it("is kept as it is when the documents are the same, and made anew when they are not", () => {
    const once = renderSearchIndex(DOCUMENTS);
    // A marker in the ranking line: kept means the earlier text came back, not a rebuilt one.
    const earlier = once.replace('"terms":[', '"terms" :[');
    expect(renderSearchIndex(DOCUMENTS, earlier)).toBe(earlier);
    expect(renderSearchIndex(DOCUMENTS.slice(1), earlier)).toBe(
      renderSearchIndex(DOCUMENTS.slice(1)),
    );
    const retitled = DOCUMENTS.map((d, i) => (i === 3 ? { ...d, summary: "Another line." } : d));
    expect(renderSearchIndex(retitled, earlier)).toBe(renderSearchIndex(retitled));
    expect(renderSearchIndex(DOCUMENTS, "not an index")).toBe(once);
  });

  it("gives back every document it was rendered from", () => {
    expect(documentsOfIndex(renderSearchIndex(DOCUMENTS))).toEqual(DOCUMENTS);
    expect(documentsOfIndex(renderSearchIndex([]))).toEqual([]);
    expect(documentsOfIndex("{oops")).toBeUndefined();
  });

  it("is read again when it changes on disk", async () => {
    const project = searchTreeProject();
    expect((await searchTree(project, "get_forecast")).total).toBeGreaterThan(0);
    writeFileSync(
      path.join(project, "servers/search-index.json"),
      renderSearchIndex([doc("other", "ping", "ping", "Ping.")]),
    );
    const results = await searchTree(project, "ping");
    expect(results.hits.map((hit) => hit.server)).toEqual(["other"]);
  });

  // The file's lines: the names, the ranking, then one line of details a tool.
  const [head, ranking, ...details] = renderSearchIndex(DOCUMENTS).slice(0, -1).split("\n");
  const good = JSON.parse(head!) as Record<string, unknown>;
  const goodRanking = JSON.parse(ranking!) as Record<string, unknown>;
  const file = (lines: { head?: object; ranking?: unknown; details?: string[] }) =>
    `${[JSON.stringify(lines.head ?? good), JSON.stringify(lines.ranking ?? goodRanking), ...(lines.details ?? details)].join("\n")}\n`;
  const withHead = (change: Record<string, unknown>) => file({ head: { ...good, ...change } });
  const withFirstTool = (key: string, value: unknown) =>
    withHead({ [key]: [value, ...(good[key] as unknown[]).slice(1)] });
  const withServerDir = (dir: string) =>
    withHead({ servers: (good.servers as string[][]).map(([name]) => [name, dir]) });
  const withRanking = (change: Record<string, unknown>) =>
    file({ ranking: { ...goodRanking, ...change } });
  /** Postings of one term, written as given (the numbers of a field block, see ranking.ts). */
  const postings = (...numbers: number[]) => {
    const writer = new VarintWriter();
    for (const n of numbers) writer.write(n);
    return Buffer.from(writer.finish()).toString("base64");
  };
  const oneTerm = (...numbers: number[]) =>
    withRanking({ terms: ["fil"], postings: postings(...numbers) });
  const others = renderSearchIndex(DOCUMENTS.slice(1)).split("\n");

  it.each([
    ["not JSON", "{oops", /is not JSON/],
    ["JSON that is not an object", "[1, 2]", /is not an object/],
    ["another format", withHead({ format: 99 }), /has index format 99, not 2/],
    [
      "an index of the format before",
      JSON.stringify({ format: 1, documents: [] }),
      /format 1, not 2/,
    ],
    ["no documents", withHead({ tool: "x" }), /has no list of tools/],
    ["lists of tools of different lengths", withHead({ identifier: [] }), /different lengths/],
    ["a document without a name", withFirstTool("tool", ""), /broken entry for tool 1/],
    ["a tool of a server not listed", withFirstTool("server", 99), /broken entry for tool 1/],
    ["a server position that is not one", withFirstTool("server", "0"), /broken entry for tool 1/],
    ["a negative server position", withFirstTool("server", -1), /broken entry for tool 1/],
    ["a fractional server position", withFirstTool("server", 0.5), /broken entry for tool 1/],
    ["an identifier that is code", withFirstTool("identifier", "a } from 'x'; //"), /broken entry/],
    ["a folder that climbs out", withServerDir(".."), /broken entry for tool 1/],
    ["a folder with a slash", withServerDir("a/b"), /broken entry/],
    ["fewer lines than tools", file({ details: details.slice(1) }), /broken entry for tool 8/],
    ["more lines than tools", file({ details: [...details, "{}"] }), /more entries than tools/],
    ["no ranking line", `${JSON.stringify(good)}\n`, /does not load/],
    ["an index that does not load", file({ ranking: { index: 5 } }), /does not load/],
    [
      "a ranking that is not JSON",
      `${JSON.stringify(good)}\n{oops\n${details.join("\n")}\n`,
      /does not load/,
    ],
    [
      "an index of other documents",
      `${others[0]}\n${ranking}\n${others.slice(2).join("\n")}`,
      /another number of tools/,
    ],
    [
      "field lengths of fewer tools",
      withRanking({ fieldLengths: postings(1, 2, 3) }),
      /another number/,
    ],
    [
      "an average length that is not a number",
      withRanking({ averageFieldLength: [1, 1, null, 1, 1] }),
      /does not load/,
    ],
    [
      "a negative average length",
      withRanking({ averageFieldLength: [1, 1, -1, 1, 1] }),
      /does not load/,
    ],
    [
      "an average length of 0 for a field that has terms",
      withRanking({ averageFieldLength: [0, 1, 1, 1, 1] }),
      /does not load/,
    ],
    ["terms out of order", withRanking({ terms: ["b", "a"] }), /does not load/],
    ["a term listed twice", withRanking({ terms: ["a", "a"] }), /does not load/],
    ["postings that are not text", withRanking({ postings: [1, 2] }), /does not load/],
    // One term: fields, then per field its number, its count, and (gap, count - 1) per tool.
    ["a tool position out of range", oneTerm(1, 0, 1, 8, 0), /does not load/],
    ["a tool position past the end by gaps", oneTerm(1, 0, 2, 5, 0, 5, 0), /does not load/],
    ["a field number out of range", oneTerm(1, 5, 1, 0, 0), /does not load/],
    ["fields out of order", oneTerm(2, 1, 1, 0, 0, 1, 1, 0, 0), /does not load/],
    ["a term in no field", oneTerm(0), /does not load/],
    ["a term in no tool", oneTerm(1, 0, 0), /does not load/],
    ["more tools than the index has", oneTerm(1, 0, 9, 0, 0), /does not load/],
    ["postings that stop inside a term", oneTerm(1, 0, 3, 0, 0), /does not load/],
    ["bytes after the last term", oneTerm(1, 0, 1, 0, 0, 7), /does not load/],
    [
      "fewer postings than terms",
      withRanking({ terms: ["a", "b"], postings: postings(1, 0, 1, 0, 0) }),
      /does not load/,
    ],
    [
      "a number of more than five bytes",
      withRanking({
        terms: ["a"],
        postings: Buffer.from([1, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0]).toString("base64"),
      }),
      /does not load/,
    ],
    [
      "a number that ends inside its bytes",
      withRanking({ terms: ["a"], postings: Buffer.from([1, 0, 1, 0x80]).toString("base64") }),
      /does not load/,
    ],
    [
      "a number too large",
      withRanking({
        terms: ["a"],
        postings: Buffer.from([1, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]).toString("base64"),
      }),
      /does not load/,
    ],
  ])("that holds %s is our error, naming the file and the fix", async (_title, text, problem) => {
    const project = tempProject({ "servers/search-index.json": text });
    const error = await searchTree(project, "file").catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: "SearchError", code: "SEARCH" });
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain(path.join(project, "servers/search-index.json"));
    expect((error as Error).message).toContain("run `mcp-codegen generate`");
  });

  it("that has random bytes changed in its postings is refused or searched, never a crash", () => {
    const bytes = Buffer.from(goodRanking.postings as string, "base64");
    let seed = 7;
    const next = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    let refused = 0;
    for (let round = 0; round < 300; round++) {
      const changed = Buffer.from(bytes);
      for (let i = 0; i <= next(3); i++) changed[next(changed.length)] = next(256);
      const text = withRanking({ postings: changed.toString("base64") });
      let index;
      try {
        index = parseSearchIndex(text, "search-index.json");
      } catch (error) {
        expect(error).toMatchObject({ name: "SearchError" });
        refused++;
        continue;
      }
      for (const query of ["file", "read text", "wether", "fil"]) {
        const ranked = rank(index.ranking, query);
        expect(ranked.best(10).length).toBeLessThanOrEqual(ranked.total);
        expect(ranked.total).toBeLessThanOrEqual(DOCUMENTS.length);
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it("checks a tool's details when a hit shows them, and only then", async () => {
    // Tool 3 (files.read_file) has parameters that are not objects.
    const broken = [...details];
    broken[2] = JSON.stringify({ summary: "Read.", description: "", parameters: [1] });
    const project = tempProject({ "servers/search-index.json": file({ details: broken }) });
    const names = await searchTree(project, "read file", { detail: "name" });
    expect(names.hits.map((hit) => hit.tool)).toContain("read_file");
    expect((await searchTree(project, "forecast")).hits[0]!.tool).toBe("get_forecast");
    await expect(searchTree(project, "read file")).rejects.toThrow(
      /search-index\.json has a broken entry for tool 3, so tools cannot be searched; run `mcp-codegen generate`/,
    );
    for (const line of [
      "{oops",
      "[]",
      JSON.stringify({ summary: 1, description: "", parameters: [] }),
    ]) {
      broken[2] = line;
      const again = tempProject({ "servers/search-index.json": file({ details: broken }) });
      await expect(searchTree(again, "select:files.read_file")).rejects.toThrow(
        /broken entry for tool 3/,
      );
    }
  });

  it("that is missing is our error saying to generate", async () => {
    const project = tempProject({ "servers/README.md": "# servers\n" });
    await expect(searchTree(project, "file")).rejects.toThrow(
      /search-index\.json is missing, so tools cannot be searched; run `mcp-codegen generate`/,
    );
  });

  it("keeps names such as __proto__ as plain data", async () => {
    const project = searchTreeProject([
      doc("__proto__", "constructor", "constructor", "Tool named constructor."),
      doc("toString", "__proto__", "proto", "Tool named __proto__."),
    ]);
    const byName = await searchTree(project, "__proto__.constructor");
    expect(byName.hits.map((h) => [h.server, h.tool])[0]).toEqual(["__proto__", "constructor"]);
    const tool = await searchTree(project, "select:__proto__,hasOwnProperty");
    expect(tool.hits.map((h) => h.tool)).toEqual(["__proto__"]);
    expect(tool.unknown).toEqual(["hasOwnProperty"]);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it("drops what a document holds beyond its fields", async () => {
    const first = details[0]!.replace("{", '{"__proto__":{"polluted":true},"extra":"x",');
    const project = tempProject({
      "servers/search-index.json": file({ details: [first, ...details.slice(1)] }),
    });
    const results = await searchTree(project, "select:mail.send_email");
    expect(results.hits[0]).toMatchObject({ description: "Send an email message to recipients." });
    expect(Object.keys(results.hits[0]!)).not.toContain("extra");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
