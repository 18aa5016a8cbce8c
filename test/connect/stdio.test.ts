import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.js";
import { z } from "zod";
import { connect, ServerAnswerError } from "../../src/connect/index.js";
import {
  ConnectionError,
  ServerConfigError,
  ServerCrashedError,
  TimeoutError,
} from "../../src/errors.js";
import {
  eventually,
  FIXTURES,
  fixture,
  isRunning,
  listToolNames,
  officialServer,
  processesWithEnv,
  rejection,
  ROOT,
  stdioServer,
} from "./servers.js";

describe("connect over stdio", () => {
  it("initializes server-memory and ends its process on close", async () => {
    const server = stdioServer("memory", process.execPath, [officialServer("memory")]);
    const connection = await connect(server);
    expect(connection.transport).toBe("stdio");
    expect(connection.serverInfo.name).toBe("memory-server");
    expect(connection.offers.tools).toBe(true);
    expect(connection.requestOptions).toEqual({ timeout: 5_000 });
    const pid = connection.pid;
    expect(pid).toBeTypeOf("number");
    expect(isRunning(pid!)).toBe(true);

    await connection.close();
    expect(isRunning(pid!)).toBe(false);
    await connection.close(); // idempotent
  });

  it("fails requests with our errors only: the server's answer, then a connection that ended", async () => {
    const connection = await connect(
      stdioServer("memory", process.execPath, [officialServer("memory")]),
    );
    try {
      const answer = await rejection(connection.request("no/such-method", {}, z.unknown()));
      expect(answer).toBeInstanceOf(ServerAnswerError);
      expect((answer as ServerAnswerError).rpcCode).toBe(-32601);
      expect((answer as ServerAnswerError).detail).not.toMatch(/^MCP error/);
    } finally {
      await connection.close();
    }
    const ended = await rejection(connection.request("tools/list", {}, z.unknown()));
    expect(ended).toBeInstanceOf(ConnectionError);
  });

  it("reports a server that exits before initialize as a crash with its code and stderr", async () => {
    const error = await rejection(connect(fixture("crash")));
    expect(error).toBeInstanceOf(ServerCrashedError);
    const crash = error as ServerCrashedError;
    expect(crash.exitCode).toBe(3);
    expect(crash.stderrTail).toContain("fatal: missing API key FIXTURE_TOKEN");
    expect(crash.message).toContain('server "crash"');
    expect(crash.message).toContain("exited with code 3 during initialize");
  });

  it("redacts secrets from the stderr tail of a crash, and only them", async () => {
    // As the config decides: the value of a variable named for a key is secret, a mode is not.
    const [server] = resolveConfig(
      {
        servers: {
          crash: {
            command: process.execPath,
            args: [join(FIXTURES, "crash.mjs")],
            env: { CRASH_API_KEY: "FIXTURE_TOKEN", MODE: "starting" },
          },
        },
      },
      { root: ROOT, cwd: ROOT, env: {} },
    ).servers;
    expect(server?.secrets).toEqual(["FIXTURE_TOKEN"]);
    const error = await rejection(connect(server!));
    const tail = (error as ServerCrashedError).stderrTail;
    expect(tail).toContain("missing API key [REDACTED]");
    expect(tail).toContain("fixture-crash: starting");
    expect(error.message).not.toContain("FIXTURE_TOKEN");
  });

  it("does not start a server whose config could not be filled in", async () => {
    const issue = { path: "servers.crash.env.K", message: "environment variable K is not set" };
    const error = await rejection(connect(fixture("crash", [], { unusable: [issue] })));
    expect(error).toBeInstanceOf(ServerConfigError);
    expect(error.message).toBe(
      'server "crash" cannot be used here: fix what its config reads, or set "disabled": true for it:\n' +
        "  servers.crash.env.K: environment variable K is not set",
    );
  });

  it("times out on a server that never answers initialize and leaves no process behind", async () => {
    const marker = randomUUID();
    const server = fixture("hang", [], {
      connectTimeoutMs: 400,
      env: { MCP_CODEGEN_TEST_MARKER: marker },
    });
    const started = Date.now();
    const error = await rejection(connect(server));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("no answer to initialize within 400 ms");
    // Under a second, the config may have meant seconds.
    expect(error.message).toMatch(/Timeouts are in milliseconds\.$/);
    // The timeout itself, then SIGTERM to the group (the hang fixture dies on it at once); the
    // bound is for a hang (the SDK's minute), with room for a loaded machine.
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(15_000);
    expect(processesWithEnv("MCP_CODEGEN_TEST_MARKER", marker)).toEqual([]);
  });

  it("kills a server's grandchild on close", async () => {
    const connection = await connect(fixture("spawner"));
    const grandchild = await eventually(() => grandchildPid(connection.stderrTail()));
    expect(isRunning(grandchild)).toBe(true);
    await connection.close();
    expect(isRunning(connection.pid!)).toBe(false);
    expect(isRunning(grandchild)).toBe(false);
  });

  it("kills the whole tree of a server started through a shell wrapper", async () => {
    // sh stays the leader and node runs as its child: the layout `npx` produces.
    const script = `"${process.execPath}" fixtures/servers/spawner.mjs; echo wrapper-done >&2`;
    const connection = await connect(stdioServer("wrapped", "sh", ["-c", script]));
    const grandchild = await eventually(() => grandchildPid(connection.stderrTail()));
    await connection.close();
    expect(isRunning(connection.pid!)).toBe(false);
    expect(isRunning(grandchild)).toBe(false);
  });

  it("drains a server that writes 5 MB to stderr and keeps only the tail", async () => {
    const connection = await connect(fixture("noisy"));
    try {
      expect(await listToolNames(connection)).toEqual(["ping"]);
      const tail = connection.stderrTail();
      expect(tail.length).toBeGreaterThan(0);
      expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(8 * 1024);
      // The fixture's last line is cut at exactly 5 MB, so match any complete line.
      expect(/\nnoise \d{8} x{80}\n/.test(tail)).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it("says the command was not found when it is not on the PATH", async () => {
    const error = await rejection(
      connect(stdioServer("missing", "mcp-codegen-no-such-command", [])),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(ServerCrashedError);
    expect(error.message).toContain('command "mcp-codegen-no-such-command" was not found');
    expect(error.message).toContain("servers.missing.command");
  });

  it("passes the configured env and resolves the command through PATH", async () => {
    const server = stdioServer("node-on-path", "node", ["-e", PRINT_ENV_SERVER], {
      env: { FIXTURE_VALUE: "from-config" },
    });
    const error = await rejection(connect({ ...server, connectTimeoutMs: 5_000 }));
    // The script prints its environment and exits: a crash whose stderr shows what it got.
    expect((error as ServerCrashedError).stderrTail).toContain("FIXTURE_VALUE=from-config");
    expect((error as ServerCrashedError).stderrTail).toContain("PATH=");
    expect((error as ServerCrashedError).stderrTail).not.toContain("VITEST");
  });
});

/** Prints the environment's variable names (and FIXTURE_VALUE's value) to stderr, exits 1. */
const PRINT_ENV_SERVER = `
for (const [k, v] of Object.entries(process.env)) console.error(k === "FIXTURE_VALUE" ? k + "=" + v : k + "=");
process.exit(1);
`;

function grandchildPid(stderr: string): number | undefined {
  const match = /grandchild-pid=(\d+)/.exec(stderr);
  return match ? Number(match[1]) : undefined;
}
