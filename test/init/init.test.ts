/**
 * `mcp-codegen init`, in-process: what it writes (the template, or the template with the
 * servers of the client configs it finds), that what it writes type-checks and loads, that it
 * never overwrites, and what it says about files it does not write.
 */
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";
import { init, type InitOptions } from "../../src/init/init.js";
import { claudeDesktopConfigPath } from "../../src/init/sources.js";
import { typeErrors } from "../config/typecheck.js";
import { listTree, ROOT, tempProject } from "../e2e/cli.js";

const TEMPLATE = readFileSync(path.join(ROOT, "templates/codegen.config.ts"), "utf8");
const TSCONFIG = readFileSync(path.join(ROOT, "templates/tsconfig.json"), "utf8");

const MCP_JSON = {
  mcpServers: {
    memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
    api: { type: "http", url: "https://api.example.test/mcp", headers: { "X-Key": "k-123456" } },
  },
};
const VSCODE_MCP = `// comments, as VS Code allows
{ "servers": { "memory": { "type": "stdio", "command": "node", "args": ["m.mjs"] }, }, }
`;
const CLAUDE = {
  mcpServers: {
    github: {
      command: "docker",
      args: ["run", "-i", "ghcr.io/github/github-mcp-server"],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: "ghp_not-a-real-token", MODE: "${MODE}" },
    },
  },
  globalShortcut: "Ctrl+Space",
};

/**
 * A project of ES modules with mcp-codegen installed (linked to this repo, as `npm install`
 * would put it), outside this repo so that its tsconfig.json and package.json stay out of it,
 * and a home folder of its own.
 */
function setUp(files: Record<string, string | object>, claude?: object) {
  const home = tempProject(claude ? { ".config/Claude/claude_desktop_config.json": claude } : {});
  const dir = tempProject({ "package.json": { name: "p", type: "module" }, ...files });
  mkdirSync(path.join(dir, "node_modules"));
  symlinkSync(ROOT, path.join(dir, "node_modules/mcp-codegen"));
  const options = (more: Partial<InitOptions> = {}): InitOptions => ({
    cwd: dir,
    platform: "linux",
    env: {},
    home,
    ...more,
  });
  const read = (name: string) => readFileSync(path.join(dir, name), "utf8");
  return { dir, options, read };
}

describe("the template", () => {
  it("type-checks as it is, importing mcp-codegen as an installed package", () => {
    expect(typeErrors(ROOT, ["templates/codegen.config.ts"])).toEqual([]);
  });
});

describe("init", () => {
  it("with no client config, writes the template and a tsconfig.json, which check and load", async () => {
    const { dir, options, read } = setUp({});
    const result = await init(options());
    expect(result).toMatchObject({ written: ["codegen.config.ts", "tsconfig.json"], used: [] });
    expect(result.advice).toEqual([]);
    expect(read("codegen.config.ts")).toBe(TEMPLATE);
    expect(read("tsconfig.json")).toBe(TSCONFIG);
    expect(typeErrors(dir, ["codegen.config.ts"])).toEqual([]);
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.servers.map((s) => s.name)).toEqual(["memory"]);
  });

  it("imports the project's client configs, which then type-check and load as the servers", async () => {
    const { dir, options, read } = setUp({ ".mcp.json": MCP_JSON, ".vscode/mcp.json": VSCODE_MCP });
    const result = await init(options());
    expect(result.used).toEqual([
      { label: ".mcp.json", how: "imported", servers: ["memory", "api"] },
      { label: ".vscode/mcp.json", how: "imported", servers: ["memory"] },
    ]);
    expect(result.overridden).toEqual([{ server: "memory", kept: ".vscode/mcp.json" }]);
    expect(read("codegen.config.ts")).toContain(
      `import { defineConfig, fromClientConfig } from "mcp-codegen";
import mcpJson from "./.mcp.json" with { type: "json" };
import vscodeMcpJson from "./.vscode/mcp.json" with { type: "json" };

export default defineConfig({
  servers: { ...fromClientConfig(mcpJson), ...fromClientConfig(vscodeMcpJson) },
});
`,
    );
    expect(typeErrors(dir, ["codegen.config.ts"])).toEqual([]);
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.servers.map((s) => [s.name, s.transport.kind])).toEqual([
      ["api", "http"],
      ["memory", "stdio"],
    ]);
    expect(config.servers[1]?.transport).toMatchObject({ command: "node" }); // VS Code's won
  });

  it("--copy writes the servers into the config, their env and header values as ${VAR}", async () => {
    const { dir, options, read } = setUp({ ".mcp.json": MCP_JSON });
    const result = await init(options({ copy: true }));
    expect(result.used).toEqual([
      { label: ".mcp.json", how: "copied", servers: ["memory", "api"] },
    ]);
    expect(result.variables).toEqual([{ name: "API_X_KEY", from: "api.headers.X-Key" }]);
    const text = read("codegen.config.ts");
    expect(text).not.toContain("k-123456");
    expect(text).toContain('headers: { "X-Key": "${API_X_KEY}" }');
    expect(typeErrors(dir, ["codegen.config.ts"])).toEqual([]);
    const config = await loadConfig({ cwd: dir, env: { API_X_KEY: "from-env" } });
    expect(config.servers[0]?.transport).toMatchObject({ headers: { "X-Key": "from-env" } });
  });

  it("offers Claude Desktop's servers, and copies them with --from claude-desktop", async () => {
    const offered = setUp({ ".mcp.json": MCP_JSON }, CLAUDE);
    const first = await init(offered.options());
    expect(first.used.map((s) => s.label)).toEqual([".mcp.json"]);
    expect(first.unused).toEqual([
      {
        label: expect.stringMatching(/^Claude Desktop's config \(.*claude_desktop_config\.json\)$/),
        servers: ["github"],
        take: "--from claude-desktop",
      },
    ]);

    const taken = setUp({}, CLAUDE);
    const result = await init(taken.options({ from: ["claude-desktop"] }));
    expect(result.used).toMatchObject([{ how: "copied", servers: ["github"] }]);
    expect(result.variables).toEqual([
      {
        name: "GITHUB_PERSONAL_ACCESS_TOKEN",
        from: "github.env.GITHUB_PERSONAL_ACCESS_TOKEN",
      },
    ]);
    const text = taken.read("codegen.config.ts");
    expect(text).not.toContain("ghp_not-a-real-token");
    expect(text).not.toContain("globalShortcut");
    expect(text).toContain('args: ["run", "-i", "ghcr.io/github/github-mcp-server"]');
    expect(typeErrors(taken.dir, ["codegen.config.ts"])).toEqual([]);
  });

  it("--from none writes the template whatever it finds", async () => {
    const { options, read } = setUp({ ".mcp.json": MCP_JSON });
    const result = await init(options({ from: ["none"] }));
    expect(read("codegen.config.ts")).toBe(TEMPLATE);
    expect(result.unused.map((s) => s.take)).toEqual(["--from .mcp.json"]);
    expect(result.shadowed).toMatch(/\.mcp\.json$/);
  });

  it("never overwrites a config, and writes nothing then", async () => {
    const { dir, options, read } = setUp({ "codegen.config.mjs": "export default {};\n" });
    const error = await init(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `${path.join(dir, "codegen.config.mjs")} exists already: init never overwrites a config. Edit it, or delete it and run init again (--client and --agents-md work beside an existing config)`,
    );
    expect(read("codegen.config.mjs")).toBe("export default {};\n");
    expect(listTree(dir).filter((f) => !f.startsWith("node_modules"))).toEqual([
      "codegen.config.mjs",
      "package.json",
    ]);
  });

  it("beside an existing config, does only --client and --agents-md, and refuses --from and --copy", async () => {
    const config = "export default { servers: {} };\n";
    const { dir, options, read } = setUp({ "codegen.config.ts": config });
    const result = await init(options({ clients: ["cursor", "claude-desktop"], agentsMd: true }));
    expect(result).toMatchObject({
      written: [],
      kept: path.join(dir, "codegen.config.ts"),
      clients: [
        { client: "cursor", file: ".cursor/mcp.json", outcome: "created" },
        {
          client: "claude-desktop",
          outcome: "printed",
          entry: {
            command: "npx",
            args: ["mcp-codegen", "serve", "--config", path.join(dir, "codegen.config.ts")],
          },
        },
      ],
      agents: [{ file: "AGENTS.md", outcome: "created" }],
    });
    expect(read("codegen.config.ts")).toBe(config);
    for (const more of [{ from: ["none"] }, { copy: true }]) {
      await expect(init(options({ clients: ["cursor"], ...more }))).rejects.toThrow(
        /exists already: --from and --copy choose the servers of a new config/,
      );
    }
  });

  it("imports a .mcp.json holding the mcp-codegen serve entry without it", async () => {
    const { dir, options } = setUp({ ".mcp.json": MCP_JSON });
    const result = await init(options({ clients: ["claude-code"] }));
    expect(result.clients).toEqual([
      { client: "claude-code", file: ".mcp.json", outcome: "added" },
    ]);
    expect(typeErrors(dir, ["codegen.config.ts"])).toEqual([]);
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.servers.map((s) => s.name)).toEqual(["api", "memory"]);
  });

  it("names a --from file that is not there", async () => {
    const { options } = setUp({});
    await expect(init(options({ from: ["nope.json"] }))).rejects.toThrow(
      /^No such client config: .*nope\.json$/,
    );
  });

  it("leaves a tsconfig.json alone and says what it lacks for programs and the stubs", async () => {
    const tsconfig = `{
  // a user's own file, with comments
  "compilerOptions": { "module": "commonjs", "target": "es2016", "strict": true }
}
`;
    const { options, read } = setUp({ "tsconfig.json": tsconfig });
    const result = await init(options());
    expect(result.written).toEqual(["codegen.config.ts"]);
    expect(read("tsconfig.json")).toBe(tsconfig);
    expect(result.advice).toEqual([
      'tsconfig.json: module resolution is Node10; set "module" and "moduleResolution" to "NodeNext" (or "moduleResolution" to "Bundler"), else the stubs\' import of mcp-codegen/runtime does not resolve',
      'tsconfig.json: top-level await, which programs use, needs "module" NodeNext, ES2022, ESNext or Preserve and "target" ES2017 or later (now CommonJS and ES2016)',
    ]);
  });

  it.each([
    ["NodeNext", { module: "nodenext" }],
    ["Bundler with ESNext", { module: "esnext", moduleResolution: "bundler", target: "es2022" }],
    ["Preserve", { module: "preserve", target: "esnext" }],
  ])("has nothing to say about a tsconfig with %s", async (_title, compilerOptions) => {
    const { options } = setUp({ "tsconfig.json": { compilerOptions } });
    expect((await init(options())).advice).toEqual([]);
  });

  it("says when package.json does not make the project ES modules", async () => {
    const { options } = setUp({ "package.json": { name: "x", type: "commonjs" } });
    expect((await init(options())).advice).toEqual([
      'package.json has "type": "commonjs", not "type": "module": run `npm pkg set type=module`, else tsx and your editor take programs and the stubs for CommonJS, where top-level await and mcp-codegen/runtime fail',
    ]);
  });
});

describe("claudeDesktopConfigPath", () => {
  it.each<[NodeJS.Platform, Record<string, string>, string]>([
    ["darwin", {}, "/home/u/Library/Application Support/Claude/claude_desktop_config.json"],
    ["linux", {}, "/home/u/.config/Claude/claude_desktop_config.json"],
    ["linux", { XDG_CONFIG_HOME: "/xdg" }, "/xdg/Claude/claude_desktop_config.json"],
    [
      "win32",
      { APPDATA: "C:\\Users\\u\\AppData\\Roaming" },
      "C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json",
    ],
  ])("on %s with %j: %s", (platform, env, want) => {
    expect(claudeDesktopConfigPath(platform, env, "/home/u")).toBe(want);
  });
});
