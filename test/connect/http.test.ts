import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Connection } from "../../src/connect/index.js";
import { ConnectionError } from "../../src/errors.js";
import { FIXTURES, httpServer, listToolNames, officialServer, rejection } from "./servers.js";

interface HttpFixture {
  url: string;
  mcpUrl: string;
  sseUrl: string;
  close(): Promise<void>;
}
type StartHttpFixture = (options?: {
  requireHeader?: string;
  sseOnly?: boolean;
}) => Promise<HttpFixture>;

// The fixture is plain JS without type declarations; the specifier is a variable so the import
// is typed by the interface above rather than inferred.
const fixtureModule = join(FIXTURES, "lib/http-fixture.mjs");
const { startHttpFixture } = (await import(fixtureModule)) as {
  startHttpFixture: StartHttpFixture;
};

async function withConnection<T>(
  connecting: Promise<Connection>,
  use: (c: Connection) => Promise<T>,
): Promise<T> {
  const connection = await connecting;
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

describe("connect over HTTP (fixture)", () => {
  let both: HttpFixture;
  let sseOnly: HttpFixture;
  let guarded: HttpFixture;
  beforeAll(async () => {
    [both, sseOnly, guarded] = await Promise.all([
      startHttpFixture(),
      startHttpFixture({ sseOnly: true }),
      startHttpFixture({ requireHeader: "x-api-key:let-me-in" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([both?.close(), sseOnly?.close(), guarded?.close()]);
  });

  it("speaks Streamable HTTP", async () => {
    await withConnection(
      connect(httpServer("http", both.mcpUrl, "streamable-http")),
      async (connection) => {
        expect(connection.transport).toBe("streamable-http");
        expect(connection.serverInfo.name).toBe("fixture-http");
        expect(connection.instructions).toContain("JSON Schema features");
        expect(await listToolNames(connection)).toContain("get_weather");
      },
    );
  });

  it("speaks legacy SSE when forced", async () => {
    await withConnection(connect(httpServer("http", both.sseUrl, "sse")), async (connection) => {
      expect(connection.transport).toBe("sse");
      expect(await listToolNames(connection)).toContain("get_weather");
    });
  });

  it("auto mode uses Streamable HTTP when the server speaks it", async () => {
    await withConnection(connect(httpServer("http", both.mcpUrl, "auto")), async (connection) => {
      expect(connection.transport).toBe("streamable-http");
    });
  });

  it("auto mode falls back to SSE when the initial POST gets a 404", async () => {
    await withConnection(
      connect(httpServer("http", sseOnly.sseUrl, "auto")),
      async (connection) => {
        expect(connection.transport).toBe("sse");
        expect(await listToolNames(connection)).toContain("get_weather");
      },
    );
  });

  it("forced Streamable HTTP does not fall back", async () => {
    const error = await rejection(connect(httpServer("http", sseOnly.sseUrl, "streamable-http")));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain("answered HTTP 404");
  });

  it("reports a 401 for a missing header and names the headers setting", async () => {
    for (const mode of ["auto", "streamable-http", "sse"] as const) {
      const url = mode === "sse" ? guarded.sseUrl : guarded.mcpUrl;
      const error = await rejection(connect(httpServer("guarded", url, mode)));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toContain("refused the connection with HTTP 401");
      expect(error.message).toContain("servers.guarded.headers");
    }
  });

  it("sends the configured headers on every request, SSE stream included", async () => {
    const headers = { "X-Api-Key": "let-me-in" };
    for (const [mode, url] of [
      ["streamable-http", guarded.mcpUrl],
      ["sse", guarded.sseUrl],
    ] as const) {
      await withConnection(
        connect(httpServer("guarded", url, mode, { headers })),
        async (connection) => {
          expect(connection.transport).toBe(mode);
          expect(await listToolNames(connection)).toContain("get_weather");
        },
      );
    }
  });

  it("says it could not reach a server that is not listening", async () => {
    const port = await freePort();
    const error = await rejection(
      connect(httpServer("down", `http://127.0.0.1:${port}/mcp`, "auto")),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain(`could not reach http://127.0.0.1:${port}/mcp (ECONNREFUSED)`);
  });
});

describe("connect over HTTP (server-everything)", () => {
  const servers: ChildProcess[] = [];
  afterAll(() => servers.forEach((child) => child.kill("SIGKILL")));

  async function startEverything(mode: "streamableHttp" | "sse"): Promise<string> {
    const port = await freePort();
    const child = spawn(process.execPath, [officialServer("everything"), mode], {
      env: { ...process.env, PORT: String(port) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    servers.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on("data", (chunk: Buffer) => {
        if (/(listening|running) on port/i.test(chunk.toString())) resolve();
      });
      child.once("exit", (code) => reject(new Error(`server-everything exited with ${code}`)));
    });
    return `http://127.0.0.1:${port}`;
  }

  it("lists server-everything's tools over Streamable HTTP and over SSE through auto", async () => {
    const [streamable, sse] = await Promise.all([
      startEverything("streamableHttp"),
      startEverything("sse"),
    ]);
    await withConnection(
      connect(httpServer("everything", `${streamable}/mcp`, "auto")),
      async (connection) => {
        expect(connection.transport).toBe("streamable-http");
        expect(await listToolNames(connection)).toContain("echo");
      },
    );
    await withConnection(
      connect(httpServer("everything", `${sse}/sse`, "auto")),
      async (connection) => {
        expect(connection.transport).toBe("sse");
        expect(await listToolNames(connection)).toContain("echo");
      },
    );
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
