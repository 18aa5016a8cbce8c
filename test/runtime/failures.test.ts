/**
 * `callMcpTool` when things go wrong, against real fixture servers: a tool call that never
 * answers, an abort, a server that crashes at start-up, and a connection that broke while a
 * newer one was already open.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import type { ResolvedConfig } from "../../src/config/types.js";
import {
  callMcpTool,
  closeConnections,
  ServerCrashedError,
  setRuntimeConfig,
  TimeoutError,
} from "../../src/runtime/index.js";
import { ConnectionPool } from "../../src/runtime/pool.js";
import { eventually, FIXTURES, processesWithEnv, rejection, ROOT } from "../connect/servers.js";

const MARKER = "MCP_CODEGEN_RUNTIME_TEST";
const hangMark = `failures-hang-${randomUUID()}`;
const node = process.execPath;
let config: ResolvedConfig;

beforeAll(() => {
  const resolved = resolveConfig(
    {
      servers: {
        schemas: { command: node, args: [join(FIXTURES, "schemas.mjs")] },
        hang: {
          command: node,
          args: [join(FIXTURES, "hang.mjs"), "--hang-on=call"],
          env: { [MARKER]: hangMark },
          timeout: 1000,
        },
        // Never answers `initialize`: the call is still starting the server when it is aborted.
        // Its timeout far beyond the abort, so that only the abort can end the call in time.
        mute: { command: node, args: [join(FIXTURES, "hang.mjs")], timeout: 20_000 },
        crash: { command: node, args: [join(FIXTURES, "crash.mjs")] },
      },
    },
    { root: ROOT, cwd: ROOT, env: {} },
  );
  // `timeout` also bounds the start-up; on a busy machine a node server can need more than 1 s.
  const servers = resolved.servers.map((s) =>
    s.name === "hang" ? { ...s, connectTimeoutMs: 10_000 } : s,
  );
  config = { ...resolved, servers };
  setRuntimeConfig(config);
});

afterAll(() => closeConnections());

const hangProcesses = () => processesWithEnv(MARKER, hangMark);

describe("timeouts", () => {
  it("times out a hung call with a TimeoutError, ends that server, and the next call works", async () => {
    const started = Date.now();
    const error = await rejection(callMcpTool("hang", "ping", {}));
    // The 1 s timeout, and the spawn before it on a loaded machine; without it the call hangs.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", server: "hang", timeoutMs: 1000 });
    expect(error.message).toContain('server "hang": no answer to tools/call ping within 1000 ms');
    // The stuck connection was dropped and its process ended.
    await eventually(() => (hangProcesses().length === 0 ? true : undefined));

    await expect(callMcpTool("schemas", "get_server_time")).resolves.toBeTypeOf("object");
    // The same server is reconnected (a fresh process) rather than left broken.
    const again = await rejection(callMcpTool("hang", "ping", {}, { timeout: 200 }));
    expect(again).toBeInstanceOf(TimeoutError);
    expect(again).toMatchObject({ timeoutMs: 200 });
    expect(again.message).toContain("no answer to tools/call ping within 200 ms");
  });
});

describe("cancellation", () => {
  it("rejects with the abort reason when the signal aborts a call in flight", async () => {
    const controller = new AbortController();
    const call = callMcpTool("hang", "ping", {}, { signal: controller.signal, timeout: 25_000 });
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const error = await rejection(call);
    expect(error.name).toBe("AbortError");
    // Well before the 25 s timeout, with room for a loaded machine (the spawn alone can take 1 s).
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("rejects an already aborted signal without starting anything", async () => {
    const reason = new Error("stop now");
    const error = await rejection(
      callMcpTool("crash", "anything", {}, { signal: AbortSignal.abort(reason) }),
    );
    expect(error).toBe(reason);
  });

  it("rejects at once when aborted while the server is still starting", async () => {
    const started = Date.now();
    const error = await rejection(
      callMcpTool("mute", "ping", {}, { signal: AbortSignal.timeout(300) }),
    );
    expect(error.name).toBe("TimeoutError"); // the DOMException AbortSignal.timeout() aborts with
    // Well before mute's 20 s start-up timeout, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe("a server that crashes", () => {
  it("throws ServerCrashedError with the exit code and stderr, and tries again on the next call", async () => {
    const first = await rejection(callMcpTool("crash", "anything", {}));
    expect(first).toBeInstanceOf(ServerCrashedError);
    expect(first).toMatchObject({ code: "CONNECT", server: "crash", exitCode: 3 });
    expect((first as ServerCrashedError).stderrTail).toContain(
      "fatal: missing API key FIXTURE_TOKEN",
    );
    const second = await rejection(callMcpTool("crash", "anything", {}));
    expect(second).toBeInstanceOf(ServerCrashedError);
    expect(second).not.toBe(first); // a failed start is not cached
  });
});

describe("ConnectionPool.discard", () => {
  it("drops only the broken connection, not one opened since by another call", async () => {
    const pool = new ConnectionPool();
    const server = config.servers.find((s) => s.name === "schemas")!;
    try {
      const broken = await pool.acquire(server);
      await pool.discard(broken);
      const fresh = await pool.acquire(server);
      expect(fresh).not.toBe(broken);
      // A second call on the broken connection fails late and discards it again.
      await pool.discard(broken);
      expect(await pool.acquire(server)).toBe(fresh);
    } finally {
      await pool.closeAll();
    }
  });
});
