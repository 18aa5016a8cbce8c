/**
 * Protocol revisions: each connection negotiates the newest revision both sides speak. The
 * `modern` fixture speaks only 2026-07-28 (and refuses `initialize`); the official servers and
 * the other fixtures are on the SDK's 1.x line, which speaks up to 2025-11-25.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  startModernHttpFixture,
  type ModernHttpFixture,
} from "../../fixtures/servers/lib/modern-fixture.mjs";
import { startHttpFixture, type HttpFixture } from "../../fixtures/servers/lib/http-fixture.mjs";
import { connect, ServerAnswerError, type Connection } from "../../src/connect/index.js";
import {
  fixture,
  httpServer,
  isRunning,
  listToolNames,
  officialServer,
  rejection,
  stdioServer,
} from "./servers.js";

const Sum = z.looseObject({ structuredContent: z.object({ sum: z.number() }) });

async function using<T>(connecting: Promise<Connection>, use: (c: Connection) => Promise<T>) {
  const connection = await connecting;
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

describe("protocol revisions", () => {
  let modernHttp: ModernHttpFixture;
  let legacyHttp: HttpFixture;
  beforeAll(async () => {
    [modernHttp, legacyHttp] = await Promise.all([startModernHttpFixture(), startHttpFixture()]);
  });
  afterAll(() => Promise.all([modernHttp.close(), legacyHttp.close()]));

  it("speaks 2026-07-28 with a server that speaks only it, over stdio", async () => {
    await using(connect(fixture("modern")), async (connection) => {
      expect(connection.protocolVersion).toBe("2026-07-28");
      expect(connection.serverInfo).toEqual({ name: "fixture-modern", version: "2.0.0" });
      expect(connection.instructions).toBe("Speaks only protocol revision 2026-07-28.");
      expect(connection.offers).toEqual({ tools: true, resources: false, prompts: false });
      expect(await listToolNames(connection)).toEqual(["confirm", "echo", "add", "locate"]);
      const result = await connection.request(
        "tools/call",
        { name: "add", arguments: { a: 2, b: 40 } },
        Sum,
      );
      expect(result.structuredContent).toEqual({ sum: 42 });
      // It asks for input in its result (2026-07-28 has no server requests): for elicitation,
      // which we do not declare, so the server answers with an error and the connection is fine.
      const asked = await rejection(
        connection.request("tools/call", { name: "confirm", arguments: {} }, z.unknown()),
      );
      expect(asked).toBeInstanceOf(ServerAnswerError);
      expect((asked as ServerAnswerError).rpcCode).toBe(-32021);
      expect((asked as ServerAnswerError).detail).toContain("elicitation/create");
      const answer = await rejection(connection.request("no/such-method", {}, z.unknown()));
      expect(answer).toBeInstanceOf(ServerAnswerError);
      expect((answer as ServerAnswerError).rpcCode).toBe(-32601);
    });
  });

  it("speaks 2026-07-28 with it over Streamable HTTP, in auto mode as in streamable-http", async () => {
    for (const mode of ["auto", "streamable-http"] as const) {
      await using(connect(httpServer("modern-http", modernHttp.mcpUrl, mode)), async (c) => {
        expect(c.transport).toBe("streamable-http");
        expect(c.protocolVersion).toBe("2026-07-28");
        expect(await listToolNames(c)).toEqual(["confirm", "echo", "add", "locate"]);
        const result = await c.request(
          "tools/call",
          { name: "add", arguments: { a: 1, b: 1 } },
          Sum,
        );
        expect(result.structuredContent).toEqual({ sum: 2 });
      });
    }
  });

  it("falls back to 2025-11-25 with servers of the 1.x SDK, over stdio, Streamable HTTP and SSE", async () => {
    const servers = [
      stdioServer("memory", process.execPath, [officialServer("memory")]),
      fixture("schemas"),
      httpServer("streamable", `${legacyHttp.url}/mcp`, "streamable-http"),
      httpServer("sse", `${legacyHttp.url}/sse`, "sse"),
    ];
    const seen = await Promise.all(
      servers.map((server) =>
        using(connect(server), async (c) => [
          c.transport,
          c.protocolVersion,
          (await listToolNames(c)).length,
        ]),
      ),
    );
    expect(seen).toEqual([
      ["stdio", "2025-11-25", 9],
      ["stdio", "2025-11-25", 9],
      ["streamable-http", "2025-11-25", 9],
      ["sse", "2025-11-25", 9],
    ]);
  });

  it("speaks the older revision a server answers initialize with: 2024-11-05, 2025-03-26, 2025-06-18", async () => {
    const revisions = ["2024-11-05", "2025-03-26", "2025-06-18"];
    const seen = await Promise.all(
      revisions.map((revision) =>
        using(connect(fixture("dated", ["--revision", revision])), async (c) => [
          c.protocolVersion,
          await listToolNames(c),
        ]),
      ),
    );
    expect(seen).toEqual(revisions.map((revision) => [revision, ["ping"]]));
  });

  it("leaves nothing running after a 2026-07-28 stdio server is closed", async () => {
    const pid = await using(connect(fixture("modern")), async (c) => c.pid);
    expect(pid).toBeTypeOf("number");
    expect(isRunning(pid!)).toBe(false);
  });
});
