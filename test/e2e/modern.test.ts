/**
 * Servers of the 2026-07-28 revision beside those of 2025: the `modern` fixture (SDK v2 server
 * package, which refuses `initialize`) over stdio and over HTTP, and the `schemas` fixture (SDK
 * 1.x, 2025-11-25 at most) in the same config. Generate negotiates each one's revision and
 * records it, `check` reports a change of it, and a program calls the 2026 server's tools.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startModernHttpFixture,
  type ModernHttpFixture,
} from "../../fixtures/servers/lib/modern-fixture.mjs";
import { fixture, listTree, runCli, tempProject, type CliResult } from "./cli.js";

interface RecordedServer {
  info: { name: string };
  protocolVersion?: string;
}

describe("servers that speak only 2026-07-28, beside older ones", () => {
  let http: ModernHttpFixture;
  let dir: string;
  let env: Record<string, string>;
  let generated: CliResult;
  const manifestFile = () => path.join(dir, "servers/manifest.json");
  const manifest = () =>
    JSON.parse(readFileSync(manifestFile(), "utf8")) as {
      servers: Record<string, RecordedServer>;
    };

  beforeAll(async () => {
    http = await startModernHttpFixture();
    env = { MODERN_URL: http.url };
    dir = tempProject({
      ".mcp.json": {
        mcpServers: {
          modern: { ...fixture("modern"), timeout: 10_000 },
          "modern-http": { url: "${MODERN_URL}/mcp", timeout: 10_000 },
          schemas: fixture("schemas"),
        },
      },
      "task.ts": `import { callMcpTool, type ContentResult } from "mcp-codegen/runtime";
import { add } from "./servers/modern/add.js";
const sum = await add({ a: 2, b: 3 });
const echoed = await callMcpTool<ContentResult>("modern-http", "echo", { message: "over HTTP" });
console.log(JSON.stringify(sum), echoed.text);
try {
  await callMcpTool("modern", "confirm", {});
} catch (error) {
  console.log((error as Error).name, (error as { rpcCode?: number }).rpcCode);
}
`,
    });
    generated = await runCli(["--config", ".mcp.json"], { cwd: dir, env });
  });
  afterAll(() => http.close());

  it("generates from each, recording the revision negotiated with it", () => {
    expect(generated.stderr).toContain("servers: 17 tools from 3 servers");
    expect(generated.code).toBe(0);
    expect(listTree(path.join(dir, "servers/modern"))).toContain("locate.ts");
    const servers = manifest().servers;
    expect(servers.modern).toMatchObject({
      info: { name: "fixture-modern" },
      protocolVersion: "2026-07-28",
    });
    expect(servers["modern-http"]?.protocolVersion).toBe("2026-07-28");
    expect(servers.schemas?.protocolVersion).toBe("2025-11-25");
  });

  it("checks clean, then reports a server whose revision changed, by name, old → new", async () => {
    const clean = await runCli(["check", "--config", ".mcp.json"], { cwd: dir, env });
    expect(clean.stderr).toContain("servers is up to date with the servers.");
    expect(clean.code).toBe(0);

    const recorded = manifest();
    recorded.servers.modern!.protocolVersion = "2025-11-25";
    writeFileSync(manifestFile(), `${JSON.stringify(recorded, null, 2)}\n`);
    const changed = await runCli(["check", "--config", ".mcp.json"], { cwd: dir, env });
    expect(changed.stdout).toContain("modern:\n  protocol revision 2025-11-25 → 2026-07-28\n");
    expect(changed.stdout).not.toContain("schemas:");
    expect(changed.code).toBe(1);
  });

  it("runs a program that calls its tools over stdio (through a stub) and over HTTP", async () => {
    const result = await runCli(["run", "--no-daemon", "--config", ".mcp.json", "task.ts"], {
      cwd: dir,
      env,
    });
    expect(result.stderr).toBe("");
    // A tool that asks for input (elicitation, which mcp-codegen does not offer) is refused by
    // the server with a protocol error, as a 2025 server's request for it was.
    expect(result.stdout).toBe('{"sum":5} over HTTP\nMcpProtocolError -32021\n');
    expect(result.code).toBe(0);
  });
});
