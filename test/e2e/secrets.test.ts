/**
 * Secrets end to end through the built CLI: ordinary config values that a server's text happens
 * to contain are not secrets (the official filesystem server with `MODE: "directory"` and
 * `GREETING: "Returns"`), a real token a server echoes is redacted from descriptions, and a
 * token in a tool's name fails that server instead of renaming the tool.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, readTree, ROOT, runCli, tempProject, writeFiles, type CliResult } from "./cli.js";

const FILESYSTEM = path.join(
  ROOT,
  "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js",
);
const TOKEN = "ghp_7Yq2Lw9Rt4Vy1Np3Ks6Hd8Zx5Qm0Bc2Fg4Jk";

describe("ordinary values are not secrets: the filesystem server", () => {
  let dir: string;
  let generated: CliResult;
  let files: Record<string, string>;

  beforeAll(async () => {
    dir = tempProject({});
    mkdirSync(path.join(dir, "allowed"));
    const config = {
      mcpServers: {
        filesystem: {
          command: "node",
          args: [FILESYSTEM, path.join(dir, "allowed")],
          env: { MODE: "directory", GREETING: "Returns" },
        },
      },
    };
    writeFiles(dir, { ".mcp.json": config });
    generated = await runCli(["--config", ".mcp.json"], { cwd: dir, timeoutMs: 60_000 });
    files = readTree(path.join(dir, "servers"));
  });

  it("keeps tool names and descriptions as the server sent them", () => {
    expect(generated.code).toBe(0);
    expect(generated.stderr).not.toContain("REDACTED");
    const stub = files["filesystem/createDirectory.ts"];
    expect(stub).toContain('"create_directory"');
    expect(files["filesystem/listAllowedDirectories.ts"]).toContain(
      "Returns the list of directories",
    );
    for (const [name, text] of Object.entries(files)) {
      expect(text.includes("[REDACTED]"), name).toBe(false);
      expect(name.includes("Redacted"), name).toBe(false);
    }
  });

  it("check says the tree is up to date", async () => {
    const checked = await runCli(["check", "--config", ".mcp.json"], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(checked.stderr).toContain("servers is up to date with the servers.");
    expect(checked.code).toBe(0);
  });
});

describe("a token a server echoes", () => {
  const project = (...places: string[]) =>
    tempProject({
      ".mcp.json": {
        mcpServers: {
          // The name says nothing: the token's shape makes it a secret.
          echo: { ...withArgs(fixture("echo"), places), env: { ECHO_VALUE: TOKEN } },
          schemas: fixture("schemas"),
        },
      },
    });

  it("is redacted from a description, and check agrees with what was written", async () => {
    const dir = project("description");
    const generated = await runCli(["--config", ".mcp.json"], { cwd: dir });
    expect(generated.code).toBe(0);
    expect(generated.stderr).toContain("they were replaced with [REDACTED]");
    const files = readTree(path.join(dir, "servers"));
    expect(files["echo/lookup.ts"]).toContain("Looks things up with token [REDACTED].");
    for (const [name, text] of Object.entries(files))
      expect(text.includes(TOKEN), name).toBe(false);
    expect(generated.stdout + generated.stderr).not.toContain(TOKEN);
    const checked = await runCli(["check", "--config", ".mcp.json"], { cwd: dir });
    expect(checked.code).toBe(0);
  });

  it("in a tool's name fails that server, naming it, and nothing is written", async () => {
    const dir = project("name");
    const generated = await runCli(["--config", ".mcp.json"], { cwd: dir });
    expect(generated.code).toBe(1);
    expect(generated.stderr).toContain(
      'server "echo": tool "lookup_[REDACTED]" has a value the config counts as secret (env.ECHO_VALUE) in its name.',
    );
    expect(generated.stderr).toContain("pass --partial");
    expect(generated.stdout + generated.stderr).not.toContain(TOKEN);
    expect(readTree(path.join(dir, "servers"))).toEqual({});

    // The other server is generated with --partial; the failing one is left out.
    const partial = await runCli(["--config", ".mcp.json", "--partial"], { cwd: dir });
    expect(partial.code).toBe(1);
    const files = readTree(path.join(dir, "servers"));
    expect(Object.keys(files).some((name) => name.startsWith("schemas/"))).toBe(true);
    expect(Object.keys(files).some((name) => name.startsWith("echo/"))).toBe(false);
    for (const [name, text] of Object.entries(files))
      expect(text.includes(TOKEN), name).toBe(false);
  });
});

function withArgs(server: { command: string; args: string[] }, places: readonly string[]) {
  return { ...server, args: [...server.args, ...places.flatMap((place) => ["--in", place])] };
}

describe("envFile", () => {
  it("feeds the server's environment, and its secret-named values are secrets", async () => {
    const dir = tempProject({
      ".env": "ECHO_VALUE=hello-from-env-file\n",
      "secret.env": "ECHO_TOKEN=tok-from-env-file-1\n",
      ".vscode/mcp.json": {
        servers: {
          plain: {
            type: "stdio",
            ...withArgs(fixture("echo"), ["description"]),
            envFile: "${workspaceFolder}/.env",
          },
          secret: { ...withArgs(fixture("echo"), ["description"]), envFile: "secret.env" },
        },
      },
    });
    const generated = await runCli(["--config", ".vscode/mcp.json"], { cwd: dir });
    expect(generated.code).toBe(0);
    const files = readTree(path.join(dir, "servers"));
    expect(files["plain/lookup.ts"]).toContain("Looks things up with token hello-from-env-file.");
    expect(files["secret/lookup.ts"]).toContain("Looks things up with token [REDACTED].");
  });
});
