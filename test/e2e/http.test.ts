import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpFixture, type HttpFixture } from "../../fixtures/servers/lib/http-fixture.mjs";
import { listTree, readTree, runCli, tempProject, type CliResult } from "./cli.js";

const TOKEN = "tok-e2e-7f3a9c";
const schemasFiles = [
  "README.md",
  "configurePipeline.ts",
  "createOrder.ts",
  "getServerTime.ts",
  "getWeather.ts",
  "index.ts",
  "listUsers.ts",
  "searchDocuments.ts",
  "sendNotification.ts",
  "setLabels.ts",
  "summary.d.ts",
  "updateTree.ts",
];

// One config, one run, four ways of reaching the same tools over HTTP.
const config = {
  mcpServers: {
    streamable: { url: "${FIXTURE_URL}/mcp", transport: "streamable-http", timeout: 20_000 },
    sse: { url: "${FIXTURE_URL}/sse", transport: "sse", timeout: 20_000 },
    // The fixture answers 404 on /mcp and on a POST to /sse: only the fallback to SSE works.
    fallback: { url: "${SSE_ONLY_URL}/sse", timeout: 20_000 },
    private: {
      url: "${PRIVATE_URL}/mcp",
      headers: { "x-api-key": "${TOKEN}" },
      timeout: 20_000,
    },
  },
};

describe("generate over HTTP", () => {
  const fixtures: HttpFixture[] = [];
  let env: Record<string, string>;
  let dir: string;
  let run: CliResult;

  beforeAll(async () => {
    const [plain, sseOnly, guarded] = await Promise.all([
      startHttpFixture(),
      startHttpFixture({ sseOnly: true }),
      startHttpFixture({ requireHeader: `x-api-key:${TOKEN}` }),
    ]);
    fixtures.push(plain, sseOnly, guarded);
    env = {
      FIXTURE_URL: plain.url,
      SSE_ONLY_URL: sseOnly.url,
      PRIVATE_URL: guarded.url,
      TOKEN,
    };
    dir = tempProject({ ".mcp.json": config });
    run = await runCli(["--config", ".mcp.json"], { cwd: dir, env });
  });
  afterAll(() => Promise.all(fixtures.map((f) => f.close())));

  it("writes every server: Streamable HTTP, SSE, the fallback to SSE, and with a header", () => {
    expect(run.stderr).toContain(
      "servers: 36 tools from 4 servers; 52 created, 0 updated, 0 deleted, 0 unchanged",
    );
    expect(run.code).toBe(0);
    const servers = ["fallback", "private", "sse", "streamable"];
    expect(listTree(path.join(dir, "servers"))).toEqual(
      [
        "README.md",
        "index.ts",
        "manifest.json",
        "search-index.json",
        ...servers.flatMap((s) => [`${s}/`, ...schemasFiles.map((f) => `${s}/${f}`)]),
      ].sort(),
    );
  });

  it("generates the same stubs whichever transport carried them", () => {
    const files = readTree(path.join(dir, "servers"));
    const weather = (server: string) =>
      files[`${server}/getWeather.ts`]!.replace(`"${server}", "get_weather"`, '"X", "get_weather"');
    expect(weather("streamable")).toContain('callMcpTool<GetWeatherOutput>("X", "get_weather"');
    for (const server of ["sse", "fallback", "private"]) {
      expect(weather(server)).toBe(weather("streamable"));
    }
    const manifest = JSON.parse(files["manifest.json"]!) as {
      servers: Record<string, { info: { name: string } }>;
    };
    expect(Object.values(manifest.servers).map((s) => s.info.name)).toEqual(
      Array(4).fill("fixture-http"),
    );
  });

  it("keeps the URLs and the header's value out of the generated files", () => {
    const text = Object.values(readTree(dir)).join("\n");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain("127.0.0.1");
  });

  it("names a missing environment variable and writes nothing", async () => {
    const empty = tempProject({ ".mcp.json": config });
    const result = await runCli(["--config", ".mcp.json"], {
      cwd: empty,
      env: { ...env, TOKEN: undefined },
    });
    expect(result.code).toBe(1);
    // Only that server fails; without --partial nothing is written.
    expect(result.stderr).toContain(
      "error: 1 of 4 servers failed, so nothing was written. Fix it, or pass --partial",
    );
    expect(result.stderr).toContain(
      '  server "private" cannot be used here: fix what its config reads, or set "disabled": true for it:\n' +
        "    mcpServers.private.headers.x-api-key: environment variable TOKEN is not set: set it where mcp-codegen and your programs run, or write ${TOKEN:-default}\n",
    );
    expect(listTree(empty)).toEqual([".mcp.json"]);
  });
});
