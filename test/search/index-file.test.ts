import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { renderSearchIndex } from "../../src/search/index-file.js";
import { buildEngine, serializeEngine } from "../../src/search/engine.js";
import { searchTree } from "../../src/search/index.js";
import { tempProject } from "../config/temp.js";
import { doc, DOCUMENTS, searchTreeProject } from "./tree.js";

describe("the search index file", () => {
  it("is the same bytes for the same documents, and changes with them", () => {
    const once = renderSearchIndex(DOCUMENTS);
    expect(renderSearchIndex(DOCUMENTS.map((d) => ({ ...d })))).toBe(once);
    expect(renderSearchIndex(DOCUMENTS.slice(1))).not.toBe(once);
    expect(once.endsWith("}\n")).toBe(true);
  });

  it("holds the index exactly as minisearch's own toJSON would", () => {
    const engine = buildEngine(DOCUMENTS);
    const file = JSON.parse(renderSearchIndex(DOCUMENTS)) as { index: unknown };
    expect(file.index).toEqual(JSON.parse(JSON.stringify(engine.toJSON())));
    expect(JSON.parse(serializeEngine(engine))).toEqual(
      JSON.parse(JSON.stringify(engine.toJSON())),
    );
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

  const good = JSON.parse(renderSearchIndex(DOCUMENTS)) as Record<string, unknown>;
  const documents = good.documents as Array<Record<string, unknown>>;
  const withDocument = (change: Record<string, unknown>) =>
    JSON.stringify({ ...good, documents: [{ ...documents[0], ...change }, ...documents.slice(1)] });

  it.each([
    ["not JSON", "{oops", /is not JSON/],
    ["JSON that is not an object", "[1, 2]", /is not an object/],
    ["another format", JSON.stringify({ ...good, format: 99 }), /has index format 99, not 1/],
    ["no documents", JSON.stringify({ ...good, documents: "x" }), /has no list of tools/],
    ["a document without a name", withDocument({ tool: "" }), /broken entry for tool 1/],
    [
      "an identifier that is code",
      withDocument({ identifier: "a } from 'x'; //" }),
      /broken entry/,
    ],
    ["a folder that climbs out", withDocument({ dir: ".." }), /broken entry/],
    ["a folder with a slash", withDocument({ dir: "a/b" }), /broken entry/],
    ["a parameter that is not an object", withDocument({ parameters: [1] }), /broken entry/],
    [
      "an index that does not load",
      JSON.stringify({ ...good, index: { index: 5 } }),
      /does not load/,
    ],
    [
      "an index of other documents",
      JSON.stringify({ ...good, documents: documents.slice(1) }),
      /another number of tools/,
    ],
  ])("that holds %s is our error, naming the file and the fix", async (_title, text, problem) => {
    const project = tempProject({ "servers/search-index.json": text });
    const error = await searchTree(project, "file").catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: "SearchError", code: "SEARCH" });
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain(path.join(project, "servers/search-index.json"));
    expect((error as Error).message).toContain("run `mcp-codegen generate`");
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
    const text = withDocument({ __proto__: { polluted: true }, extra: "x" }).replace(
      '"extra"',
      '"__proto__":{"polluted":true},"extra"',
    );
    const project = tempProject({ "servers/search-index.json": text });
    const results = await searchTree(project, "select:mail.send_email");
    expect(Object.keys(results.hits[0]!)).not.toContain("extra");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
