/**
 * A program that imports a generated-style stub and calls it must exit on its own when it is
 * done, without calling `closeConnections()`: the idle pooled connection does not hold Node
 * open, and the server's process ends with the program. The stub imports `mcp-codegen/runtime`
 * (the built `dist/`, resolved by the package's own name from inside the repo) and finds its
 * servers through `MCP_CODEGEN_CONFIG` pointing at a client-style JSON config.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, FIXTURES, processesWithEnv, ROOT } from "../connect/servers.js";

const MARKER = "MCP_CODEGEN_RUNTIME_TEST";
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const STUB = `import { callMcpTool } from "mcp-codegen/runtime";

export interface GetWeatherInput {
  city: string;
}
export interface GetWeatherOutput {
  temperature: number;
  conditions: string;
  humidity?: number;
}

export async function getWeather(input: GetWeatherInput): Promise<GetWeatherOutput> {
  return callMcpTool<GetWeatherOutput>("schemas", "get_weather", input);
}
`;

const PROGRAM = `import { getWeather } from "./getWeather.js";

const weather = await getWeather({ city: "Lisbon" });
console.log(JSON.stringify({ conditions: weather.conditions, temperature: weather.temperature }));
`;

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `node --import tsx <file>` in `cwd`; rejects if it has not exited after `limitMs`. */
function runProgram(cwd: string, env: Record<string, string>, limitMs: number): Promise<Exit> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "main.ts"], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the program did not exit within ${limitMs} ms; stdout: ${stdout}`));
    }, limitMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe("a program using the runtime", () => {
  it("prints its result and exits on its own, ending the server it started", async () => {
    expect(existsSync(join(ROOT, "dist/runtime/index.js")), "run `npm run build` first").toBe(true);
    const parent = join(ROOT, "test/.tmp");
    mkdirSync(parent, { recursive: true });
    const dir = mkdtempSync(join(parent, "runtime-exit-"));
    made.push(dir);
    const mark = `exit-${randomUUID()}`;
    const config = {
      mcpServers: {
        schemas: {
          command: process.execPath,
          args: [join(FIXTURES, "schemas.mjs")],
          env: { [MARKER]: mark },
        },
      },
    };
    writeFileSync(join(dir, "servers.json"), JSON.stringify(config));
    writeFileSync(join(dir, "getWeather.ts"), STUB);
    writeFileSync(join(dir, "main.ts"), PROGRAM);

    const exit = await runProgram(dir, { MCP_CODEGEN_CONFIG: "servers.json" }, 15_000);
    expect(exit.stderr).toBe("");
    expect(exit.code).toBe(0);
    expect(exit.stdout).toBe('{"conditions":"partly cloudy","temperature":21.5}\n');
    // Start-up of tsx and the server included; a program held open by its connection never ends.
    expect(exit.ms).toBeLessThan(12_000);
    await eventually(() => (processesWithEnv(MARKER, mark).length === 0 ? true : undefined), 2_000);
  });
});

describe("closing a server that only a signal ends", () => {
  it("settles, behind a shell wrapper that ignores its stdin closing (it exited 13 before)", async () => {
    const dir = mkdtempSync(join(ROOT, "test/.tmp", "runtime-close-"));
    made.push(dir);
    const mark = `close-${randomUUID()}`;
    const server = `${process.execPath} ${join(FIXTURES, "hostile.mjs")} --misbehave stubborn`;
    const config = {
      mcpServers: {
        wrapped: { command: "bash", args: ["-c", `${server}; true`], env: { [MARKER]: mark } },
      },
    };
    writeFileSync(join(dir, "servers.json"), JSON.stringify(config));
    writeFileSync(
      join(dir, "main.ts"),
      `import { callMcpTool, closeConnections } from "mcp-codegen/runtime";
await callMcpTool("wrapped", "ping", {});
await closeConnections();
console.log("closed");
`,
    );
    const exit = await runProgram(dir, { MCP_CODEGEN_CONFIG: "servers.json" }, 15_000);
    expect(exit).toMatchObject({ code: 0, stdout: "closed\n", stderr: "" });
    expect(processesWithEnv(MARKER, mark)).toEqual([]);
  });
});
