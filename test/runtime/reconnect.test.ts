/**
 * Servers that die, against real fixture servers: between calls (the next call reconnects), in
 * the middle of a call (a typed crash error), at the moment a request is written (sent again on
 * a fresh connection), and at every start (attempts back off).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import type { ResolvedConfig } from "../../src/config/types.js";
import { startHttpFixture } from "../../fixtures/servers/lib/http-fixture.mjs";
import { Backoff, backoffDelay } from "../../src/runtime/backoff.js";
import {
  callMcpTool,
  closeConnections,
  ConnectionError,
  ServerCrashedError,
  setRuntimeConfig,
} from "../../src/runtime/index.js";
import { eventually, FIXTURES, processesWithEnv, rejection, ROOT } from "../connect/servers.js";

const MARKER = "MCP_CODEGEN_RUNTIME_TEST";
const flakyMark = `reconnect-flaky-${randomUUID()}`;
const node = process.execPath;
const temp = mkdtempSync(join(tmpdir(), "mcp-codegen-reconnect-"));

let config: ResolvedConfig;

beforeAll(() => {
  const flaky = (mark: string, args: string[] = []) => ({
    command: node,
    args: [join(FIXTURES, "flaky.mjs"), ...args],
    env: { [MARKER]: mark },
  });
  config = resolveConfig(
    {
      servers: {
        flaky: flaky(flakyMark),
        crash: { command: node, args: [join(FIXTURES, "crash.mjs")] },
        // Fails its first two starts, then works.
        recovers: flaky(`reconnect-recovers-${randomUUID()}`, [
          "--fail-first",
          "2",
          "--state-file",
          join(temp, "starts"),
        ]),
      },
    },
    { root: ROOT, cwd: ROOT, env: {} },
  );
  setRuntimeConfig(config);
});

afterAll(async () => {
  await closeConnections();
  rmSync(temp, { recursive: true, force: true });
});

/**
 * True once a killed process holds no file any more. Its state turns to zombie when its main
 * thread has exited, while its other threads may still hold its files (the server's stdin).
 */
function filesClosed(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return /^State:\s+Z/m.test(status) && /^Threads:\s+1$/m.test(status);
  } catch {
    return true;
  }
}

const flakyPids = () => processesWithEnv(MARKER, flakyMark);
const onePid = () => eventually(() => (flakyPids().length === 1 ? flakyPids()[0] : undefined));

describe("a server that exits", () => {
  it("between calls: the next call reconnects and succeeds", async () => {
    const first = await callMcpTool("flaky", "exit", { code: 0, when: "after" });
    expect(first.text).toBe("exiting soon");
    await eventually(() => (flakyPids().length === 0 ? true : undefined));
    // Let the exit reach this process's event loop, as it would while a program does other work.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await callMcpTool("flaky", "echo", { message: "back" });
    expect(again.json()).toEqual({ message: "back" });
  });

  it("during a call: ServerCrashedError with the exit code and stderr; the next call works", async () => {
    const error = await rejection(
      callMcpTool("flaky", "exit", { code: 7, when: "during", stderr: "fatal: disk on fire" }),
    );
    expect(error).toBeInstanceOf(ServerCrashedError);
    expect(error).toMatchObject({ code: "CONNECT", server: "flaky", exitCode: 7 });
    expect((error as ServerCrashedError).stderrTail).toContain("fatal: disk on fire");
    expect(error.message).toContain("exited with code 7 during tools/call exit");
    expect((await callMcpTool("flaky", "echo", {})).json()).toEqual({});
  });

  it("just before a request is written: it is sent again on a fresh connection", async () => {
    await callMcpTool("flaky", "echo", {});
    const pid = await onePid();
    process.kill(pid, "SIGKILL");
    // Block the event loop until the process is gone, so that this process has not seen the
    // exit yet: the pooled connection still looks open, and writing to it fails (EPIPE).
    const until = Date.now() + 5_000;
    while (!filesClosed(pid) && Date.now() < until);
    const result = await callMcpTool("flaky", "echo", { message: "retried" });
    expect(result.json()).toEqual({ message: "retried" });
    expect(await onePid()).not.toBe(pid);
  });
});

describe("an HTTP server that restarted", () => {
  it("no longer knows the session (404): the call is sent again on a new session", async () => {
    let http = await startHttpFixture();
    const port = http.port;
    setRuntimeConfig(
      resolveConfig({ servers: { web: { url: http.mcpUrl } } }, { root: ROOT, cwd: ROOT, env: {} }),
    );
    try {
      const first = await callMcpTool("web", "send_notification", { message: "one" });
      expect(first.json()).toEqual({ message: "one" });
      await http.close();
      http = await startHttpFixture({ port });
      // Idle a moment, as a program between calls: the old keep-alive socket is seen closed
      // (on a loaded machine that can take a few hundred milliseconds).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const second = await callMcpTool("web", "send_notification", { message: "two" });
      expect(second.json()).toEqual({ message: "two" });
    } finally {
      setRuntimeConfig(config);
      await http.close();
    }
  });
});

describe("backing off a server that fails to start", () => {
  it("waits 0, 250, 500 ms … at most 5 s between attempts", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(backoffDelay)).toEqual([
      0, 250, 500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });

  it("delays each attempt after a failure, and says so in the error", async () => {
    const first = await rejection(callMcpTool("crash", "anything"));
    expect(first).toBeInstanceOf(ServerCrashedError);
    expect(first.message).toContain(
      'The first failed attempt: the next call to "crash" waits 250 ms before connecting again.',
    );
    let started = Date.now();
    const second = await rejection(callMcpTool("crash", "anything"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(second).toBeInstanceOf(ServerCrashedError);
    expect(second.message).toContain("2 failed attempts in a row");
    expect(second.message).toContain("waits 500 ms");

    // The clock stops here (the back-off's timers and Date.now() are in this process): a call
    // that waited for anything, the back-off or its own timeout, would never settle.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      // A call whose timeout ends before the next attempt is allowed fails at once.
      started = Date.now();
      const refused = await rejection(callMcpTool("crash", "anything", {}, { timeout: 100 }));
      // Inside the 500 ms back-off, and no TimeoutError: it waited for neither.
      expect(Date.now() - started).toBe(0);
      expect(refused).toBeInstanceOf(ConnectionError);
      expect(refused.message).toMatch(
        /^server "crash": the last 2 attempts to connect failed, and the next is allowed in \d+ ms, after this call's timeout of 100 ms: backing off\. The last attempt failed with:\n {2}server "crash": the server process exited with code 3/,
      );
      expect((refused as ConnectionError).cause).toBe(second);

      // Aborting stops the wait at once.
      const reason = new Error("user gave up");
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 50);
      started = Date.now();
      const aborted = rejection(callMcpTool("crash", "x", {}, { signal: controller.signal }));
      await vi.advanceTimersByTimeAsync(50);
      expect(await aborted).toBe(reason);
      // Before the back-off's end (about 500 ms after the second failure): the clock moved 50 ms.
      expect(Date.now() - started).toBe(50);
    } finally {
      vi.useRealTimers();
    }
  });

  it("starts over after a success", async () => {
    const started = Date.now();
    expect(await rejection(callMcpTool("recovers", "echo"))).toBeInstanceOf(ServerCrashedError);
    const second = await rejection(callMcpTool("recovers", "echo"));
    expect(second.message).toContain("fixture-flaky: start 2 of 2 failing on purpose");
    const result = await callMcpTool("recovers", "echo", { ok: true });
    expect(result.json()).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(700); // 250 + 500 ms of backing off
  });

  it("forgets the failures once an attempt succeeds", () => {
    const backoff = new Backoff();
    backoff.failed(new Error("one"));
    expect(backoff.failed(new Error("two"))).toBe(500);
    expect(backoff.remaining()).toBeGreaterThan(400);
    backoff.succeeded();
    expect(backoff.remaining()).toBe(0);
    expect(backoff.failed(new Error("three"))).toBe(250);
    expect(backoff.failedInARow).toBe(1);
  });
});
