/**
 * Nothing an agent is told to read may cost more than about 20k tokens (o200k as a proxy), however
 * large the servers: the root catalog, every page of a server's catalog, every summary part and
 * every tool file. The catalogs and summaries are what grows with a server, so they are rendered
 * here for a 5,000-tool server; a tool file depends on its own tool only, so the tool files of
 * every golden tree and of the committed tree (the hostile fixture's included) stand for them.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { manyTools } from "../../fixtures/servers/lib/many-tools-list.mjs";
import { renderCatalog } from "../../src/emit/catalog.js";
import { outlineServer } from "../../src/emit/outline.js";
import { renderServerCatalog } from "../../src/emit/server-catalog.js";
import { renderSummary } from "../../src/emit/summary.js";
import type { ToolDefinition } from "../../src/introspect/snapshot.js";
import { buildModel } from "../../src/model/build.js";
import { GOLDEN, REPO } from "./tree.js";

const BUDGET = 20_000;
const tokens = (text: string) => encode(text).length;

const model = buildModel([
  {
    name: "huge",
    info: { name: "fixture-many-tools", version: "1.0.0" },
    tools: manyTools(5000) as ToolDefinition[],
    skipped: [],
  },
  {
    name: "small",
    info: { name: "fixture-many-tools", version: "1.0.0" },
    tools: manyTools(12) as ToolDefinition[],
    skipped: [],
  },
]);
const [huge, small] = model.servers as [
  (typeof model.servers)[number],
  (typeof model.servers)[number],
];
const summary = renderSummary(huge, new Set());
const pages = renderServerCatalog(outlineServer(huge), summary);
const root = renderCatalog(model.servers.map(outlineServer));

describe("a server with 5,000 tools", () => {
  it("gets a short root catalog: its count and where its tools are, not the tools", () => {
    expect(tokens(root)).toBeLessThan(1_000);
    expect(root).toContain("## huge (5000 tools)");
    expect(root).toContain(`Its tools, in ${pages.length} pages: \`huge/README.md\` first.`);
    expect(root).not.toContain(huge.tools[100]!.identifier);
    // The small server beside it still shows its tools where the agent looks first.
    for (const tool of small.tools) expect(root).toContain(`- \`${tool.identifier}\``);
  });

  it("pages its catalog and its summary, every file under the budget", () => {
    expect(pages.length).toBeGreaterThan(1);
    expect(summary.length).toBeGreaterThan(1);
    const sizes = [...pages.map((p) => p.contents), ...summary.map((p) => p.contents)].map(tokens);
    expect(Math.max(...sizes)).toBeLessThan(BUDGET);
    // And the pages are full: no more of them than the budget needs.
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(pages.length + summary.length).toBeLessThan((total / BUDGET) * 2);
  });

  it("lists every tool on exactly one catalog page and declares it in exactly one summary part", () => {
    const listed = pages.flatMap((p) => [...p.contents.matchAll(/^- `(\w+)`/gm)].map((m) => m[1]));
    const declared = summary.flatMap((p) =>
      [...p.contents.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]),
    );
    const all = huge.tools.map((t) => t.identifier);
    expect(listed).toEqual(all);
    expect(declared).toEqual(all);
  });

  it("tells the agent where the rest is, from every page and every part", () => {
    const [first, ...others] = pages;
    for (const [i, page] of pages.entries()) {
      const file = i === 0 ? "README.md" : `README-${i + 1}.md`;
      expect(page.path).toBe(`huge/${file}`);
      expect(first!.contents).toContain(`- \`${file}\`: \``);
    }
    for (const page of others) expect(page.contents).toContain("listed in `README.md`");
    // Every summary part is named, with its range, on the catalog pages holding its tools.
    for (const part of summary) {
      const named = `\`${part.file}\` (\`${part.first}\` to \`${part.last}\`)`;
      expect(
        pages.some((page) => page.contents.includes(named)),
        part.file,
      ).toBe(true);
      expect(part.contents).toContain(`in ${summary.length} parts listed in README.md`);
    }
  });
});

describe("every agent-facing file of the golden and committed trees", () => {
  it("costs less than the budget", () => {
    const trees = [GOLDEN, path.join(REPO, "out/servers")];
    const files = trees.flatMap((tree) =>
      readdirSync(tree, { recursive: true, encoding: "utf8" })
        .filter((f) => /\.(ts|md)$/.test(f) && !/(^|\/)(index\.ts|misuse\.ts)$/.test(f))
        .map((f) => path.join(tree, f)),
    );
    expect(files.length).toBeGreaterThan(150);
    const over = files.filter((file) => tokens(readFileSync(file, "utf8")) >= BUDGET);
    expect(over).toEqual([]);
  });
});
