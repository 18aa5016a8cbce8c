import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  fixture,
  listTree,
  many,
  newMarker,
  processesWithMarker,
  readTree,
  runCli,
  tempProject,
  writeFiles,
  type CliResult,
} from "./cli.js";

const crashed = [
  'server "flaky": the server process exited with code 3 during initialize',
  "fatal: missing API key FIXTURE_TOKEN",
];
const flakyFiles = [
  "flaky/",
  "flaky/README.md",
  "flaky/index.ts",
  "flaky/summary.d.ts",
  "flaky/tool0000FetchRecords.ts",
];

describe("a server that fails", () => {
  let dir: string;
  let before: { listing: string[]; files: Record<string, string> };
  let afterFailed: typeof before;
  let failed: CliResult;
  let partial: CliResult;
  const snapshot = () => ({ listing: listTree(dir), files: readTree(dir) });

  beforeAll(async () => {
    // An earlier successful run in which "flaky" worked; then "flaky" crashes at start-up and
    // "good" lists one tool more (so a write would show).
    dir = tempProject({ ".mcp.json": { mcpServers: { good: many(2), flaky: many(1) } } });
    expect((await runCli(["--config", ".mcp.json"], { cwd: dir })).code).toBe(0);
    writeFiles(dir, { ".mcp.json": { mcpServers: { good: many(3), flaky: fixture("crash") } } });
    before = snapshot();
    failed = await runCli(["--config", ".mcp.json"], { cwd: dir });
    afterFailed = snapshot();
    partial = await runCli(["--config", ".mcp.json", "--partial"], { cwd: dir });
  });

  it("writes nothing without --partial, names the server, its exit code and stderr, and the flag", () => {
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      "error: 1 of 2 servers failed, so nothing was written. Fix it, or pass --partial",
    );
    for (const text of crashed) expect(failed.stderr).toContain(text);
    expect(before.listing).toContain("servers/flaky/tool0000FetchRecords.ts");
    expect(afterFailed).toEqual(before);
  });

  it("with --partial writes the good server, keeps the failed one's files, and exits 1", () => {
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain(
      "servers: 3 tools from 1 server; 1 created, 6 updated, 0 deleted, 3 unchanged",
    );
    expect(partial.stderr).toContain(
      `kept the old files of a failed server (--partial): ${crashed[0]}`,
    );
    const after = readTree(path.join(dir, "servers"));
    expect(Object.keys(after).filter((f) => f.startsWith("good/"))).toEqual([
      "good/README.md",
      "good/index.ts",
      "good/summary.d.ts",
      "good/tool0000FetchRecords.ts",
      "good/tool0001CreateRecords.ts",
      "good/tool0002UpdateRecords.ts",
    ]);
    expect(listTree(path.join(dir, "servers")).filter((f) => f.startsWith("flaky"))).toEqual(
      flakyFiles,
    );
    for (const file of flakyFiles.filter((f) => !f.endsWith("/"))) {
      expect(after[file]).toBe(before.files[`servers/${file}`]);
    }
    const manifest = JSON.parse(after["manifest.json"]!) as {
      servers: Record<string, { tools: Record<string, unknown> }>;
      files: Record<string, string>;
    };
    expect(Object.keys(manifest.servers.flaky!.tools)).toEqual(["tool_0000_fetch_records"]);
    expect(manifest.files["flaky/tool0000FetchRecords.ts"]).toBeTypeOf("string");
    expect(after["README.md"]).toContain("## flaky (1 tool)");
    expect(after["index.ts"]).toContain('export * as flaky from "./flaky/index.js";');
  });

  it("times out on a hanging server within seconds and leaves no process behind", async () => {
    const marker = newMarker();
    const hung = tempProject({
      ".mcp.json": { mcpServers: { stuck: { ...fixture("hang"), timeout: 1500, env: marker } } },
    });
    const started = Date.now();
    const result = await runCli(["--config", ".mcp.json"], { cwd: hung });
    const elapsed = Date.now() - started;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('server "stuck": no answer to initialize within 1500 ms.');
    expect(result.stderr).toContain("Raise servers.stuck.timeout in the config");
    expect(elapsed).toBeGreaterThan(1500);
    // Not the SDK's minute; the CLI's start-up and the kill take longer on a loaded machine.
    expect(elapsed).toBeLessThan(20_000);
    expect(processesWithMarker(marker)).toEqual([]);
    expect(listTree(hung)).toEqual([".mcp.json"]);
  });
});
