/**
 * A project whose only config is an MCP client's (`.mcp.json`, `.cursor/mcp.json`,
 * `.vscode/mcp.json`): every command and the runtime find it the same way, from a subfolder,
 * and agree on where the tree is (the project, not the folder the command ran in).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, runCli, tempProject, writeFiles, type CliResult } from "./cli.js";

const PROGRAM = `import { getWeather } from "../servers/schemas/getWeather.js";

const weather = await getWeather({ city: "Lisbon", units: "metric" });
console.log(weather.conditions);
`;

/** A client's config holding the schemas fixture, in the shape that client writes. */
function clientConfig(file: string): Record<string, object> {
  const server = { type: "stdio", ...fixture("schemas") };
  const key = file === ".vscode/mcp.json" ? "servers" : "mcpServers";
  return { [file]: { [key]: { schemas: server } } };
}

/** `node --import tsx task.ts`: the program with the runtime as a user's tsx runs it. */
function tsx(cwd: string): Promise<CliResult> {
  const child = spawn(process.execPath, ["--import", "tsx", "task.ts"], {
    cwd,
    env: { ...process.env, MCP_CODEGEN_CONFIG: undefined },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each([".mcp.json", ".cursor/mcp.json", ".vscode/mcp.json"])(
  "a project with only %s",
  (file) => {
    let project: string;
    let src: string;
    let generated: CliResult;
    beforeAll(async () => {
      // Under test/.tmp, where `mcp-codegen/runtime` resolves to this repo for tsx.
      project = tempProject({ ...clientConfig(file), "src/task.ts": PROGRAM }, true);
      src = path.join(project, "src");
      generated = await runCli(["generate"], { cwd: src });
    }, 60_000);

    it("generate, run from a subfolder, writes the tree in the project", () => {
      expect(generated.stderr).toContain("../servers: 9 tools from 1 server; 16 created");
      expect(generated.code).toBe(0);
      expect(existsSync(path.join(project, "servers/schemas/getWeather.ts"))).toBe(true);
      expect(existsSync(path.join(src, "servers"))).toBe(false);
    });

    it("check finds the same config and the same tree", async () => {
      expect(await runCli(["check"], { cwd: src })).toMatchObject({ code: 0 });
    });

    it("daemon --status asks about the same file", async () => {
      const status = await runCli(["daemon", "--status"], { cwd: src });
      expect(status).toMatchObject({
        code: 3, // not running (see daemon --status)
        stdout: `not running for ${path.join(project, file)}\n`,
      });
    });

    it("run and the runtime under tsx find it from the program's folder", async () => {
      const run = await runCli(["run", "--no-daemon", "task.ts"], { cwd: src });
      expect(run).toMatchObject({ code: 0, stdout: "partly cloudy\n" });
      // Drift is checked against the project's manifest: no warning, nothing on stderr.
      expect(await tsx(src)).toEqual({ code: 0, stdout: "partly cloudy\n", stderr: "" });
    }, 60_000);
  },
);

describe("the catalog's instructions", () => {
  it("are true for the project: the import it names and the command it gives run a program", async () => {
    // A config the search would not find from where the tree is: the command must say where.
    const config = { outDir: "..", servers: { schemas: fixture("schemas") } };
    const project = tempProject({
      "configs/agent.config.ts": `export default ${JSON.stringify(config)};\n`,
    });
    const generated = await runCli(["generate", "--config", "configs/agent.config.ts"], {
      cwd: project,
    });
    expect(generated.code).toBe(0);
    const catalog = readFileSync(path.join(project, "servers/README.md"), "utf8");
    const said =
      /imports `(\.\/servers\/<server>\/index\.js)`[\s\S]*?runs with\s+`npx (mcp-codegen run [^`]*) <file>`/.exec(
        catalog,
      );
    expect(said?.slice(1)).toEqual([
      "./servers/<server>/index.js",
      "mcp-codegen run --config configs/agent.config.ts",
    ]);
    const [, importPath, command] = said!;
    writeFiles(project, {
      "task.ts": `import { getWeather } from "${importPath!.replace("<server>", "schemas")}";
console.log((await getWeather({ city: "Lisbon" })).conditions);
`,
    });
    const args = command!.split(" ").slice(1); // what follows `mcp-codegen`
    const run = await runCli([...args, "--no-daemon", "task.ts"], { cwd: project });
    expect(run).toMatchObject({ code: 0, stdout: "partly cloudy\n" });
  }, 60_000);
});
