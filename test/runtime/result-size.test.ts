/**
 * `maxResultBytes`: a result over the limit fails its call with ResultTooLargeError and the
 * connection stays usable; over stdio the transport refuses it as it streams in (so the SDK's
 * own 10 MiB line limit no longer applies), over HTTP it is measured after parsing.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import type { ResolvedConfig } from "../../src/config/types.js";
import {
  callMcpTool,
  closeConnections,
  readResource,
  ResultTooLargeError,
  setRuntimeConfig,
} from "../../src/runtime/index.js";
import { startHttpFixture, type HttpFixture } from "../../fixtures/servers/lib/http-fixture.mjs";
import { FIXTURES, processesWithEnv, rejection, ROOT } from "../connect/servers.js";

const MARKER = "MCP_CODEGEN_RUNTIME_TEST";
const mark = `result-size-${randomUUID()}`;
const MiB = 1024 * 1024;
let http: HttpFixture;
let config: ResolvedConfig;

beforeAll(async () => {
  http = await startHttpFixture();
  const flaky = { command: process.execPath, args: [join(FIXTURES, "flaky.mjs")] };
  config = resolveConfig(
    {
      servers: {
        flaky: { ...flaky, env: { [MARKER]: mark } },
        roomy: flaky,
        web: { url: http.mcpUrl },
      },
      maxResultBytes: MiB,
    },
    { root: ROOT, cwd: ROOT, env: {} },
  );
  setRuntimeConfig(config);
});

afterAll(async () => {
  await closeConnections();
  await http.close();
});

describe("a result over maxResultBytes", () => {
  it("fails the tool call with ResultTooLargeError, and the server and connection stay", async () => {
    expect((await callMcpTool("flaky", "big", { bytes: 900_000 })).text).toHaveLength(900_000);
    const [pid] = processesWithEnv(MARKER, mark);
    const error = await rejection(callMcpTool("flaky", "big", { bytes: 2 * MiB }));
    expect(error).toBeInstanceOf(ResultTooLargeError);
    expect(error).toMatchObject({
      code: "RESULT_TOO_LARGE",
      server: "flaky",
      tool: "big",
      limit: MiB,
    });
    // The whole message carrying the result: the text plus the JSON-RPC envelope.
    const { bytes } = error as ResultTooLargeError;
    expect(bytes).toBeGreaterThan(2 * MiB);
    expect(bytes).toBeLessThan(2 * MiB + 200);
    expect(error.message).toBe(
      `tool "big" of server "flaky" returned ${bytes} bytes, more than the ${MiB} bytes ` +
        "maxResultBytes allows. Ask for less (a page, a filter, a range), or raise maxResultBytes " +
        "in the config (up to 268435456).",
    );
    expect((await callMcpTool("flaky", "echo", { still: "here" })).json()).toEqual({
      still: "here",
    });
    expect(processesWithEnv(MARKER, mark)).toEqual([pid]);
  });

  it("fails a resource read the same way", async () => {
    const uri = `flaky://big/${2 * MiB}`;
    const error = await rejection(readResource("flaky", uri));
    expect(error).toBeInstanceOf(ResultTooLargeError);
    expect(error).toMatchObject({ server: "flaky", tool: undefined, limit: MiB });
    expect(error.message).toMatch(`resources/read ${uri} of server "flaky" returned`);
  });

  it("is measured after parsing over HTTP", async () => {
    // The HTTP fixture's send_notification echoes its arguments as text.
    const message = "y".repeat(MiB + 10);
    const error = await rejection(callMcpTool("web", "send_notification", { message }));
    expect(error).toBeInstanceOf(ResultTooLargeError);
    expect(error).toMatchObject({ server: "web", tool: "send_notification", limit: MiB });
    const small = await callMcpTool("web", "send_notification", { message: "hi" });
    expect(small.json()).toEqual({ message: "hi" });
  });
});

describe("a limit above 10 MiB", () => {
  it("lets a 12 MiB result through (the SDK's reader would have closed the connection)", async () => {
    setRuntimeConfig({ ...config, runtime: { ...config.runtime, maxResultBytes: 16 * MiB } });
    const result = await callMcpTool("roomy", "big", { bytes: 12 * MiB });
    expect(result.text.length).toBe(12 * MiB);
  });
});
