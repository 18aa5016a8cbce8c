/**
 * Servers that misbehave on the wire (the hostile fixture's `--misbehave` modes), through the
 * real CLI over real stdio: each ends in a clear result, never a hang or a silent exit.
 */
import { describe, expect, it } from "vitest";
import { hostileTools } from "../../fixtures/servers/lib/hostile-tools.mjs";
import { startHttpFixture } from "../../fixtures/servers/lib/http-fixture.mjs";
import { fixture, listTree, newMarker, processesWithMarker, runCli, tempProject } from "./cli.js";

const hostile = (...misbehave: string[]) =>
  fixture(
    "hostile",
    misbehave.flatMap((name) => ["--misbehave", name]),
  );

describe("a server behind a shell wrapper that only a signal ends", () => {
  it("is generated and ended: the run exits 0 with its report (it exited 13 in silence)", async () => {
    const marker = newMarker();
    const { command, args } = hostile("stubborn");
    const wrapped = {
      command: "bash",
      args: ["-c", `${command} ${args.join(" ")}; true`],
      env: marker,
    };
    const dir = tempProject({ ".mcp.json": { mcpServers: { wrapped } } });
    const run = await runCli(["--config", ".mcp.json"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("wrapped: listed 26 tools, skipped 5 invalid");
    expect(run.stderr).toContain("servers: 26 tools from 1 server; 33 created");
    expect(listTree(dir)).toContain("servers/wrapped/ping.ts");
    expect(processesWithMarker(marker)).toEqual([]);
  });
});

describe("a server that answers wrongly", () => {
  const generate = async (misbehave: string, timeout?: number) => {
    const server = { ...hostile(misbehave), ...(timeout ? { timeout } : {}) };
    const dir = tempProject({ ".mcp.json": { mcpServers: { h: server } } });
    const run = await runCli(["--config", ".mcp.json"], { cwd: dir });
    return { run, tree: listTree(dir) };
  };

  it("times out saying what it sent instead of the answer, and writes nothing", async () => {
    // The timeout also bounds the start-up, which a loaded machine has taken over 1.5 s for.
    const { run, tree } = await generate("wrong-ids", 8_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'server "h": no answer to tools/list within 8000 ms. Meanwhile it sent 3 answers with ids no request was waiting for, 2 lines that were not JSON and 1 line of JSON that was not a JSON-RPC message',
    );
    expect(tree).toEqual([".mcp.json"]);
  });

  it("names the field of an answer of the wrong shape in one line, with no validator dump", async () => {
    const { run, tree } = await generate("bad-shape");
    expect(run.code).toBe(1);
    const line =
      'server "h": the answer to tools/list does not have the shape MCP requires: "tools": expected array, received string';
    expect(run.stderr).toContain(`h: failed: ${line}\n`);
    expect(run.stderr).not.toContain('"code"');
    expect(tree).toEqual([".mcp.json"]);
  });
});

describe("a server whose tool list changes while it is listed", () => {
  it("is listed again, and what is written is the list after the change", async () => {
    const dir = tempProject({ ".mcp.json": { mcpServers: { h: hostile("list-changed-once") } } });
    const run = await runCli(["--config", ".mcp.json"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("h: listed 27 tools, skipped 5 invalid");
    expect(listTree(dir)).toContain("servers/h/addedLater.ts");
  });

  it("fails the server, with nothing written, when the list never settles", async () => {
    const dir = tempProject({ ".mcp.json": { mcpServers: { h: hostile("list-changed-always") } } });
    const run = await runCli(["--config", ".mcp.json"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'server "h": the server\'s tool list changed while it was being listed, 3 times in a row',
    );
    expect(listTree(dir)).toEqual([".mcp.json"]);
  });
});

describe("maxResultBytes applies to the tool list too", () => {
  // The hostile fixture's tool list is about 250 KB (a 50,000-character description, 2,000
  // properties, a 5,000-value enum).
  const limited = (servers: object, maxResultBytes: number) =>
    tempProject({
      "codegen.config.mjs": `export default ${JSON.stringify({ servers, maxResultBytes })};\n`,
    });
  const refusal = (server: string, limit: number) =>
    new RegExp(
      `server "${server}": the answer to tools/list is \\d+ bytes, more than the ${limit} bytes maxResultBytes allows; it was not used\\. Raise maxResultBytes in the config`,
    );

  it("over stdio: refused as it streams in, the server failed and nothing written", async () => {
    const dir = limited({ h: fixture("hostile") }, 65_536);
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(refusal("h", 65_536));
    expect(listTree(dir)).toEqual(["codegen.config.mjs"]);
    const roomy = await runCli([], { cwd: limited({ h: fixture("hostile") }, 1_048_576) });
    expect(roomy.code).toBe(0);
  });

  it("over HTTP: measured once read", async () => {
    const http = await startHttpFixture({ tools: hostileTools() });
    try {
      const dir = limited({ web: { url: http.mcpUrl } }, 65_536);
      const run = await runCli([], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(refusal("web", 65_536));
      expect(listTree(dir)).toEqual(["codegen.config.mjs"]);
    } finally {
      await http.close();
    }
  });
});
