import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startsServe, stripJsonComments } from "../../src/config/json.js";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";
import { tempProject } from "./temp.js";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const cwd = "/work/somewhere";
const env = { GITHUB_TOKEN: "ghp_abcdef123", API_TOKEN: "api-token-1", HOME_DIR: "/home/me" };

async function load(file: string, extra: { outDir?: string; servers?: string[] } = {}) {
  return loadConfig({ configFile: path.join(fixtures, file), cwd, env, ...extra });
}

async function loadError(run: () => Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof ConfigError) return error;
  throw new Error(`expected a ConfigError, got ${String(error)}`);
}

describe("client JSON configs", () => {
  it("reads claude_desktop_config.json (mcpServers) and ignores the client's other settings", async () => {
    const config = await load("claude-desktop/claude_desktop_config.json");
    expect(config.servers.map((s) => s.name)).toEqual(["filesystem", "github"]);
    const github = config.servers[1];
    expect(github?.transport).toMatchObject({
      kind: "stdio",
      command: "docker",
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: "ghp_abcdef123" },
    });
    expect(github?.secrets).toEqual(["ghp_abcdef123"]);
    expect(config.root).toBe(path.join(fixtures, "claude-desktop"));
  });

  it("reads .mcp.json with type stdio, http and sse", async () => {
    const config = await load("project/.mcp.json");
    expect(
      config.servers.map((s) => [
        s.name,
        s.transport.kind,
        s.transport.kind === "http" ? s.transport.mode : "-",
      ]),
    ).toEqual([
      ["legacy", "http", "sse"],
      ["memory", "stdio", "-"],
      ["remote", "http", "auto"],
    ]);
    expect(config.servers[2]?.transport).toMatchObject({
      headers: { Authorization: "Bearer api-token-1" },
    });
  });

  it("reads VS Code's mcp.json: servers, comments, ${workspaceFolder}, ${env:…}, and its root is the project", async () => {
    const config = await load("project/.vscode/mcp.json");
    const project = path.join(fixtures, "project");
    expect(config.root).toBe(project);
    const [docs, files] = config.servers;
    expect(docs?.transport).toEqual({
      kind: "http",
      url: "https://docs.example.test/mcp",
      headers: {},
      mode: "auto",
    });
    expect(files?.transport).toEqual({
      kind: "stdio",
      command: "node",
      args: [`${project}/server.js`, "--root", "/home/me"],
      env: {},
      cwd: project,
    });
    // Neither the workspace folder nor a folder read from the environment is a secret.
    expect(files?.secrets).toEqual([]);
  });

  it("reads .cursor/mcp.json with a default in a header", async () => {
    const config = await load("project/.cursor/mcp.json");
    expect(config.servers[0]?.transport).toMatchObject({
      kind: "http",
      headers: { "X-Api-Key": "none" },
    });
    expect(config.root).toBe(path.join(fixtures, "project"));
  });

  it("says a server that uses a VS Code input cannot be used, and suggests ${env:…}; the others can", async () => {
    const config = await load("vscode-inputs/mcp.json");
    const [api, plain] = config.servers;
    expect(api?.unusable).toEqual([
      {
        path: "servers.api.headers.Authorization",
        message:
          "${input:token} is a VS Code input, which only VS Code can ask for: set an environment variable and write ${env:TOKEN} instead",
      },
    ]);
    expect(plain?.unusable).toBeUndefined();
  });

  it("accepts our own fields beside the client's and drops client-only ones", async () => {
    const config = await load("extended/mcp.json");
    expect(config.outDir).toBe(path.join(fixtures, "extended", "generated"));
    expect(config.concurrency).toBe(2);
    const [everything, old] = config.servers;
    expect(everything).toMatchObject({
      include: ["echo", "get_*"],
      exclude: ["get_secret"],
      connectTimeoutMs: 20000,
      requestTimeoutMs: 20000,
    });
    expect(old).toMatchObject({ disabled: true, transport: { mode: "sse" } });
  });

  it("takes privacy at the top and per server, where it wins", async () => {
    const dir = tempProject({
      ".mcp.json": JSON.stringify({
        privacy: true,
        mcpServers: {
          crm: { command: "x", privacy: { detect: ["email"] } },
          logs: { command: "x", privacy: false },
          plain: { command: "x" },
        },
      }),
    });
    const config = await loadConfig({ configFile: path.join(dir, ".mcp.json"), cwd: dir, env });
    expect(config.servers.map((s) => [s.name, s.privacy?.kinds])).toEqual([
      ["crm", ["email"]],
      ["logs", undefined],
      ["plain", ["email", "phone", "card", "iban", "ip"]],
    ]);
  });
});

describe("envFile in client configs", () => {
  it("VS Code's ${workspaceFolder}/.env and .mcp.json's relative path both feed the server's env", async () => {
    const dir = tempProject({
      ".env": "export MODE=directory\nAPI_TOKEN='tok-from-dotenv'\n# a comment\n",
      ".vscode/mcp.json":
        '{ "servers": { "a": { "type": "stdio", "command": "x", "envFile": "${workspaceFolder}/.env" } } }',
      ".mcp.json":
        '{ "mcpServers": { "a": { "command": "x", "envFile": ".env", "env": { "MODE": "file" } } } }',
    });
    const vscode = await loadConfig({ configFile: ".vscode/mcp.json", cwd: dir, env });
    expect(vscode.servers[0]?.transport).toMatchObject({
      env: { MODE: "directory", API_TOKEN: "tok-from-dotenv" },
    });
    expect(vscode.servers[0]?.secrets).toEqual(["tok-from-dotenv"]);
    const mcp = await loadConfig({ configFile: ".mcp.json", cwd: dir, env });
    expect(mcp.servers[0]?.transport).toMatchObject({
      env: { MODE: "file", API_TOKEN: "tok-from-dotenv" },
    });
  });

  it("a missing envFile makes only its server unusable, with the file's own key in the path", async () => {
    const dir = tempProject({
      ".mcp.json":
        '{ "mcpServers": { "a": { "command": "x", "envFile": ".env" }, "b": { "command": "y" } } }',
    });
    const config = await loadConfig({ configFile: ".mcp.json", cwd: dir, env });
    expect(config.servers.map((s) => s.unusable?.map((i) => `${i.path}: ${i.message}`))).toEqual([
      [
        `mcpServers.a.envFile: cannot read ${dir}/.env (ENOENT): create it, or fix the path (relative to the config's folder)`,
      ],
      undefined,
    ]);
  });
});

describe("the mcp-codegen serve entry of a client config", () => {
  it.each<[string, object, boolean]>([
    ["npx mcp-codegen serve", { command: "npx", args: ["mcp-codegen", "serve"] }, true],
    [
      "npx -y mcp-codegen@1.2.0 serve --config x",
      { command: "npx", args: ["-y", "mcp-codegen@1.2.0", "serve", "--config", "x"] },
      true,
    ],
    [
      "mcp-codegen serve",
      { command: "mcp-codegen", args: ["serve", "--http", "127.0.0.1:8080"] },
      true,
    ],
    [
      "node …/bin/mcp-codegen.js serve",
      { command: "node", args: ["/p/node_modules/mcp-codegen/bin/mcp-codegen.js", "serve"] },
      true,
    ],
    [
      "a Windows .cmd shim",
      { command: "C:\\p\\node_modules\\.bin\\mcp-codegen.cmd", args: ["serve"] },
      true,
    ],
    [
      "mcp-codegen run, another command",
      { command: "npx", args: ["mcp-codegen", "run", "serve"] },
      false,
    ],
    ["another package's serve", { command: "npx", args: ["mcp-codegen-extra", "serve"] }, false],
    ["a server named serve", { command: "npx", args: ["-y", "serve"] }, false],
    ["a URL server", { type: "http", url: "https://x.test/mcp" }, false],
  ])("%s: %s", (_title, server, want) => {
    expect(startsServe(server)).toBe(want);
  });

  it("is not a server to generate for, whatever its name, in .mcp.json and VS Code's file", async () => {
    const dir = tempProject({
      ".mcp.json": JSON.stringify({
        mcpServers: {
          memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
          "code-mode": { command: "npx", args: ["mcp-codegen", "serve"] },
        },
      }),
      ".vscode/mcp.json": JSON.stringify({
        servers: {
          "mcp-codegen": { type: "stdio", command: "npx", args: ["mcp-codegen", "serve"] },
          files: { type: "stdio", command: "node", args: ["files.mjs"] },
        },
      }),
    });
    for (const file of [".mcp.json", ".vscode/mcp.json"]) {
      const config = await loadConfig({ configFile: file, cwd: dir, env });
      expect(config.servers.map((s) => s.name)).toEqual(
        file === ".mcp.json" ? ["memory"] : ["files"],
      );
    }
  });
});

describe("outDir of a JSON config", () => {
  type Case = [title: string, { given: { file: string; outDir?: string }; want: string }];
  it.each<Case>([
    [
      "no outDir in the file: the project, wherever the command runs",
      { given: { file: "project/.mcp.json" }, want: path.join(fixtures, "project") },
    ],
    [
      "no outDir in an editor's file: the project, the folder around .vscode/",
      { given: { file: "project/.vscode/mcp.json" }, want: path.join(fixtures, "project") },
    ],
    [
      "no outDir in Claude Desktop's file, which is in no project: the current folder",
      { given: { file: "claude-desktop/claude_desktop_config.json" }, want: cwd },
    ],
    [
      "outDir in the file: relative to the project",
      { given: { file: "extended/mcp.json" }, want: path.join(fixtures, "extended/generated") },
    ],
    [
      "--out wins, relative to cwd",
      { given: { file: "extended/mcp.json", outDir: "out" }, want: path.join(cwd, "out") },
    ],
  ])("%s", async (_title, { given, want }) => {
    expect((await load(given.file, { outDir: given.outDir })).outDir).toBe(want);
  });
});

describe("broken JSON configs", () => {
  it("names the file, line and column of a syntax error", async () => {
    const dir = tempProject({
      "mcp.json": '{\n  "mcpServers": {\n    "a": { "command": "x" }\n    "b": {}\n  }\n}\n',
    });
    const error = await loadError(() => loadConfig({ configFile: "mcp.json", cwd: dir, env }));
    expect(error.message).toBe(
      `Invalid JSON (line 4, column 5: Expected ',' or '}' after property value) in ${dir}/mcp.json`,
    );
  });

  it("uses the file's own key in issue paths", async () => {
    const dir = tempProject({
      "mcp.json": '{ "mcpServers": { "a": { "comand": "x", "timeout": -1 } } }',
    });
    const error = await loadError(() => loadConfig({ configFile: "mcp.json", cwd: dir, env }));
    expect(error.issues.map((i) => i.path)).toEqual([
      "mcpServers.a.timeout",
      "mcpServers.a.comand",
      "mcpServers.a",
    ]);
    expect(error.message).toMatch(
      /^The config has 3 problems in .*mcp\.json:\n {2}mcpServers\.a\.timeout: /,
    );
  });

  it.each([
    ["an array", "[1]", 'A JSON config must be an object with "mcpServers" or "servers"'],
    [
      "both keys",
      '{ "mcpServers": {}, "servers": {} }',
      'The file has both "mcpServers" and "servers"; keep one',
    ],
    [
      "neither key",
      '{ "other": 1 }',
      'A JSON config needs "mcpServers" (as MCP clients write it) or "servers" (as VS Code does)',
    ],
  ])("%s", async (_title, text, want) => {
    const dir = tempProject({ "mcp.json": text });
    expect(
      (await loadError(() => loadConfig({ configFile: "mcp.json", cwd: dir, env }))).message,
    ).toContain(want);
  });
});

describe("stripJsonComments", () => {
  it.each([
    ["line and block comments", '{ // c\n "a": /* b */ 1 }', '{     \n "a":         1 }'],
    ["trailing commas", '{ "a": [1, 2,], }', '{ "a": [1, 2 ]  }'],
    [
      "comment markers inside strings",
      '{ "u": "http://x/*y*/", "e": "\\"//" }',
      '{ "u": "http://x/*y*/", "e": "\\"//" }',
    ],
    ["a comma before a comment before a brace", "[1, // x\n]", "[1      \n]"],
  ])("%s", (_title, given, want) => {
    expect(stripJsonComments(given)).toBe(want);
    expect(stripJsonComments(given)).toHaveLength(given.length);
  });
});
