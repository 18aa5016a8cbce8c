import { describe, expect, it } from "vitest";
import { ServerCrashedError } from "../../src/errors.js";
import { introspect } from "../../src/introspect/index.js";
import { introspectServer } from "../../src/introspect/introspect-server.js";
import { mapConcurrent } from "../../src/concurrency.js";
import type { Reporter, ServerStatus } from "../../src/log.js";
import { fixture, officialServer, stdioServer } from "../connect/servers.js";

function recorder() {
  const events: Array<[string, ServerStatus["kind"]]> = [];
  let running = 0;
  let maxRunning = 0;
  const reporter: Reporter = {
    serverStatus(server, status) {
      events.push([server, status.kind]);
      if (status.kind === "connecting") maxRunning = Math.max(maxRunning, ++running);
      if (status.kind === "listed" || status.kind === "failed") running -= 1;
    },
    info() {},
    warn() {},
  };
  return { reporter, events, maxRunning: () => maxRunning };
}

describe("introspect", () => {
  it("lists good servers, reports the failing one, skips disabled ones, within the concurrency bound", async () => {
    const servers = [
      stdioServer("memory", process.execPath, [officialServer("memory")]),
      fixture("crash"),
      fixture("paged"),
      fixture("schemas"),
      { ...fixture("hang"), name: "off", disabled: true },
    ];
    const { reporter, events, maxRunning } = recorder();
    const { snapshots, failures } = await introspect(servers, { concurrency: 2, reporter });

    expect(snapshots.map((s) => s.name)).toEqual(["memory", "paged", "schemas"]);
    expect(snapshots.map((s) => s.tools.length)).toEqual([9, 25, expect.any(Number)]);
    expect(snapshots[2]?.info).toEqual({ name: "fixture-schemas", version: "1.0.0" });
    expect(snapshots[2]?.instructions).toContain("JSON Schema features");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(ServerCrashedError);
    expect((failures[0] as ServerCrashedError).exitCode).toBe(3);

    expect(maxRunning()).toBe(2);
    expect(
      events
        .filter(([, kind]) => kind === "connecting")
        .map(([name]) => name)
        .sort(),
    ).toEqual(["crash", "memory", "paged", "schemas"]);
    expect(events).toContainEqual(["off", "skipped"]);
    expect(events).toContainEqual(["crash", "failed"]);
    expect(events.filter(([, kind]) => kind === "listed")).toHaveLength(3);
  });

  it("returns empty results for no servers", async () => {
    expect(await introspect([], { concurrency: 4 })).toEqual({ snapshots: [], failures: [] });
  });
});

describe("mapConcurrent", () => {
  it("keeps the input order and never runs more than the limit", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapConcurrent([30, 10, 20, 0, 5], 2, async (ms, index) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running -= 1;
      return index;
    });
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });
});

describe("introspectServer", () => {
  it("says once, with a count, that a server wrote lines to stdout that are not MCP", async () => {
    const schemas = fixture("schemas").transport as { args: readonly string[] };
    // A real server behind a shell wrapper that logs to stdout before it starts.
    const server = stdioServer("chatty", "/bin/sh", [
      "-c",
      `echo "starting up"; echo "ready soon"; echo "{not json"; exec "${process.execPath}" "${schemas.args[0]}"`,
    ]);
    const warnings: string[] = [];
    const reporter: Reporter = {
      serverStatus() {},
      info() {},
      warn: (warning) => void warnings.push(warning.message),
    };
    const snapshot = await introspectServer(server, reporter);
    expect(snapshot.tools.length).toBeGreaterThan(0);
    expect(warnings).toEqual([
      "the server wrote 3 lines to stdout that are not MCP messages (logging to stdout?); skipped. Its stdout is for the protocol: make it log to stderr.",
    ]);
  });
});
