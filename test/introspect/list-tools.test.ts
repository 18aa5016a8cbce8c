import { describe, expect, it } from "vitest";
import { connect, type Connection } from "../../src/connect/index.js";
import type { ResolvedServer } from "../../src/config/types.js";
import { IntrospectionError, TimeoutError } from "../../src/errors.js";
import { listTools, type ToolList } from "../../src/introspect/index.js";
import { hostileTools } from "../../fixtures/servers/lib/hostile-tools.mjs";
import { startHttpFixture } from "../../fixtures/servers/lib/http-fixture.mjs";
import { fixture, httpServer, officialServer, rejection, stdioServer } from "../connect/servers.js";

async function listed(server: ResolvedServer): Promise<ToolList> {
  const connection: Connection = await connect(server);
  try {
    return await listTools(connection, server);
  } finally {
    await connection.close();
  }
}

describe("listTools", () => {
  it("keeps the valid tools of the hostile fixture and skips each invalid one with its reason", async () => {
    const { tools, skipped, warnings } = await listed(fixture("hostile"));
    expect(skipped).toEqual([
      { name: "dup_tool", index: 22, reason: "duplicate name: the tool at index 21 has it too" },
      {
        name: "bad_input_type",
        index: 24,
        reason: 'inputSchema.type must be "object", got "string"',
      },
      { name: "no_input_schema", index: 25, reason: "inputSchema is missing" },
      { index: 26, reason: "name must be a non-empty string, got 42" },
      {
        name: "bad_output_type",
        index: 27,
        reason: 'outputSchema.type must be "object", got "array"',
      },
    ]);
    expect(tools).toHaveLength(26);
    expect(tools[0]?.name).toBe("ping");
    expect(tools.find((tool) => tool.name === "dup_tool")?.description).toBe(
      "First of two tools with the same name.",
    );
    expect(warnings).toEqual([]);
  });

  it("follows nextCursor across pages, in order", async () => {
    const { tools, skipped, warnings } = await listed(fixture("paged"));
    expect(tools.map((tool) => tool.name)).toEqual(
      Array.from({ length: 25 }, (_, i) => `paged_tool_${String(i + 1).padStart(2, "0")}`),
    );
    expect(skipped).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("fails a server whose pages repeat a cursor: a partial list would delete stubs", async () => {
    const error = await rejection(listed(fixture("paged", ["--repeat-cursor"])));
    expect(error).toBeInstanceOf(IntrospectionError);
    expect(error.message).toBe(
      'server "paged": tools/list returned the cursor of an earlier page again (a server bug), after page 2 (20 tools): the list has no end that can be reached, so nothing of this server was written. Fix the server\'s paging, or give --partial to write the other servers.',
    );
  });

  it("keeps what was listed, with a warning, when only comparing (the runtime)", async () => {
    const server = fixture("paged", ["--repeat-cursor"]);
    const connection: Connection = await connect(server);
    try {
      const { tools, warnings } = await listTools(connection, server, "warn");
      expect(tools).toHaveLength(20);
      expect(warnings).toEqual([
        {
          server: "paged",
          message:
            "tools/list returned the cursor of an earlier page again (a server bug); " +
            "stopped listing after page 2 and kept the 20 tools listed so far",
        },
      ]);
    } finally {
      await connection.close();
    }
  });

  it("gives up on tools/list after the request timeout", async () => {
    const server = fixture("hang", ["--hang-on=list"], { requestTimeoutMs: 300 });
    const started = Date.now();
    const error = await rejection(listed(server));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("no answer to tools/list within 300 ms");
    // Not the SDK's minute, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("reports an error the server answers tools/list with", async () => {
    const server = stdioServer(
      "refuses",
      process.execPath,
      ["--input-type=module", "-e", REFUSING_SERVER],
      {
        secrets: ["hunter2"],
      },
    );
    const error = await rejection(listed(server));
    expect(error).toBeInstanceOf(IntrospectionError);
    expect(error.message).toBe(
      'server "refuses": the server answered tools/list with error -32603: backend down (token [REDACTED])',
    );
  });

  it.each([
    ["memory", [], ["create_entities", "read_graph"]],
    ["everything", [], ["echo", "get-sum"]],
    ["filesystem", [process.cwd()], ["read_text_file", "list_directory"]],
  ] as const)("lists the official %s server", async (name, args, expected) => {
    const { tools, skipped } = await listed(
      stdioServer(name, process.execPath, [officialServer(name), ...args]),
    );
    expect(skipped).toEqual([]);
    const names = tools.map((tool) => tool.name);
    for (const tool of expected) expect(names).toContain(tool);
    for (const tool of tools) expect(tool.inputSchema["type"]).toBe("object");
  });
});

describe("a tool list that changes while it is listed", () => {
  const changing = (misbehave: string) => fixture("hostile", ["--misbehave", misbehave]);
  const CHANGED =
    "the server's tool list changed while it was being listed, 3 times in a row (notifications/tools/list_changed arrived during each listing)";

  it("is listed again: tools/list_changed between two pages (over stdio)", async () => {
    const { tools, skipped, warnings } = await listed(changing("list-changed-once"));
    expect(tools).toHaveLength(27);
    expect(tools.at(-1)?.name).toBe("added_later");
    expect(skipped).toHaveLength(5);
    expect(warnings).toEqual([]);
  });

  it("is listed again over HTTP, the notification on the stream of the page it precedes", async () => {
    const http = await startHttpFixture({
      tools: hostileTools(),
      misbehave: ["list-changed-once"],
    });
    try {
      const { tools } = await listed(httpServer("changing", http.mcpUrl, "streamable-http"));
      expect(tools.map((tool) => tool.name)).toContain("added_later");
    } finally {
      await http.close();
    }
  });

  it("fails the server when it keeps changing", async () => {
    const error = await rejection(listed(changing("list-changed-always")));
    expect(error).toBeInstanceOf(IntrospectionError);
    expect(error.message).toBe(
      `server "hostile": ${CHANGED}, so nothing of this server was written. Run generate again once its tools have settled, or give --partial to write the other servers.`,
    );
  });

  it("keeps the last listing, with a warning, when only comparing (the runtime)", async () => {
    const server = changing("list-changed-always");
    const connection = await connect(server);
    try {
      const { tools, warnings } = await listTools(connection, server, "warn");
      expect(tools).toHaveLength(27);
      expect(warnings).toEqual([
        { server: "hostile", message: `${CHANGED}; kept the last listing` },
      ]);
    } finally {
      await connection.close();
    }
  });
});

/** A real server whose tools/list handler fails (and leaks a secret in its error message). */
const REFUSING_SERVER = `
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ErrorCode, ListToolsRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
const server = new Server({ name: "refuses", version: "1.0.0" }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => {
  throw new McpError(ErrorCode.InternalError, "backend down (token hunter2)");
});
await server.connect(new StdioServerTransport());
`;
