/**
 * `mcp-codegen search` on a tree generated from the repo's fixture servers in a temp project,
 * and `searchTools` from a sandboxed program that searches, then calls what it found. The
 * search itself starts no server: the servers are started only by `generate` and by the call.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { shortHash } from "../../src/model/hash.js";
import { fixture, runCli, tempProject, writeFiles } from "./cli.js";

const config = {
  mcpServers: { schemas: fixture("schemas"), names: fixture("names") },
};

describe("mcp-codegen search", () => {
  let dir: string;
  const search = (...args: string[]) =>
    runCli(["search", "--config", ".mcp.json", ...args], { cwd: dir });

  beforeAll(async () => {
    dir = tempProject({ ".mcp.json": config });
    const generated = await runCli(["--config", ".mcp.json", "--quiet"], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
  });

  it("prints the matches with the total, and exits 0", async () => {
    const result = await search("weather", "in", "a", "city");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^1 of \d+ tools? match(es)? "weather in a city"/);
    expect(result.stdout).toContain(
      'schemas.get_weather: import { getWeather } from "./servers/schemas/getWeather.js"\n  Get the current weather for a city.\n  input: city, units\n',
    );
  });

  it("finds a tool by a typo and by a word form", async () => {
    expect((await search("wether", "--detail", "name", "--limit", "1")).stdout).toContain(
      "schemas.get_weather:",
    );
    expect((await search("notifications", "--detail", "name", "--limit", "1")).stdout).toContain(
      "schemas.send_notification:",
    );
  });

  it("puts an exact name first, and select: returns exactly those", async () => {
    const exact = await search("getUser", "--json");
    const hits = (JSON.parse(exact.stdout) as { hits: Array<{ server: string; tool: string }> })
      .hits;
    expect(hits[0]).toMatchObject({ server: "names", tool: "getUser" });
    const selected = await search(
      "select:schemas.get_weather,names.getUser",
      "--json",
      "--detail",
      "name",
    );
    expect(JSON.parse(selected.stdout)).toMatchObject({
      total: 2,
      hits: [{ tool: "get_weather" }, { tool: "getUser" }],
    });
  });

  it("shows the declaration with --detail full", async () => {
    const result = await search("get_weather", "--detail", "full", "--limit", "1");
    expect(result.stdout).toContain("export interface GetWeatherInput {");
    expect(result.stdout).toContain("): Promise<GetWeatherOutput>;\n```");
  });

  it("keeps to one server with --server", async () => {
    const result = await search(
      "tool",
      "--server",
      "names",
      "--json",
      "--detail",
      "name",
      "--limit",
      "100",
    );
    const { hits, total } = JSON.parse(result.stdout) as {
      hits: Array<{ server: string }>;
      total: number;
    };
    expect(hits.length).toBe(total);
    expect(new Set(hits.map((h) => h.server))).toEqual(new Set(["names"]));
  });

  it("exits 1 when nothing matches, suggesting list", async () => {
    const result = await search("kubernetes");
    expect(result).toMatchObject({ code: 1 });
    expect(result.stdout).toBe(
      'No tools match "kubernetes". Try other or fewer words, or `mcp-codegen list` for every tool.\n',
    );
  });

  it.each([
    ["no query", []],
    ["a bad --detail", ["x", "--detail", "everything"]],
    ["a bad --limit", ["x", "--limit", "0"]],
    ["a query of 501 characters", ["x".repeat(501)]],
  ])("exits 2 for %s", async (_title, args) => {
    expect((await search(...args)).code).toBe(2);
  });

  it("runs a program that searches, then calls what it found", async () => {
    writeFiles(dir, {
      "task.ts": `import { searchTools, callMcpTool } from "mcp-codegen/runtime";
const { hits, total } = await searchTools("current weather", { detail: "name", limit: 1 });
const [best] = hits;
const result = await callMcpTool<{ text: string }>(best!.server, best!.tool, { city: "Lisbon" });
console.log(total > 0, best!.server, best!.tool, typeof result);
`,
    });
    const run = await runCli(["run", "--config", ".mcp.json", "--no-daemon", "task.ts"], {
      cwd: dir,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("true schemas get_weather object\n");
  });

  it("keeps the index as it is on a rerun with the same tools, rather than building it again", async () => {
    // The last run's file with a mark in its ranking line (still valid JSON), recorded in the
    // manifest as that run's own: a rerun that built the ranking again would drop the mark.
    const servers = path.join(dir, "servers");
    const index = path.join(servers, "search-index.json");
    const marked = readFileSync(index, "utf8").replace('"terms":[', '"terms" :[');
    writeFileSync(index, marked);
    const manifestFile = path.join(servers, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as {
      files: Record<string, string>;
    };
    manifest.files["search-index.json"] = shortHash(marked);
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    const rerun = await runCli(["--config", ".mcp.json", "--quiet"], { cwd: dir });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(readFileSync(index, "utf8")).toBe(marked);
    expect((await search("wether", "--detail", "name", "--limit", "1")).stdout).toContain(
      "schemas.get_weather:",
    );
  });

  it("says to generate when the index is missing", async () => {
    rmSync(path.join(dir, "servers", "search-index.json"));
    const result = await search("weather");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /search-index\.json is missing, so tools cannot be searched; run `mcp-codegen generate`/,
    );
  });
});
