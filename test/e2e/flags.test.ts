import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { documentsOfIndex } from "../../src/search/index-file.js";
import {
  listTree,
  many,
  readTree,
  runCli,
  tempProject,
  writeFiles,
  type CliResult,
} from "./cli.js";

const config = (alpha: number, beta: number) => ({
  ".mcp.json": { mcpServers: { alpha: many(alpha), beta: many(beta) } },
});
const TOOLS = ["tool0000FetchRecords.ts", "tool0001CreateRecords.ts", "tool0002UpdateRecords.ts"];
const serverFiles = (server: string, tools: number) => [
  `${server}/`,
  `${server}/README.md`,
  `${server}/index.ts`,
  `${server}/summary.d.ts`,
  ...TOOLS.slice(0, tools).map((tool) => `${server}/${tool}`),
];

describe("generate's flags", () => {
  const dirs: Record<string, string> = {};
  const runs: Record<string, CliResult> = {};

  beforeAll(async () => {
    const cases: Record<string, string[]> = {
      dryRun: ["--dry-run"],
      out: ["--out", "gen"],
      unknownServer: ["--server", "nope"],
      unknownFlag: ["generate", "--bogus"],
      profile: ["--profile", "profile.json"],
    };
    await Promise.all(
      Object.entries(cases).map(async ([name, args]) => {
        dirs[name] = tempProject(config(2, 1));
        runs[name] = await runCli(["--config", ".mcp.json", ...args], { cwd: dirs[name] });
      }),
    );
  });

  it("--dry-run prints the plan and writes nothing", () => {
    expect(runs.dryRun!.code).toBe(0);
    expect(runs.dryRun!.stdout).toBe(
      [
        "create  servers/README.md",
        "create  servers/alpha/README.md",
        "create  servers/alpha/index.ts",
        "create  servers/alpha/summary.d.ts",
        "create  servers/alpha/tool0000FetchRecords.ts",
        "create  servers/alpha/tool0001CreateRecords.ts",
        "create  servers/beta/README.md",
        "create  servers/beta/index.ts",
        "create  servers/beta/summary.d.ts",
        "create  servers/beta/tool0000FetchRecords.ts",
        "create  servers/index.ts",
        "create  servers/manifest.json",
        "create  servers/search-index.json",
        "13 to create, 0 to update, 0 to delete, 0 unchanged",
        "",
      ].join("\n"),
    );
    expect(listTree(dirs.dryRun!)).toEqual([".mcp.json"]);
  });

  it("--out <dir> writes <dir>/servers, <dir>/skills and <dir>/workspace", () => {
    expect(runs.out!.code).toBe(0);
    expect(runs.out!.stderr).toContain("gen/servers: 3 tools from 2 servers; 13 created");
    expect(listTree(dirs.out!)).toEqual([
      ".mcp.json",
      "gen/",
      "gen/servers/",
      "gen/servers/README.md",
      ...serverFiles("alpha", 2).map((f) => `gen/servers/${f}`),
      ...serverFiles("beta", 1).map((f) => `gen/servers/${f}`),
      "gen/servers/index.ts",
      "gen/servers/manifest.json",
      "gen/servers/search-index.json",
      "gen/skills/",
      "gen/workspace/",
    ]);
  });

  it("--server regenerates only that server and keeps the other's files", async () => {
    const dir = dirs.out!;
    const servers = path.join(dir, "gen/servers");
    const before = readTree(servers);
    writeFiles(dir, config(3, 2));
    const run = await runCli(["--config", ".mcp.json", "--out", "gen", "--server", "alpha"], {
      cwd: dir,
    });
    expect(run.stderr).toContain("gen/servers: 3 tools from 1 server; 1 created, 6 updated");
    expect(run.code).toBe(0);
    expect(listTree(servers)).toEqual([
      "README.md",
      ...serverFiles("alpha", 3),
      ...serverFiles("beta", 1),
      "index.ts",
      "manifest.json",
      "search-index.json",
    ]);
    const after = readTree(servers);
    for (const file of serverFiles("beta", 1).slice(1)) expect(after[file]).toBe(before[file]);
    expect(after["README.md"]).toContain("## beta (1 tool)");
    expect(after["README.md"]).toContain("## alpha (3 tools)");
    // The search index still finds beta's tool, parameters and all, from the last run's index.
    const beta = (tree: Record<string, string>) =>
      documentsOfIndex(tree["search-index.json"]!)!.filter((d) => d.server === "beta");
    expect(beta(after)).toEqual(beta(before));
    expect(beta(after)).toHaveLength(1);
  });

  it("--server leaves the manifest complete: a full check afterwards is clean", async () => {
    const dir = tempProject(config(2, 1));
    expect((await runCli(["--config", ".mcp.json"], { cwd: dir })).code).toBe(0);
    const only = await runCli(["--config", ".mcp.json", "--server", "alpha"], { cwd: dir });
    expect(only.code).toBe(0);
    const check = await runCli(["check", "--config", ".mcp.json"], { cwd: dir });
    expect(check.stdout).toBe("");
    expect(check.code).toBe(0);
  });

  it("an unknown --server is an error that lists the known names", () => {
    expect(runs.unknownServer!.code).toBe(1);
    expect(runs.unknownServer!.stderr).toBe(
      `error: Unknown server "nope" in --server; the config has: alpha, beta in ${path.join(dirs.unknownServer!, ".mcp.json")}\n`,
    );
    expect(listTree(dirs.unknownServer!)).toEqual([".mcp.json"]);
  });

  it("an unknown flag is a usage error (exit 2)", () => {
    expect(runs.unknownFlag!.code).toBe(2);
    expect(runs.unknownFlag!.stderr).toBe("error: unknown option '--bogus'\n");
    expect(listTree(dirs.unknownFlag!)).toEqual([".mcp.json"]);
  });

  it("--profile writes the phase timings as JSON, and check takes it too", async () => {
    expect(runs.profile!.code).toBe(0);
    const phases = ["introspect", "model", "previous", "emit", "format", "plan", "write"];
    const read = (name: string) =>
      JSON.parse(readFileSync(path.join(dirs.profile!, name), "utf8")) as {
        command: string;
        totalMs: number;
        phases: Record<string, number>;
      };
    const generated = read("profile.json");
    expect(generated.command).toBe("generate");
    expect(Object.keys(generated.phases)).toEqual(phases);
    for (const ms of Object.values(generated.phases)) expect(Number.isInteger(ms)).toBe(true);
    expect(generated.totalMs).toBe(Object.values(generated.phases).reduce((a, b) => a + b, 0));
    const checked = await runCli(["check", "--config", ".mcp.json", "--profile", "check.json"], {
      cwd: dirs.profile!,
    });
    expect(checked.code).toBe(0);
    // A check plans and writes nothing: every phase up to the plan.
    expect(read("check.json")).toMatchObject({ command: "check" });
    expect(Object.keys(read("check.json").phases)).toEqual(phases.slice(0, -1));
  });
});
