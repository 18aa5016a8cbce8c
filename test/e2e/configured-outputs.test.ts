/**
 * Output types the config gives tools without an `outputSchema`: the stub returns the text
 * result parsed as JSON, typed from a JSON Schema or from a type in the project, validated
 * against the schema when `validateOutput` is on. Against the `flaky` fixture, whose `echo`
 * returns its arguments as JSON text and `pid` its process id.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, runCli, tempProject, type CliResult } from "./cli.js";

const config = `import { defineConfig } from "mcp-codegen";

export default defineConfig({
  validateOutput: true,
  servers: {
    flaky: {
      ...${JSON.stringify(fixture("flaky"))},
      outputs: {
        echo: {
          schema: {
            type: "object",
            properties: { a: { type: "number", description: "A number." }, tags: { type: "array", items: { type: "string" } } },
            required: ["a"],
          },
        },
        pid: { type: "Pid", from: "./types/pid.ts" },
        nowhere: { schema: { type: "string" } },
      },
    },
  },
});
`;

const program = `import { echo } from "./servers/flaky/echo.js";
import { pid } from "./servers/flaky/pid.js";
import { OutputValidationError } from "mcp-codegen/runtime";

const value = await echo({ a: 2, tags: ["x"] } as never);
const n: number = value.a;
const p = await pid();
let invalid = "";
try {
  await echo({ a: "not a number" } as never);
} catch (error) {
  invalid = error instanceof OutputValidationError ? error.message : String(error);
}
console.log(JSON.stringify({ n, tags: value.tags, pidIsNumber: typeof p === "number", invalid }));
`;

describe("outputs the config gives tools", () => {
  let dir: string;
  let generated: CliResult;
  const read = (file: string) => readFileSync(path.join(dir, "servers", file), "utf8");

  beforeAll(async () => {
    dir = tempProject(
      {
        "codegen.config.ts": config,
        "types/pid.ts": "/** A process id. */\nexport type Pid = number;\n",
      },
      true,
    );
    generated = await runCli(["generate"], { cwd: dir });
  });

  it("types the stub from the schema or the project's type, and warns about an unknown tool", () => {
    expect(generated.code, generated.stderr).toBe(0);
    const echo = read("flaky/echo.ts");
    expect(echo).toContain(
      "export interface EchoOutput {\n  /** A number. */\n  a: number;\n  tags?: string[];\n}",
    );
    expect(echo).toContain("callMcpTool<EchoOutput>(");
    expect(echo).toContain(
      "Returns its text result parsed as JSON, typed as the config's `outputs` says.",
    );
    expect(read("flaky/pid.ts")).toContain(
      'export type PidOutput = import("../../types/pid.js").Pid;',
    );
    // The summary refers to the type by name: exact by construction.
    expect(read("flaky/summary.d.ts")).toContain("): Promise<Types.PidOutput>;");
    expect(generated.stderr).toContain("outputs.nowhere");
    expect(generated.stderr).toContain("a tool the server does not list");
  });

  it("returns the parsed text, checked against the schema, in a program that type-checks", async () => {
    writeFileSync(path.join(dir, "program.ts"), program);
    const run = await runCli(["run", "--typecheck", "program.ts"], { cwd: dir, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      n: number;
      tags: string[];
      pidIsNumber: boolean;
      invalid: string;
    };
    expect(out).toMatchObject({ n: 2, tags: ["x"], pidIsNumber: true });
    expect(out.invalid).toContain('tool "echo" of server "flaky"');
  });
});
