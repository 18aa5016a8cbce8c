import { appendFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, readTree, runCli, tempProject, type CliResult } from "./cli.js";

const server = (...args: string[]) => ({ mcpServers: { tools: fixture("many-tools", args) } });
const UP_TO_DATE = "servers is up to date with the servers.\n";
const STALE =
  "The servers no longer match the generated tree. Review the changes above, then run `npx mcp-codegen generate`.\n";

describe("check", () => {
  let dir: string;
  const runs: Record<string, CliResult> = {};

  beforeAll(async () => {
    dir = tempProject({
      "committed.json": server("--count", "4"),
      "shrunk.json": server("--count", "3", "--variant", "2"),
      "grown.json": server("--count", "5"),
    });
    expect((await runCli(["--config", "committed.json"], { cwd: dir })).code).toBe(0);
    await Promise.all(
      ["committed", "shrunk", "grown"].map(async (name) => {
        runs[name] = await runCli(["check", "--config", `${name}.json`], { cwd: dir });
      }),
    );
  });

  it("exits 0 on a fresh tree", () => {
    expect(runs.committed).toMatchObject({ code: 0, stdout: "" });
    expect(runs.committed!.stderr).toContain(`./${UP_TO_DATE}`);
  });

  it.each([
    [
      "removed and changed tools (--count 3 --variant 2)",
      {
        given: "shrunk",
        want: [
          "tools:",
          "  removed  tool_0003_delete_records",
          "  changed  tool_0000_fetch_records (description)",
          "",
          "           -/** Fetch records from the archive. */",
          "           +/** Fetch records from the archive. Behaviour changed in a later version of this server. */",
          "            export async function tool0000FetchRecords(",
          "  changed  tool_0001_create_records (description)",
          "",
          "           -/** Create records matching a filter. */",
          "           +/** Create records matching a filter. Behaviour changed in a later version of this server. */",
          "            export async function tool0001CreateRecords(",
          "9 generated files are out of date:",
          "  update   servers/README.md",
          "  update   servers/manifest.json",
          "  update   servers/search-index.json",
          "  update   servers/tools/README.md",
          "  update   servers/tools/index.ts",
          "  update   servers/tools/summary.d.ts",
          "  update   servers/tools/tool0000FetchRecords.ts",
          "  update   servers/tools/tool0001CreateRecords.ts",
          "  delete   servers/tools/tool0003DeleteRecords.ts",
        ],
      },
    ],
    [
      "an added tool (--count 5)",
      {
        given: "grown",
        want: [
          "tools:",
          "  added    tool_0004_list_records",
          "7 generated files are out of date:",
          "  update   servers/README.md",
          "  update   servers/manifest.json",
          "  update   servers/search-index.json",
          "  update   servers/tools/README.md",
          "  update   servers/tools/index.ts",
          "  update   servers/tools/summary.d.ts",
          "  create   servers/tools/tool0004ListRecords.ts",
        ],
      },
    ],
  ])("exits 1 and lists %s", (_title, { given, want }) => {
    expect(runs[given]).toMatchObject({ code: 1, stdout: `${want.join("\n")}\n` });
    expect(runs[given]!.stderr).toContain(STALE);
  });

  it("exits 1 and names a generated file that was edited by hand", async () => {
    const before = readTree(dir);
    appendFileSync(path.join(dir, "servers/tools/tool0002UpdateRecords.ts"), "// mine\n");
    const run = await runCli(["check", "--config", "committed.json"], { cwd: dir });
    expect(run).toMatchObject({
      code: 1,
      stdout:
        "1 generated file is out of date:\n  update   servers/tools/tool0002UpdateRecords.ts\n",
    });
    // check writes nothing: the edit is still there.
    const after = readTree(dir);
    expect(after["servers/tools/tool0002UpdateRecords.ts"]).toBe(
      `${before["servers/tools/tool0002UpdateRecords.ts"]}// mine\n`,
    );
  });
});
