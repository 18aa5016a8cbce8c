/**
 * The catalog and the summaries are written in their final form instead of being run through
 * prettier (it costs a second a thousand tools): hold them to prettier's own output, including
 * names long enough to make prettier break a line.
 */
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { renderCatalog } from "../../src/emit/catalog.js";
import { outlineServer } from "../../src/emit/outline.js";
import { renderSummary } from "../../src/emit/summary.js";
import type { ToolDefinition } from "../../src/introspect/snapshot.js";
import { buildModel } from "../../src/model/build.js";

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

describe("files written in final form", () => {
  it("summary.d.ts is byte-identical to prettier's formatting of it", async () => {
    const summary = renderSummary(server);
    expect(summary).toContain("): Promise<"); // a broken line is part of the case
    const formatted = await format(summary, {
      parser: "typescript",
      printWidth: 100,
      trailingComma: "all",
    });
    expect(summary).toBe(formatted);
  });

  it("README.md is byte-identical to prettier's formatting of it", async () => {
    const catalog = renderCatalog([outlineServer(server)]);
    const formatted = await format(catalog, {
      parser: "markdown",
      printWidth: 100,
      proseWrap: "preserve",
    });
    expect(catalog).toBe(formatted);
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
