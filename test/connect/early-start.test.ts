/**
 * Servers started before the SDK has loaded (connect/early-start.ts): the connection that takes
 * one later sees everything the server did meanwhile, and one nobody takes is ended.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { connect } from "../../src/connect/index.js";
import { endUnclaimed, startEarly } from "../../src/connect/early-start.js";
import { ServerCrashedError } from "../../src/errors.js";
import {
  eventually,
  fixture,
  isRunning,
  listToolNames,
  officialServer,
  processesWithEnv,
  rejection,
  stdioServer,
} from "./servers.js";

describe("servers started early", () => {
  it("are taken by the connection to the same server, which lists its tools", async () => {
    const server = stdioServer("everything", process.execPath, [
      officialServer("everything"),
      "stdio",
    ]);
    if (server.transport.kind !== "stdio") throw new Error("a stdio server");
    startEarly(server.transport);
    await sleep(300); // it boots meanwhile, and may already have written to stderr
    const connection = await connect(server);
    try {
      expect((await listToolNames(connection)).length).toBeGreaterThan(5);
    } finally {
      await connection.close();
    }
  });

  it("keep what a server wrote and how it ended before anyone connected", async () => {
    const server = fixture("crash");
    if (server.transport.kind !== "stdio") throw new Error("a stdio server");
    startEarly(server.transport);
    await sleep(500); // it has written its stderr and exited with code 3 by now
    const error = await rejection(connect(server));
    expect(error).toBeInstanceOf(ServerCrashedError);
    expect(error.message).toMatch(/code 3/);
    expect((error as ServerCrashedError).stderrTail).toContain("fatal: missing API key");
  });

  it("are ended when no connection takes them", async () => {
    const marker = randomUUID();
    const server = fixture("hang", [], { env: { EARLY_START_TEST: marker } });
    if (server.transport.kind !== "stdio") throw new Error("a stdio server");
    startEarly(server.transport);
    const [pid] = await eventually(() => {
      const found = processesWithEnv("EARLY_START_TEST", marker);
      return found.length > 0 ? found : undefined;
    });
    await endUnclaimed();
    expect(isRunning(pid!)).toBe(false);
  });
});
