import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { connect } from "../../src/connect/index.js";
import { eventually, isRunning, ROOT, stdioServer } from "./servers.js";

const run = promisify(execFile);

describe("connection lifecycle", () => {
  it("ends the process trees of connections left open when the process exits", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "test/connect/exit-without-close.ts"],
      {
        cwd: ROOT,
        timeout: 15_000,
      },
    );
    const pids = JSON.parse(stdout) as { server: number; grandchild: number };
    expect(pids.server).toBeGreaterThan(0);
    expect(pids.grandchild).toBeGreaterThan(0);
    // SIGKILL was sent synchronously in the exit handler; give the kernel a moment to deliver it.
    await eventually(
      () => (!isRunning(pids.server) && !isRunning(pids.grandchild) ? true : undefined),
      2_000,
    );
  });

  it("refuses sampling, elicitation and roots requests from the server instead of hanging", async () => {
    const server = stdioServer("asks-back", process.execPath, [
      "--input-type=module",
      "-e",
      ASKING_SERVER,
    ]);
    const connection = await connect(server);
    try {
      const answers = await eventually(() => {
        const lines = connection.stderrTail().match(/^asked .*$/gm) ?? [];
        return lines.length === 3 ? lines : undefined;
      });
      expect(answers).toEqual([
        "asked roots/list: error -32601",
        "asked sampling/createMessage: error -32601",
        "asked elicitation/create: error -32601",
      ]);
    } finally {
      await connection.close();
    }
  });
});

/** A real server that, once initialized, sends the client the three requests it must refuse. */
const ASKING_SERVER = `
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { EmptyResultSchema } from "@modelcontextprotocol/sdk/types.js";
const server = new Server({ name: "asks-back", version: "1.0.0" }, { capabilities: { tools: {} } });
const requests = [
  { method: "roots/list", params: {} },
  { method: "sampling/createMessage", params: { messages: [], maxTokens: 1 } },
  { method: "elicitation/create", params: { message: "?", requestedSchema: { type: "object", properties: {} } } },
];
server.oninitialized = async () => {
  for (const request of requests) {
    try {
      await server.request(request, EmptyResultSchema, { timeout: 3000 });
      console.error("asked " + request.method + ": answered");
    } catch (error) {
      console.error("asked " + request.method + ": error " + error.code);
    }
  }
};
await server.connect(new StdioServerTransport());
`;
