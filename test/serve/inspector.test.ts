/**
 * An MCP client none of our code wrote: the MCP Inspector's CLI mode (1.0.3, the last line
 * that runs on Node 20) starts `mcp-codegen serve` itself, lists its tools and calls one.
 * (Its own `--config` flag would take ours, so serve finds the config from its folder.)
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../e2e/cli.js";
import { BIN, serveProject, type ServeProject } from "./harness.js";

const INSPECTOR = path.join(ROOT, "node_modules/.bin/mcp-inspector");

async function inspect(project: ServeProject, ...args: string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(
    INSPECTOR,
    ["--cli", process.execPath, BIN, "serve", ...args],
    { cwd: project.dir, timeout: 60_000 },
  );
  return JSON.parse(stdout.slice(stdout.indexOf("{"))) as unknown;
}

describe("the MCP Inspector's CLI, as serve's client", () => {
  let project: ServeProject;
  beforeAll(async () => {
    project = await serveProject();
  });

  it("lists serve's tools", async () => {
    const listed = (await inspect(project, "--method", "tools/list")) as {
      tools: { name: string; inputSchema: { required?: string[] } }[];
    };
    const execute = listed.tools.find((tool) => tool.name === "execute_code");
    expect(execute?.inputSchema.required).toEqual(["code"]);
  });

  it("calls execute_code and gets back what the program printed", async () => {
    const code = `import { add } from "./servers/modern/index.js"; const n: number = (await add({ a: 40, b: 2 })).sum; console.log("answer", n);`;
    const called = (await inspect(
      project,
      "--method",
      "tools/call",
      "--tool-name",
      "execute_code",
      "--tool-arg",
      `code=${code}`,
    )) as { content: { text: string }[]; isError?: boolean };
    expect(called.isError ?? false).toBe(false);
    expect(called.content[0]?.text).toBe("answer 42\n");
  });
});
