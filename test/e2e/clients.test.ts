/**
 * Using mcp-codegen from clients, through the real CLI: `init --client` adds the `mcp-codegen
 * serve` entry to the project's client configs (merged, idempotent, never over a different
 * entry without --force, nothing written when a file cannot be edited), `init --agents-md`
 * writes the agents section once, `generate` does not take our own entry for a server, and
 * `list` prints the generated catalog and a server's API without connecting to anything.
 */
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, listTree, many, ROOT, runCli, tempProject, type CliResult } from "./cli.js";

const SERVE = { command: "npx", args: ["mcp-codegen", "serve"] };
const MCP_JSON = `{
  "mcpServers": {
    "tools": ${JSON.stringify(many(3))},
    "echo": ${JSON.stringify(fixture("echo"))}
  },
  "someClientSetting": true
}
`;

/** A project of ES modules with mcp-codegen installed (linked to this repo), and `files`. */
function project(files: Record<string, string | object>): string {
  const dir = tempProject({ "package.json": { name: "p", type: "module" }, ...files });
  mkdirSync(path.join(dir, "node_modules"));
  symlinkSync(ROOT, path.join(dir, "node_modules/mcp-codegen"));
  return dir;
}
const ours = (dir: string) => listTree(dir).filter((name) => !name.startsWith("node_modules"));
/** The files init writes or edits, by name, with their contents. */
const clientFiles = (dir: string) =>
  Object.fromEntries(
    [".mcp.json", ".vscode/mcp.json", "CLAUDE.md", "codegen.config.ts", "tsconfig.json"].map(
      (name) => [name, readFileSync(path.join(dir, name), "utf8")],
    ),
  );

describe("init --client and --agents-md, then generate and list", () => {
  let dir: string;
  let init: CliResult;
  let generate: CliResult;

  beforeAll(async () => {
    dir = project({ ".mcp.json": MCP_JSON, "CLAUDE.md": "# Notes\n\nBe brief.\n" });
    init = await runCli(["init", "--client", "claude-code", "vscode", "--agents-md"], { cwd: dir });
    generate = await runCli(["generate"], { cwd: dir, timeoutMs: 60_000 });
  }, 90_000);

  it("adds the entry to .mcp.json, keeping what it had, and writes .vscode/mcp.json", () => {
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(
      "wrote codegen.config.ts with the servers of .mcp.json (tools, echo), imported\n",
    );
    expect(init.stdout).toContain(
      "added the mcp-codegen server (npx mcp-codegen serve) for Claude Code in .mcp.json\n",
    );
    expect(init.stdout).toContain(
      "wrote .vscode/mcp.json with the mcp-codegen server (npx mcp-codegen serve) for VS Code\n",
    );
    const mcpJson = readFileSync(path.join(dir, ".mcp.json"), "utf8");
    expect(mcpJson.startsWith(MCP_JSON.slice(0, MCP_JSON.indexOf("\n  },")))).toBe(true);
    expect(JSON.parse(mcpJson)).toEqual({
      mcpServers: { tools: many(3), echo: fixture("echo"), "mcp-codegen": SERVE },
      someClientSetting: true,
    });
    expect(JSON.parse(readFileSync(path.join(dir, ".vscode/mcp.json"), "utf8"))).toEqual({
      servers: { "mcp-codegen": { type: "stdio", ...SERVE } },
    });
  });

  it("adds the agents section to the CLAUDE.md that exists, and creates no AGENTS.md", () => {
    const text = readFileSync(path.join(dir, "CLAUDE.md"), "utf8");
    expect(text).toMatch(/^# Notes\n\nBe brief\.\n\n<!-- mcp-codegen:start -->\n/);
    expect(text).toContain("npx mcp-codegen search <");
    expect(text.endsWith("<!-- mcp-codegen:end -->\n")).toBe(true);
    expect(listTree(dir)).not.toContain("AGENTS.md");
  });

  it("generate takes the project's servers and not the mcp-codegen serve entry", () => {
    expect(generate.code, generate.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, "servers/manifest.json"), "utf8"));
    expect(Object.keys(manifest.servers)).toEqual(["echo", "tools"]);
  });

  it("a rerun changes no file and says so", async () => {
    const before = clientFiles(dir);
    const again = await runCli(
      ["init", "--client", "claude-code", "--client", "vscode", "--agents-md"],
      {
        cwd: dir,
      },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("kept codegen.config.ts as it is\n");
    expect(again.stdout).toContain(
      ".mcp.json has the mcp-codegen server (npx mcp-codegen serve) for Claude Code already\n",
    );
    expect(again.stdout).toContain("CLAUDE.md has the mcp-codegen section already\n");
    expect(clientFiles(dir)).toEqual(before);
  });

  it("list prints the catalog, servers/README.md as generated", async () => {
    const listed = await runCli(["list"], { cwd: dir });
    expect(listed).toEqual({
      code: 0,
      stdout: readFileSync(path.join(dir, "servers/README.md"), "utf8"),
      stderr: "",
    });
  });

  it("list <server> prints that server's summary.d.ts, by name", async () => {
    const listed = await runCli(["list", "tools"], { cwd: dir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(readFileSync(path.join(dir, "servers/tools/summary.d.ts"), "utf8"));
    expect(listed.stdout).toContain("export function tool0000FetchRecords(");
  });

  it("list --json gives the servers and their tools from the manifest", async () => {
    const listed = await runCli(["list", "echo", "--json"], { cwd: dir });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      servers: [
        {
          name: "echo",
          dir: "echo",
          info: expect.objectContaining({ name: expect.any(String) }),
          tools: [
            {
              name: "lookup",
              identifier: "lookup",
              file: "servers/echo/lookup.ts",
              summary: "Looks things up.",
            },
            {
              name: "ping",
              identifier: "ping",
              file: "servers/echo/ping.ts",
              summary: "Returns pong.",
            },
          ],
        },
      ],
    });
    const all = JSON.parse((await runCli(["list", "--json"], { cwd: dir })).stdout);
    expect(all.servers.map((s: { name: string }) => s.name)).toEqual(["echo", "tools"]);
  });

  it("list of an unknown server exits 1 with the known names and the closest", async () => {
    expect(await runCli(["list", "tols"], { cwd: dir })).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'error: No server "tols" in the generated tree; did you mean "tools"? Known servers: echo, tools\n',
    });
  });
});

describe("init --client, against existing client files", () => {
  it("leaves a different mcp-codegen entry alone (exit 1, nothing written), and --force replaces it", async () => {
    const cursor = `{
  // my own
  "mcpServers": { "mcp-codegen": { "command": "node", "args": ["mine.js"] } }
}
`;
    const dir = project({ ".cursor/mcp.json": cursor });
    const refused = await runCli(["init", "--client", "cursor"], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error: It has a "mcp-codegen" entry that differs from the one init writes .*Run init with --force to replace it in .*\.cursor\/mcp\.json\n$/,
    );
    expect(ours(dir)).toEqual([".cursor/", ".cursor/mcp.json", "package.json"]);

    const forced = await runCli(["init", "--client", "cursor", "--force"], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("replaced (--force) the mcp-codegen server");
    const text = readFileSync(path.join(dir, ".cursor/mcp.json"), "utf8");
    expect(text).toContain("// my own");
    expect(text).not.toContain("mine.js");
  });

  it("writes nothing when a client's file does not parse, and names it", async () => {
    const dir = project({ ".vscode/mcp.json": '{ "servers": { "a": ' });
    const result = await runCli(["init", "--client", "claude-code", "--client", "vscode"], {
      cwd: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: Invalid JSON \(.*\) in .*\.vscode\/mcp\.json\n$/);
    expect(ours(dir)).toEqual([".vscode/", ".vscode/mcp.json", "package.json"]);
  });

  it("prints Claude Desktop's entry, with the config's path, and edits no file outside the project", async () => {
    const home = tempProject({});
    const dir = project({});
    const result = await runCli(["init", "--client", "claude-desktop"], {
      cwd: dir,
      env: { HOME: home, XDG_CONFIG_HOME: undefined },
    });
    expect(result.code, result.stderr).toBe(0);
    const file = path.join(home, ".config/Claude/claude_desktop_config.json");
    expect(result.stdout).toContain(
      `Claude Desktop: init does not edit its config, which is outside the project. Add this to "mcpServers" in ${file}, then restart Claude Desktop:\n`,
    );
    const printed = /then restart Claude Desktop:\n((?: {2}.*\n)+)/.exec(result.stdout)![1]!;
    expect(JSON.parse(`{${printed}}`)).toEqual({
      "mcp-codegen": {
        command: "npx",
        args: ["mcp-codegen", "serve", "--config", path.join(dir, "codegen.config.ts")],
      },
    });
    expect(listTree(home)).toEqual([]);
  });

  it("--agents-md with neither AGENTS.md nor CLAUDE.md writes AGENTS.md", async () => {
    const dir = project({ "codegen.config.ts": "export default { servers: {} };\n" });
    const result = await runCli(["init", "--agents-md"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("kept codegen.config.ts as it is\n");
    expect(readFileSync(path.join(dir, "AGENTS.md"), "utf8")).toMatch(
      /^<!-- mcp-codegen:start -->\n[\s\S]*<!-- mcp-codegen:end -->\n$/,
    );
    expect(readFileSync(path.join(dir, "codegen.config.ts"), "utf8")).toBe(
      "export default { servers: {} };\n",
    );
  });
});

describe("list without a tree", () => {
  it("says to run generate", async () => {
    const dir = tempProject({ ".mcp.json": { mcpServers: { echo: fixture("echo") } } });
    expect(await runCli(["list"], { cwd: dir })).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "error: servers/manifest.json is missing or unreadable: run `npx mcp-codegen generate` to write the tree\n",
    });
  });
});
