import { readFileSync } from "node:fs";
import * as path from "node:path";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, runCli, tempProject } from "./cli.js";

const config = {
  mcpServers: {
    schemas: fixture("schemas"),
    tools: fixture("many-tools", ["--count", "6"]),
  },
};

interface Stats {
  encoding: string;
  catalog: { file: string; tokens: number; tools: number };
  servers: {
    server: string;
    tools: number;
    definitionTokens: number;
    summary: { file: string; tokens: number };
    toolFiles: { averageTokens: number; largest: { file: string; tokens: number } };
  }[];
  totals: { tools: number; definitionTokens: number; summaryTokens: number };
}

describe("stats", () => {
  let dir: string;
  let snapshot: { servers: { name: string; tools: Record<string, unknown>[] }[] };

  beforeAll(async () => {
    dir = tempProject({ ".mcp.json": config });
    const inspected = await runCli(["inspect"], { cwd: dir });
    expect(inspected.code, inspected.stderr).toBe(0);
    snapshot = JSON.parse(inspected.stdout) as typeof snapshot;
    const generated = await runCli(["generate"], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
  });

  const tokensOf = (file: string) =>
    encode(readFileSync(path.join(dir, "servers", file), "utf8")).length;

  it("counts each definition as the Messages API sends it, and the files an agent reads instead", async () => {
    const result = await runCli(["stats", "--json"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const stats = JSON.parse(result.stdout) as Stats;
    expect(stats.encoding).toBe("o200k_base");
    expect(stats.servers.map((s) => s.server)).toEqual(["schemas", "tools"]);
    for (const server of stats.servers) {
      const tools = snapshot.servers.find((s) => s.name === server.server)!.tools;
      const definitions = tools.map(
        (tool) =>
          encode(
            JSON.stringify({
              name: tool.name,
              description: tool.description,
              input_schema: tool.inputSchema,
            }),
          ).length,
      );
      expect(server.tools).toBe(tools.length);
      expect(server.definitionTokens).toBe(definitions.reduce((a, b) => a + b, 0));
      expect(server.summary.tokens).toBe(tokensOf(server.summary.file));
      expect(server.toolFiles.largest.tokens).toBe(tokensOf(server.toolFiles.largest.file));
      expect(server.toolFiles.averageTokens).toBeLessThanOrEqual(server.toolFiles.largest.tokens);
    }
    expect(stats.catalog).toEqual({ file: "README.md", tokens: tokensOf("README.md"), tools: 15 });
    expect(stats.totals.tools).toBe(15);
  });

  it("prints a table saying the counts are a proxy, and reads a saved snapshot without connecting", async () => {
    const snapshotFile = path.join(dir, "snapshot.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    const result = await runCli(
      ["stats", "--from-snapshot", "snapshot.json", "--server", "tools"],
      {
        cwd: dir,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "Tokens (o200k_base, a proxy: Claude's tokenizer is not public)",
    );
    expect(result.stdout).toMatch(/^tools +6 /m);
    expect(result.stdout).not.toMatch(/^schemas/m);
    expect(result.stdout).toContain("The catalog (servers/README.md) lists the tree's 15 tools in");
  });

  it("fails naming the file when there is no tree, and says to generate", async () => {
    const empty = tempProject({ ".mcp.json": config });
    const result = await runCli(["stats"], { cwd: empty });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path.join(empty, "servers", "manifest.json")} is missing`);
    expect(result.stderr).toContain("run `npx mcp-codegen generate`");
  });
});
