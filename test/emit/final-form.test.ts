/**
 * The catalogs and the summaries are written in their final form instead of being run through
 * prettier (it costs a second a thousand tools): hold them to prettier's own output, including
 * names and shapes long enough to make prettier break lines, and servers split into parts.
 */
import * as path from "node:path";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { renderCatalog } from "../../src/emit/catalog.js";
import { outlineServer } from "../../src/emit/outline.js";
import { renderServerCatalog } from "../../src/emit/server-catalog.js";
import { renderSummary } from "../../src/emit/summary.js";
import type { ToolDefinition } from "../../src/introspect/snapshot.js";
import { readSnapshotFile } from "../../src/introspect/snapshot-file.js";
import { buildModel } from "../../src/model/build.js";
import { manyTools } from "../../fixtures/servers/lib/many-tools-list.mjs";
import { SNAPSHOTS } from "./tree.js";

const long = "a_very_long_tool_name_that_keeps_going_and_going_until_the_cap";
const tools: ToolDefinition[] = [
  { name: "get", description: "Get a thing. More text.", inputSchema: { type: "object" } },
  {
    name: long,
    description: "A *bold* _claim_ with `code`, <b>html</b>, [a](link) and a # hash.",
    inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
    outputSchema: { type: "object", properties: { ok: { type: "boolean" } } },
  },
  { name: `${long}_2`, inputSchema: { type: "object" }, outputSchema: { type: "object" } },
  { name: "x", title: "Only a title", inputSchema: { type: "object" } },
];
const model = buildModel([
  {
    name: "server-with-a-long-name",
    info: { name: "Example server", version: "1.2.3" },
    instructions: "Use it well.\nSecond line.",
    tools,
    skipped: [],
  },
]);
const server = model.servers[0]!;

const TS_OPTIONS = { parser: "typescript", printWidth: 100, trailingComma: "all" } as const;
const MD_OPTIONS = { parser: "markdown", printWidth: 100, proseWrap: "preserve" } as const;

// Enough tools for several summary parts and two catalog pages, of every fixture shape.
const huge = buildModel([
  {
    name: "huge",
    info: { name: "fixture-many-tools", version: "1.0.0" },
    tools: manyTools(1200) as ToolDefinition[],
    skipped: [],
  },
]).servers[0]!;
const shapes = buildModel(
  (await readSnapshotFile(path.join(SNAPSHOTS, "summary-fields.json"))).servers,
).servers[0]!;

describe("files written in final form", () => {
  it.each([
    ["a long-named server", server],
    ["a server of odd shapes", shapes],
    ["a server in parts", huge],
  ])("summary parts of %s are byte-identical to prettier's formatting", async (_, subject) => {
    const parts = renderSummary(subject, new Set());
    if (subject === huge) expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.contents).toContain("): Promise<"); // a broken line is part of the case
      expect(part.contents, part.file).toBe(await format(part.contents, TS_OPTIONS));
    }
  });

  it.each([
    ["a long-named server", server],
    ["a server in pages", huge],
  ])("catalog pages of %s are byte-identical to prettier's formatting", async (_, subject) => {
    const pages = renderServerCatalog(outlineServer(subject), renderSummary(subject, new Set()));
    if (subject === huge) expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page.contents, page.path).toBe(await format(page.contents, MD_OPTIONS));
    }
  });

  it("README.md is byte-identical to prettier's formatting of it, with and without tools", async () => {
    const catalog = renderCatalog([outlineServer(server), outlineServer(huge)]);
    expect(catalog).toContain("- `get`: Get a thing.");
    expect(catalog).toContain("Its tools, in 2 pages: `huge/README.md` first.");
    expect(catalog).toBe(await format(catalog, MD_OPTIONS));
  });
});

describe("prettier's oxc parser", () => {
  it("formats generated files exactly as its typescript parser does", async () => {
    const { default: fg } = await import("fast-glob");
    const { readFileSync } = await import("node:fs");
    const files = await fg("test/golden/*/servers/**/*.ts", { cwd: process.cwd() });
    expect(files.length).toBeGreaterThan(50);
    for (const file of files.sort()) {
      const source = readFileSync(file, "utf8");
      const options = { parser: "typescript", printWidth: 100, trailingComma: "all" } as const;
      expect({ file, source: await format(source, options) }).toEqual({ file, source });
    }
  });
});
