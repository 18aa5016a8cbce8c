/**
 * Config mistakes people make, through the built CLI: a timeout written in seconds, and
 * include/exclude globs that match no tool. Each is a warning naming the server and the field;
 * the run goes on, and the report shows how many tools the filter kept of those listed.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, ROOT, runCli, tempProject, type CliResult } from "./cli.js";

describe("config mistakes", () => {
  let live: CliResult;
  let replayed: CliResult;

  beforeAll(async () => {
    const dir = tempProject({
      ".mcp.json": {
        mcpServers: {
          schemas: {
            ...fixture("schemas"),
            include: ["get_*", "nothing_*"],
            exclude: ["get_server_time", "gone"],
          },
        },
      },
      // Replayed from a snapshot, nothing connects: a 30 ms timeout can only be warned about.
      "replay/.mcp.json": { mcpServers: { github: { command: "x", timeout: 30 } } },
    });
    [live, replayed] = await Promise.all([
      runCli(["--config", ".mcp.json", "--verbose"], { cwd: dir }),
      runCli(
        [
          "--config",
          ".mcp.json",
          "--from-snapshot",
          path.join(ROOT, "fixtures/snapshots/multi-server.json"),
        ],
        { cwd: path.join(dir, "replay") },
      ),
    ]);
  });

  it("reports listed and kept counts for a filtered server", () => {
    expect(live.code).toBe(0);
    expect(live.stderr).toMatch(/schemas: listed 9 tools, kept 1 by include\/exclude/);
  });

  it("warns about each glob that matches nothing, naming server and field", () => {
    expect(live.stderr).toContain(
      '  schemas include: the glob "nothing_*" matches none of the 9 tools the server lists\n',
    );
    expect(live.stderr).toContain(
      '  schemas exclude: the glob "gone" matches none of the 9 tools the server lists; a glob matches whole names ("gone*" those starting so)\n',
    );
  });

  it("warns about a timeout under a second, and still generates", () => {
    expect(replayed.code).toBe(0);
    expect(replayed.stderr).toContain(
      "  github timeout: is 30 ms: timeouts are milliseconds; did you mean 30000 (30 s)?\n",
    );
  });
});
