/**
 * Tool calls answered with what MCP forbids (the hostile fixture's `--misbehave call-results`),
 * over real stdio and over Streamable HTTP: each is a typed error of ours with a readable
 * one-line message, terminal escape codes gone, and the connection (the same server process)
 * answers the next call.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import {
  callMcpTool,
  closeConnections,
  InvalidResultError,
  McpProtocolError,
  setRuntimeConfig,
} from "../../src/runtime/index.js";
import { startHttpFixture, type HttpFixture } from "../../fixtures/servers/lib/http-fixture.mjs";
import { ESCAPES } from "../../fixtures/servers/lib/misbehaviours.mjs";
import { FIXTURES, processesWithEnv, rejection, ROOT } from "../connect/servers.js";

const MARKER = "MCP_CODEGEN_RUNTIME_TEST";
const mark = `hostile-results-${randomUUID()}`;
let http: HttpFixture;

beforeAll(async () => {
  http = await startHttpFixture({ tools: [], misbehave: ["call-results"] });
  const hostile = {
    command: process.execPath,
    args: [join(FIXTURES, "hostile.mjs"), "--misbehave", "call-results"],
    env: { [MARKER]: mark },
  };
  setRuntimeConfig(
    resolveConfig(
      { servers: { stdio: hostile, web: { url: http.mcpUrl } } },
      { root: ROOT, cwd: ROOT, env: {} },
    ),
  );
});

afterAll(async () => {
  await closeConnections();
  await http.close();
});

const FAULT = "The server is at fault (report it to its authors); the connection is still usable.";

describe.each(["stdio", "web"])("a tool call answered wrongly (%s)", (server) => {
  it("a JSON-RPC error full of escape codes: McpProtocolError, the codes gone", async () => {
    const error = await rejection(callMcpTool(server, "escape_error", {}));
    expect(error).toBeInstanceOf(McpProtocolError);
    expect(error).toMatchObject({
      code: "SERVER_ERROR",
      server,
      tool: "escape_error",
      rpcCode: -32603,
      data: { detail: ESCAPES },
    });
    expect(error.message).toBe(
      `tool "escape_error" of server "${server}" failed with JSON-RPC error -32603: boom done`,
    );
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it.each([
    ["string_content", '"content" is a string ("just a string"), not a list of content items'],
    [
      "unknown_content",
      'content[0] has type "hologram", which MCP does not define (it has text, image, audio, resource_link, resource)',
    ],
    ["bad_base64", 'content[0] has "data" that is not base64 (it starts "not base64 at all!")'],
    ["no_content", '"isError" is a string ("yes"), not true or false'],
  ])("%s: InvalidResultError naming what is wrong", async (tool, problem) => {
    const error = await rejection(callMcpTool(server, tool, {}));
    expect(error).toBeInstanceOf(InvalidResultError);
    expect(error).toMatchObject({ code: "INVALID_RESULT", server, tool, problem });
    expect(error.message).toBe(
      `tool "${tool}" of server "${server}" answered with a result MCP does not allow: ${problem}. ${FAULT}`,
    );
  });
});

it("keeps the same stdio connection through all of them", async () => {
  const [pid] = processesWithEnv(MARKER, mark);
  expect(pid).toBeGreaterThan(0);
  for (const tool of ["escape_error", "string_content", "bad_base64"]) {
    await rejection(callMcpTool("stdio", tool, {}));
  }
  expect((await callMcpTool("stdio", "ping", {})).json()).toEqual({});
  expect(processesWithEnv(MARKER, mark)).toEqual([pid]);
});
