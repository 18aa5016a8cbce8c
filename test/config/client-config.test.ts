/**
 * A TypeScript config that imports a client's JSON config with `fromClientConfig`: it
 * type-checks under `resolveJsonModule` (a wrong shape in the JSON is a type error), and it
 * loads with the client's servers, VS Code's comments and `${workspaceFolder}` included.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fromClientConfig } from "../../src/config/client-config.js";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";
import { tempProject, writeFiles } from "../e2e/cli.js";
import { typeErrors } from "./typecheck.js";

const CONFIG = `import { defineConfig, fromClientConfig } from "mcp-codegen";
import mcpJson from "./.mcp.json" with { type: "json" };
import vscodeMcp from "./.vscode/mcp.json" with { type: "json" };

export default defineConfig({
  servers: {
    ...fromClientConfig(mcpJson),
    ...fromClientConfig(vscodeMcp),
    extra: { command: "node", args: ["extra.mjs"], timeout: 5000 },
  },
});
`;

const MCP_JSON = {
  mcpServers: {
    memory: { type: "stdio", command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
    remote: { type: "sse", url: "http://127.0.0.1:3001/sse", alwaysAllow: ["x"] },
  },
};

const VSCODE_MCP = `// VS Code allows comments and trailing commas here.
{
  "inputs": [{ "type": "promptString", "id": "token", "description": "A token" }],
  "servers": {
    "files": {
      "type": "stdio",
      "command": "node",
      "args": ["\${workspaceFolder}/server.mjs"], // beside the project
      "dev": { "watch": "src/**/*.ts" },
    },
  },
}
`;

function project(mcpJson: object = MCP_JSON): string {
  // Under test/.tmp, where \`mcp-codegen\` resolves to this repo as an installed package would.
  return tempProject(
    { "codegen.config.ts": CONFIG, ".mcp.json": mcpJson, ".vscode/mcp.json": VSCODE_MCP },
    true,
  );
}

describe("fromClientConfig", () => {
  it("type-checks a config importing .mcp.json and VS Code's mcp.json with resolveJsonModule", () => {
    expect(typeErrors(project(), ["codegen.config.ts"])).toEqual([]);
  });

  it("makes a wrong shape in the JSON a type error in the config", () => {
    const dir = project({ mcpServers: { bad: { command: "node", args: ["a", 1] } } });
    const errors = typeErrors(dir, ["codegen.config.ts"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^codegen\.config\.ts\(7,25\): Argument of type .* Type 'number' is not assignable to type 'string'\.$/,
    );
  });

  it("loads the servers of both files, without the clients' own fields", async () => {
    const dir = project();
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.servers.map((s) => s.name)).toEqual(["extra", "files", "memory", "remote"]);
    const files = config.servers.find((s) => s.name === "files");
    expect(files?.transport).toMatchObject({
      kind: "stdio",
      args: [path.join(dir, "server.mjs")],
    });
    const remote = config.servers.find((s) => s.name === "remote");
    expect(remote?.transport).toMatchObject({ kind: "http", mode: "sse" });
  });

  it("reports a client config's mistakes at the server's path when the config loads", async () => {
    const dir = project();
    writeFiles(dir, { ".mcp.json": { mcpServers: { broken: { comand: "npx" } } } });
    const error = await loadConfig({ cwd: dir, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toContain("servers.broken.comand");
  });

  it.each([
    [{}, 'A JSON config needs "mcpServers" (as MCP clients write it) or "servers"'],
    [{ mcpServers: {}, servers: {} }, 'The file has both "mcpServers" and "servers"; keep one'],
  ])("says what is wrong with data that is not a client config", (data, message) => {
    expect(() => fromClientConfig(data)).toThrow(message);
  });
});
