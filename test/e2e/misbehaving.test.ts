/**
 * Servers that misbehave on the wire (the hostile fixture's `--misbehave` modes), through the
 * real CLI over real stdio: each ends in a clear result, never a hang or a silent exit.
 */
import { describe, expect, it } from "vitest";
import { fixture, listTree, newMarker, processesWithMarker, runCli, tempProject } from "./cli.js";

const hostile = (...misbehave: string[]) =>
  fixture(
    "hostile",
    misbehave.flatMap((name) => ["--misbehave", name]),
  );

describe("a server behind a shell wrapper that only a signal ends", () => {
  it("is generated and ended: the run exits 0 with its report (it exited 13 in silence)", async () => {
    const marker = newMarker();
    const { command, args } = hostile("stubborn");
    const wrapped = {
      command: "bash",
      args: ["-c", `${command} ${args.join(" ")}; true`],
      env: marker,
    };
    const dir = tempProject({ ".mcp.json": { mcpServers: { wrapped } } });
    const run = await runCli(["--config", ".mcp.json"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("wrapped: listed 23 tools, skipped 5 invalid");
    expect(run.stderr).toContain("servers: 23 tools from 1 server; 28 created");
    expect(listTree(dir)).toContain("servers/wrapped/ping.ts");
    expect(processesWithMarker(marker)).toEqual([]);
  });
});
