import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startHttpFixture } from "../../fixtures/servers/lib/http-fixture.mjs";
import { connect } from "../../src/connect/index.js";
import { IntrospectionError, ServerCrashedError, TimeoutError } from "../../src/errors.js";
import { listTools } from "../../src/introspect/index.js";
import { fixture, httpServer, isRunning, rejection, stdioServer } from "./servers.js";

/** A real SDK server whose tools/list handler is `LIST` (a JS expression), after `BEFORE` runs. */
function inlineServer(name: string, before: string, list: string) {
  const code = `
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
${before}
const server = new Server({ name: "${name}", version: "1.0.0" }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, ${list});
await server.connect(new StdioServerTransport());
`;
  return stdioServer(name, process.execPath, ["--input-type=module", "-e", code]);
}

describe("misbehaving servers", () => {
  it("reports a server that dies during tools/list as a crash with its exit code", async () => {
    const server = inlineServer(
      "dies",
      "",
      `() => { console.error("out of memory, bye"); process.exit(5); }`,
    );
    const connection = await connect(server);
    try {
      const error = await rejection(listTools(connection, server));
      expect(error).toBeInstanceOf(ServerCrashedError);
      expect((error as ServerCrashedError).exitCode).toBe(5);
      expect(error.message).toContain("exited with code 5 during tools/list");
      expect(error.message).toContain("out of memory, bye");
    } finally {
      await connection.close();
    }
  });

  it("skips lines on stdout that are not JSON-RPC", async () => {
    const server = inlineServer(
      "chatty",
      `console.log("Server starting… (not JSON)");`,
      `() => ({ tools: [] })`,
    );
    const connection = await connect(server);
    try {
      expect(await listTools(connection, server)).toEqual({ tools: [], skipped: [], warnings: [] });
    } finally {
      await connection.close();
    }
  });

  it("refuses an answer over the limit as it streams in, and the connection stays usable", async () => {
    // The first tools/list answer is 11 MiB (the SDK's reader would close the connection on it),
    // over the default maxResultBytes of 8 MiB.
    const list = `(() => {
      let calls = 0;
      const huge = { name: "huge", description: "x".repeat(11 * 1024 * 1024), inputSchema: { type: "object" } };
      return () => ({ tools: calls++ === 0 ? [huge] : [] });
    })()`;
    const server = inlineServer("huge", "", list);
    const connection = await connect(server);
    try {
      const error = await rejection(listTools(connection, server));
      expect(error).toBeInstanceOf(IntrospectionError);
      expect(error.message).toMatch(
        /^server "huge": the answer to tools\/list is 1153\d{4} bytes, more than the 8388608 bytes maxResultBytes allows; it was not used\. Raise maxResultBytes in the config \(up to 268435456\), or use a server that pages its tool list \(nextCursor\)\.$/,
      );
      expect(await listTools(connection, server)).toEqual({ tools: [], skipped: [], warnings: [] });
      expect(isRunning(connection.pid!)).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it("says what a server sent instead of an answer when tools/list times out", async () => {
    const server = fixture("hostile", ["--misbehave", "wrong-ids"], { requestTimeoutMs: 800 });
    const connection = await connect(server);
    try {
      const error = await rejection(listTools(connection, server));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error.message).toBe(
        'server "hostile": no answer to tools/list within 800 ms. Meanwhile it sent 3 answers with ids no request was waiting for, 2 lines that were not JSON and 1 line of JSON that was not a JSON-RPC message: it answers wrongly rather than slowly. Run it by hand to see what it writes to stdout.',
      );
    } finally {
      await connection.close();
    }
  });

  it("says what a server sent instead of answering initialize", async () => {
    const junk = `process.stdout.write('starting up\\n{"jsonrpc":"2.0","id":77,"result":{}}\\n'); process.stdin.resume();`;
    const server = stdioServer("junk", process.execPath, ["-e", junk], { connectTimeoutMs: 500 });
    const error = await rejection(connect(server));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      'server "junk": no answer to initialize within 500 ms. Meanwhile it sent 1 answer with an id no request was waiting for and 1 line that was not JSON: it answers wrongly rather than slowly. Run it by hand to see what it writes to stdout.',
    );
  });

  it("names the field of a tools/list answer of the wrong shape, in one line", async () => {
    const server = fixture("hostile", ["--misbehave", "bad-shape"]);
    const connection = await connect(server);
    try {
      const error = await rejection(listTools(connection, server));
      expect(error).toBeInstanceOf(IntrospectionError);
      expect(error.message).toBe(
        'server "hostile": the answer to tools/list does not have the shape MCP requires: "tools": expected array, received string',
      );
      // The connection is fine: the server answers the next request.
      expect(isRunning(connection.pid!)).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it("names the field of a wrong-shaped tools/list answer over HTTP too", async () => {
    const http = await startHttpFixture({ misbehave: ["bad-shape"] });
    const server = httpServer("nope", http.mcpUrl, "streamable-http");
    try {
      const connection = await connect(server);
      try {
        const error = await rejection(listTools(connection, server));
        expect(error.message).toBe(
          'server "nope": the answer to tools/list does not have the shape MCP requires: "tools": expected array, received string',
        );
      } finally {
        await connection.close();
      }
    } finally {
      await http.close();
    }
  });

  it("times out on an HTTP server that accepts connections but never answers", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      for (const mode of ["auto", "sse"] as const) {
        const server = httpServer("silent", `http://127.0.0.1:${port}/mcp`, mode, {
          connectTimeoutMs: 300,
        });
        const started = Date.now();
        const error = await rejection(connect(server));
        expect(error).toBeInstanceOf(TimeoutError);
        // The 300 ms timeout with room for a loaded machine; without it, a minute (the SDK's).
        expect(Date.now() - started).toBeLessThan(15_000);
      }
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
