/**
 * A server whose config reads a variable that is not set stops only itself: programs (under
 * `mcp-codegen run` and under plain Node) use the other servers, and their first call to it
 * fails naming the variable; `generate` fails that server and, with `--partial`, writes the rest.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, readTree, runCli, tempProject } from "./cli.js";

const config = {
  mcpServers: {
    schemas: fixture("schemas"),
    echo: { ...fixture("echo"), env: { ECHO_TOKEN: "${ECHO_TOKEN_UNSET_IN_TESTS}" } },
  },
};
const env = { ECHO_TOKEN_UNSET_IN_TESTS: undefined };
const WHY =
  "mcpServers.echo.env.ECHO_TOKEN: environment variable ECHO_TOKEN_UNSET_IN_TESTS is not set: " +
  "set it where mcp-codegen and your programs run, or write ${ECHO_TOKEN_UNSET_IN_TESTS:-default}";

const program = `import { callMcpTool, ServerConfigError } from "mcp-codegen/runtime";
const time = await callMcpTool("schemas", "get_server_time", {});
console.log("schemas answered:", typeof time);
try {
  await callMcpTool("echo", "ping", {});
} catch (error) {
  console.log(error instanceof ServerConfigError, (error as Error).name + ": " + (error as Error).message);
}
`;

describe("a server with an unset variable", () => {
  it("generate fails that server by name; --partial writes the others", async () => {
    const dir = tempProject({ ".mcp.json": config });
    const failed = await runCli(["--config", ".mcp.json"], { cwd: dir, env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(WHY);
    expect(readTree(path.join(dir, "servers"))).toEqual({});

    const partial = await runCli(["--config", ".mcp.json", "--partial"], { cwd: dir, env });
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain(
      'left out a failed server that has no files yet (--partial): server "echo"',
    );
    const files = Object.keys(readTree(path.join(dir, "servers")));
    expect(files).toContain("schemas/getServerTime.ts");
    expect(files.some((name) => name.startsWith("echo/"))).toBe(false);
  });

  it("mcp-codegen run: the program uses the other server, and its call to this one says why it fails", async () => {
    const dir = tempProject({ ".mcp.json": config, "task.ts": program }, true);
    const result = await runCli(["run", "--config", ".mcp.json", "task.ts"], {
      cwd: dir,
      env,
      timeoutMs: 60_000,
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      "schemas answered: object\n" +
        `true ServerConfigError: server "echo" cannot be used here: fix what its config reads, or set "disabled": true for it:\n` +
        `  ${WHY}\n`,
    );
    expect(result.code).toBe(0);
  });

  it("the runtime under plain Node: the same", () => {
    const dir = tempProject(
      { ".mcp.json": config, "task.mjs": program.replace(/ as Error\)/g, ")") },
      true,
    );
    const { ECHO_TOKEN_UNSET_IN_TESTS: _unset, ...inherited } = process.env;
    const result = spawnSync(process.execPath, ["task.mjs"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...inherited, MCP_CODEGEN_CONFIG: ".mcp.json" },
      timeout: 60_000,
    });
    expect(result.stdout).toContain("schemas answered: object\n");
    expect(result.stdout).toContain(`true ServerConfigError: server "echo" cannot be used here`);
    expect(result.status).toBe(0);
  });
});
