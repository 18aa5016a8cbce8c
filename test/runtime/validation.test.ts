/**
 * `validateOutput`: structured content checked against the tool's outputSchema, against the
 * real `flaky` fixture (a tool that can break its schema, and one whose schema cannot compile).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import type { ResolvedConfig } from "../../src/config/types.js";
import { CodegenError } from "../../src/errors.js";
import {
  callMcpTool,
  closeConnections,
  McpToolError,
  OutputValidationError,
  setRuntimeConfig,
  setRuntimeWarningHandler,
} from "../../src/runtime/index.js";
import { FIXTURES, rejection, ROOT } from "../connect/servers.js";

const warnings: string[] = [];
let config: ResolvedConfig;

beforeAll(() => {
  config = resolveConfig(
    {
      servers: { flaky: { command: process.execPath, args: [join(FIXTURES, "flaky.mjs")] } },
      validateOutput: true,
    },
    { root: ROOT, cwd: ROOT, env: {} },
  );
  setRuntimeWarningHandler((message) => warnings.push(message));
});

afterAll(async () => {
  setRuntimeWarningHandler(undefined);
  await closeConnections();
});

const withValidation = (validateOutput: boolean) =>
  setRuntimeConfig({ ...config, runtime: { ...config.runtime, validateOutput } });

describe("validateOutput: false (the default)", () => {
  it("returns structured content as the server sent it, and compiles no schema", async () => {
    withValidation(false);
    expect(await callMcpTool("flaky", "structured", { valid: false })).toEqual({ count: "three" });
    expect(await callMcpTool("flaky", "bad_schema")).toEqual({ item: 1 });
    expect(warnings).toEqual([]);
  });
});

describe("validateOutput: true", () => {
  it("returns structured content that matches the outputSchema", async () => {
    withValidation(true);
    expect(await callMcpTool("flaky", "structured", { valid: true })).toEqual({
      count: 3,
      label: "three",
    });
  });

  it("throws OutputValidationError naming the server, the tool and the failing paths", async () => {
    withValidation(true);
    const error = await rejection(callMcpTool("flaky", "structured", { valid: false }));
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error).toBeInstanceOf(CodegenError);
    expect(error).toMatchObject({
      code: "OUTPUT_INVALID",
      server: "flaky",
      tool: "structured",
      structuredContent: { count: "three" },
    });
    expect((error as OutputValidationError).problems).toEqual([
      "structuredContent must have required property 'label'",
      "structuredContent/count must be integer",
    ]);
    expect(error.message).toBe(
      'tool "structured" of server "flaky" returned structured content that does not match its ' +
        "outputSchema: structuredContent must have required property 'label'; " +
        "structuredContent/count must be integer. The server broke its own contract; report it " +
        "to the server's authors, or set validateOutput: false in the config to accept the result as it is.",
    );
  });

  it("leaves a tool's error result alone: it is a McpToolError, not invalid output", async () => {
    withValidation(true);
    const error = await rejection(callMcpTool("flaky", "fail", { message: "no quota left" }));
    expect(error).toBeInstanceOf(McpToolError);
    expect(error.message).toBe('tool "fail" of server "flaky" returned an error: no quota left');
  });

  it("skips a tool whose schema does not compile, with one warning", async () => {
    withValidation(true);
    expect(await callMcpTool("flaky", "bad_schema")).toEqual({ item: 1 });
    expect(await callMcpTool("flaky", "bad_schema")).toEqual({ item: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^the outputSchema of tool "bad_schema" of server "flaky" could not be compiled \(can't resolve reference #\/\$defs\/missing.*\), so its results are not validated\./,
    );
  });

  it("counts only own properties: `{}` lacks `constructor` and `toString`, whatever it inherits", async () => {
    withValidation(true);
    // The outputSchema's optional `constructor` is a string and `toString` an integer: a
    // validator that looks up inherited members finds Object.prototype's functions there.
    expect(await callMcpTool("flaky", "keys", {})).toEqual({ received: [] });
  });
});

describe("keys JavaScript treats specially", () => {
  it("sends and returns `__proto__`, `constructor` and `toString` as plain keys", async () => {
    withValidation(true);
    const input = JSON.parse('{"special": true, "__proto__": "in", "constructor": "c"}') as object;
    const output = await callMcpTool<Record<string, unknown>>("flaky", "keys", input);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.keys(output)).toEqual(["__proto__", "constructor", "toString", "received"]);
    expect(JSON.stringify(output)).toBe(
      '{"__proto__":"own","constructor":"made","toString":1,' +
        '"received":["special","__proto__","constructor"]}',
    );
  });
});
