/**
 * `callMcpTool` against real stdio servers, with the config injected through `setRuntimeConfig`:
 * what a call returns (structured content, ContentResult, tool errors, protocol errors) and how
 * the pool shares and closes connections.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import { CodegenError } from "../../src/errors.js";
import {
  callMcpTool,
  closeConnections,
  ContentResult,
  McpProtocolError,
  McpToolError,
  RuntimeError,
  setRuntimeConfig,
} from "../../src/runtime/index.js";
import {
  eventually,
  FIXTURES,
  officialServer,
  processesWithEnv,
  rejection,
  ROOT,
} from "../connect/servers.js";

// Every server started here carries this variable, so that its processes can be counted.
const MARKER = "MCP_CODEGEN_RUNTIME_TEST";
const schemasMark = `results-schemas-${randomUUID()}`;
const everythingMark = `results-everything-${randomUUID()}`;

beforeAll(() => {
  const config = resolveConfig(
    {
      servers: {
        schemas: {
          command: process.execPath,
          args: [join(FIXTURES, "schemas.mjs")],
          env: { [MARKER]: schemasMark },
        },
        everything: {
          command: process.execPath,
          args: [officialServer("everything")],
          env: { [MARKER]: everythingMark },
        },
      },
    },
    { root: ROOT, cwd: ROOT, env: {} },
  );
  setRuntimeConfig(config);
});

afterAll(() => closeConnections());

describe("callMcpTool results", () => {
  it("returns the structured content of a tool with an outputSchema", async () => {
    const weather = await callMcpTool("schemas", "get_weather", { city: "Lisbon" });
    expect(weather).toEqual({ temperature: 21.5, conditions: "partly cloudy", humidity: 40 });
    expect(weather).not.toBeInstanceOf(ContentResult);
  });

  it("returns a ContentResult for a tool without one: .text, .json() and .content", async () => {
    const input = { channel: "sms", message: "hi", priority: 2 };
    const result = await callMcpTool("schemas", "send_notification", input);
    expect(result).toBeInstanceOf(ContentResult);
    expect(result.content).toEqual([{ type: "text", text: JSON.stringify(input) }]);
    expect(result.text).toBe(JSON.stringify(input));
    expect(result.json()).toEqual(input);
    expect(JSON.parse(JSON.stringify(result))).toEqual({ content: result.content });
  });

  it("shows its text to console.log and in a template string, with base64 data shortened", () => {
    const result = new ContentResult([
      { type: "text", text: "Here it is" },
      { type: "image", data: "A".repeat(4000), mimeType: "image/png" },
    ]);
    expect(`${result}`).toBe("Here it is");
    expect(inspect(result, { breakLength: Infinity })).toBe(
      "ContentResult { text: 'Here it is', content: [ { type: 'image', data: '<3000 bytes of base64>', mimeType: 'image/png' } ] }",
    );
    expect(inspect([new ContentResult([{ type: "text", text: "hi" }])])).toBe(
      "[ ContentResult { text: 'hi' } ]",
    );
  });

  it("throws a clear RuntimeError from .json() when the text is not JSON", async () => {
    const result = await callMcpTool("everything", "echo", { message: "plain words" });
    expect(result.text).toBe("Echo: plain words");
    expect(() => result.json()).toThrow(RuntimeError);
    expect(() => result.json()).toThrow(`the tool's text result is not JSON: "Echo: plain words"`);
  });

  it("throws McpToolError with server, tool and content for an isError result", async () => {
    // The fixture servers never set isError; the official server does for invalid arguments.
    const error = await rejection(callMcpTool("everything", "echo", { message: 42 }));
    expect(error).toBeInstanceOf(McpToolError);
    expect(error).toBeInstanceOf(CodegenError);
    const toolError = error as McpToolError;
    expect(toolError.code).toBe("TOOL_CALL");
    expect(toolError.server).toBe("everything");
    expect(toolError.tool).toBe("echo");
    expect(toolError.content).toHaveLength(1);
    expect(toolError.content[0]).toMatchObject({ type: "text" });
    const text = (toolError.content[0] as { text: string }).text;
    expect(text).toContain("Input validation error");
    expect(toolError.message).toBe(`tool "echo" of server "everything" returned an error: ${text}`);
  });

  it("throws McpProtocolError for a JSON-RPC error, and the connection stays usable", async () => {
    const [pid] = processesWithEnv(MARKER, schemasMark);
    const error = await rejection(callMcpTool("schemas", "no_such_tool", {}));
    expect(error).toBeInstanceOf(McpProtocolError);
    expect(error).toMatchObject({
      code: "SERVER_ERROR",
      rpcCode: -32602,
      server: "schemas",
      tool: "no_such_tool",
      method: "tools/call",
    });
    expect(error.message).toBe(
      'tool "no_such_tool" of server "schemas" failed with JSON-RPC error -32602: Unknown tool: no_such_tool',
    );
    await expect(callMcpTool("schemas", "get_server_time")).resolves.toBeTypeOf("object");
    expect(processesWithEnv(MARKER, schemasMark)).toEqual([pid]);
  });

  it("names the known servers when asked for an unknown one", async () => {
    const error = await rejection(callMcpTool("github", "search", {}));
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toBe(
      'server "github" is not in the config (it has: everything, schemas). ' +
        "Regenerate the stubs or add the server to the config.",
    );
  });
});

describe("the connection pool", () => {
  it("shares one connection (one server process) between concurrent calls", async () => {
    await closeConnections();
    await eventually(() => (processesWithEnv(MARKER, schemasMark).length === 0 ? true : undefined));
    const calls = Array.from({ length: 8 }, (_, i) =>
      callMcpTool("schemas", "send_notification", { channel: "push", message: `m${i}` }),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => r.json<{ message: string }>().message)).toEqual(
      Array.from({ length: 8 }, (_, i) => `m${i}`),
    );
    expect(processesWithEnv(MARKER, schemasMark)).toHaveLength(1);
  });

  it("ends the server processes on closeConnections(), and reconnects on the next call", async () => {
    await callMcpTool("schemas", "get_server_time");
    await callMcpTool("everything", "echo", { message: "x" });
    const before = [
      ...processesWithEnv(MARKER, schemasMark),
      ...processesWithEnv(MARKER, everythingMark),
    ];
    expect(before.length).toBeGreaterThanOrEqual(2);
    await closeConnections();
    await eventually(() =>
      processesWithEnv(MARKER, schemasMark).length +
        processesWithEnv(MARKER, everythingMark).length ===
      0
        ? true
        : undefined,
    );
    await callMcpTool("schemas", "get_server_time");
    const after = processesWithEnv(MARKER, schemasMark);
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
  });
});
