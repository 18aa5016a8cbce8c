import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, runCli, tempProject } from "./cli.js";

const config = `export default ${JSON.stringify({
  servers: { echo: fixture("echo") },
  run: { maxWorkspace: 7 },
})};\n`;

/** A project whose workspace holds nested files, an empty folder and a link to outside it. */
function project(): { dir: string; outside: string } {
  const dir = tempProject({
    "codegen.config.ts": config,
    "workspace/report.txt": "x".repeat(1500),
    "workspace/data/a.json": "[1,2,3]",
    "workspace/data/deep/b.csv": "a,b\n",
    "outside/keep.txt": "not the workspace's",
  });
  mkdirSync(path.join(dir, "workspace/empty"));
  symlinkSync(path.join(dir, "outside"), path.join(dir, "workspace/elsewhere"));
  return { dir, outside: path.join(dir, "outside") };
}

describe("mcp-codegen workspace", () => {
  it("lists every entry with its size, links as links, and the limit a run may add", async () => {
    const { dir } = project();
    const result = await runCli(["workspace"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        `${path.join(dir, "workspace")}: 3 files, 1.5 kB; a run may add up to 7 MB (run.maxWorkspace).`,
        "       11 B  data/",
        "        7 B  data/a.json",
        "        4 B  data/deep/",
        "        4 B  data/deep/b.csv",
        "       link  elsewhere",
        "        0 B  empty/",
        "     1.5 kB  report.txt",
        "",
      ].join("\n"),
    );
    const json = await runCli(["workspace", "--json"], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({
      exists: true,
      files: 3,
      totalBytes: 1511,
      maxWorkspaceMb: 7,
      truncated: 0,
      entries: expect.arrayContaining([{ path: "elsewhere", kind: "link", bytes: 0 }]),
    });
  });

  it("says when there is no workspace yet", async () => {
    const dir = tempProject({ "codegen.config.ts": config });
    const result = await runCli(["workspace"], { cwd: dir });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain("workspace does not exist yet");
  });

  it("--clean asks, and with nobody to ask removes nothing and says to pass --yes", async () => {
    const { dir } = project();
    const result = await runCli(["workspace", "--clean"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("there is no terminal to ask on; pass --yes to empty it.");
    expect(readdirSync(path.join(dir, "workspace")).sort()).toEqual([
      "data",
      "elsewhere",
      "empty",
      "report.txt",
    ]);
  });

  it("--clean --yes empties it, keeping the folder, and removes a link without following it", async () => {
    const { dir, outside } = project();
    const result = await runCli(["workspace", "--clean", "--yes"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("removed 1.5 kB in 4 items");
    expect(readdirSync(path.join(dir, "workspace"))).toEqual([]);
    expect(existsSync(path.join(outside, "keep.txt"))).toBe(true);
    writeFileSync(path.join(dir, "workspace/new.txt"), "again");
    expect((await runCli(["workspace"], { cwd: dir })).stdout).toContain("1 file, 5 B");
  });
});
