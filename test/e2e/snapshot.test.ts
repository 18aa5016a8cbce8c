import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, listTree, readTree, runCli, tempProject, type CliResult } from "./cli.js";

const config = { mcpServers: { schemas: fixture("schemas"), names: fixture("names") } };

describe("inspect, then generate --from-snapshot", () => {
  let live: string;
  let replay: string;
  let generated: CliResult;
  let inspected: CliResult;
  let replayed: CliResult;

  beforeAll(async () => {
    live = tempProject({ ".mcp.json": config });
    // inspect only reads the config, so it can run beside generate.
    [generated, inspected] = await Promise.all([
      runCli(["--config", ".mcp.json"], { cwd: live }),
      runCli(["inspect", "--config", ".mcp.json"], { cwd: live }),
    ]);
    // A folder with no config: nothing to connect to, only the snapshot.
    replay = tempProject({ "snapshot.json": inspected.stdout });
    replayed = await runCli(["generate", "--from-snapshot", "snapshot.json"], { cwd: replay });
  });

  it("inspect prints the servers' snapshot as JSON on stdout", () => {
    expect(inspected.code).toBe(0);
    const snapshot = JSON.parse(inspected.stdout) as {
      snapshotVersion: number;
      servers: Array<{ name: string; info: { name: string }; tools: Array<{ name: string }> }>;
    };
    expect(snapshot.snapshotVersion).toBe(1);
    expect(snapshot.servers.map((s) => [s.name, s.info.name, s.tools.length])).toEqual([
      ["names", "fixture-names", 18],
      ["schemas", "fixture-schemas", 9],
    ]);
    expect(snapshot.servers[1]!.tools.map((t) => t.name)).toContain("get_weather");
    expect(inspected.stdout).not.toContain(path.dirname(live));
  });

  it("generating from the snapshot gives the live tree byte for byte", () => {
    expect(generated.code).toBe(0);
    expect(replayed.code).toBe(0);
    expect(replayed.stderr).toContain("servers: 27 tools from 2 servers; 37 created");
    expect(replayed.stderr).not.toContain("connecting");
    const want = readTree(path.join(live, "servers"));
    expect(Object.keys(want)).toHaveLength(37);
    expect(readTree(path.join(replay, "servers"))).toEqual(want);
    expect(listTree(replay)).toEqual([
      "servers/",
      ...listTree(path.join(live, "servers")).map((f) => `servers/${f}`),
      "skills/",
      "snapshot.json",
      "workspace/",
    ]);
  });
});
