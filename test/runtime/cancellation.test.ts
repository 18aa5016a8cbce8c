/**
 * Aborting a call tells the server (`notifications/cancelled`, which the fixture records in a
 * file), and progress notifications reach `onProgress`, against the real `flaky` fixture.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import { callMcpTool, closeConnections, setRuntimeConfig } from "../../src/runtime/index.js";
import { eventually, FIXTURES, rejection, ROOT } from "../connect/servers.js";

const temp = mkdtempSync(join(tmpdir(), "mcp-codegen-cancel-"));

beforeAll(() => {
  setRuntimeConfig(
    resolveConfig(
      { servers: { flaky: { command: process.execPath, args: [join(FIXTURES, "flaky.mjs")] } } },
      { root: ROOT, cwd: ROOT, env: {} },
    ),
  );
});

afterAll(async () => {
  await closeConnections();
  rmSync(temp, { recursive: true, force: true });
});

describe("cancellation", () => {
  it("sends notifications/cancelled for an aborted call, and the connection stays usable", async () => {
    await callMcpTool("flaky", "echo"); // started, so that the abort hits the call itself
    const cancelFile = join(temp, "cancelled.txt");
    const controller = new AbortController();
    const reason = new Error("the user pressed stop");
    const call = callMcpTool(
      "flaky",
      "slow",
      { ms: 25_000, steps: 0, cancelFile },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(reason), 200);
    const started = Date.now();
    expect(await rejection(call)).toBe(reason);
    // Well before the 25 s the tool takes, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(15_000);
    // The server creates the file, then writes it: an empty file is not its answer yet.
    const recorded = await eventually(() =>
      existsSync(cancelFile) ? readFileSync(cancelFile, "utf8") || undefined : undefined,
    );
    expect(recorded).toMatch(/^cancelled \d+: Error: the user pressed stop\n$/);
    expect((await callMcpTool("flaky", "echo", { after: "cancel" })).json()).toEqual({
      after: "cancel",
    });
  });
});

describe("progress", () => {
  it("passes the server's progress notifications to onProgress, in order", async () => {
    const seen: unknown[] = [];
    const result = await callMcpTool(
      "flaky",
      "slow",
      { ms: 300, steps: 3 },
      { onProgress: (progress) => seen.push(progress) },
    );
    expect(result.text).toBe("done");
    expect(seen).toEqual([
      { progress: 1, total: 3, message: "step 1" },
      { progress: 2, total: 3, message: "step 2" },
      { progress: 3, total: 3, message: "step 3" },
    ]);
  });
});
