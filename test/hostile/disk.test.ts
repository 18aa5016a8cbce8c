/**
 * A program writes only to its copy of `workspace/`, and only `--max-workspace` MB of it: past
 * that (a gigabyte, a sparse file, a burst before it exits, a flood of small files) it is
 * stopped, nothing is kept, and the real workspace is left as it was. Anywhere else (/tmp,
 * /dev/shm, its own folder) it cannot write at all.
 */
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  expectNoCanary,
  hostileProject,
  jsonOut,
  makeCanaries,
  readTree,
  runHostile,
  type RunResult,
  workspaceOf,
} from "./harness.js";

const canaries = makeCanaries();

function expectOverDisk(result: RunResult, limitMb: number): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(
    new RegExp(`it added \\d+ MB to workspace/, over its limit of ${limitMb} MB`),
  );
  expect(result.stderr).toContain(
    "the run did not succeed, so workspace/ was left as it was; the program's changes were not kept (created",
  );
  expectNoCanary(result, canaries);
}

describe("the workspace's disk limit", () => {
  it("stops a program writing 1 GB, keeps nothing", async () => {
    const project = hostileProject(canaries);
    const before = readTree(workspaceOf(project));
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
const fd = fs.openSync("workspace/big.bin", "w");
const chunk = Buffer.alloc(1024 * 1024, 1);
for (let i = 0; i < 1024; i++) {
  fs.writeSync(fd, chunk);
  await new Promise((resolve) => setImmediate(resolve));
}
fs.closeSync(fd);
console.log("RAN to the end");
`,
      ["--max-workspace", "5", "--timeout", "20000"],
    );
    expectOverDisk(result, 5);
    expect(result.stdout).not.toContain("RAN to the end");
    expect(readTree(workspaceOf(project))).toEqual(before);
  });

  it("stops a burst written just before a successful exit (the last check, after the program)", async () => {
    const project = hostileProject(canaries);
    const before = readTree(workspaceOf(project));
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";\nfs.writeFileSync("workspace/burst.bin", Buffer.alloc(12 * 1024 * 1024, 1));\n`,
      ["--max-workspace", "5"],
    );
    expectOverDisk(result, 5);
    expect(readTree(workspaceOf(project))).toEqual(before);
  });

  it("counts a sparse 10 GB file at its size", async () => {
    const project = hostileProject(canaries);
    const before = readTree(workspaceOf(project));
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
const fd = fs.openSync("workspace/sparse.bin", "w");
fs.ftruncateSync(fd, 10 * 1024 * 1024 * 1024);
fs.closeSync(fd);
fs.truncateSync("workspace/notes.md", 10 * 1024 * 1024 * 1024);
`,
      ["--max-workspace", "5"],
    );
    expectOverDisk(result, 5);
    expect(readTree(workspaceOf(project))).toEqual(before);
  });

  it("stops a flood of small files within its time, keeps nothing", async () => {
    const project = hostileProject(canaries);
    const before = readTree(workspaceOf(project));
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
for (let d = 0; d < 300; d++) {
  fs.mkdirSync("workspace/d" + d);
  for (let f = 0; f < 500; f++) fs.writeFileSync("workspace/d" + d + "/" + f, "");
}
console.log("RAN to the end");
`,
      ["--max-workspace", "5", "--timeout", "2000"],
      { timeoutMs: 15_000 },
    );
    // The limit is the whole run's: walking and removing what it made counts too.
    expect(result.ms).toBeLessThan(2000 + 3000);
    // Which limit comes first depends on how fast the disk makes files (~0.4 ms each here).
    expect(result.code === 124 || result.code === 1).toBe(true);
    expect(result.stderr).toMatch(
      /stopped after 2000 ms, its time limit|made more than 10000 files and folders in workspace\//,
    );
    expect(result.stderr).toContain("the run did not succeed, so workspace/ was left as it was");
    expect(readTree(workspaceOf(project))).toEqual(before);
  });

  it("counts what is under names that are not UTF-8 text, and never keeps it", async () => {
    const project = hostileProject(canaries);
    const before = readTree(workspaceOf(project));
    // Source text of a Buffer path: a name is not UTF-8 text only as bytes.
    const name = (...parts: (string | number[])[]) =>
      `Buffer.concat([${parts.map((part) => `Buffer.from(${JSON.stringify(part)})`).join(", ")}])`;
    const bytes = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
fs.writeFileSync("workspace/marker.txt", "x");
const chunk = Buffer.alloc(1024 * 1024, 1);
fs.mkdirSync(${name("workspace/", [0xfe])});
for (let i = 0; i < 20; i++) fs.appendFileSync(${name("workspace/b", [0xff])}, chunk);
for (let i = 0; i < 20; i++) fs.appendFileSync(${name("workspace/", [0xfe], "/x")}, chunk);
console.log("RAN to the end");
`,
      ["--max-workspace", "5"],
    );
    expectOverDisk(bytes, 5);
    expect(readTree(workspaceOf(project))).toEqual(before);

    const entries = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
fs.mkdirSync(${name("workspace/", [0xfe])});
for (let i = 0; i < 12000; i++) fs.writeFileSync(Buffer.concat([${name("workspace/", [0xfe], "/")}, Buffer.from(String(i))]), "");
console.log("RAN to the end");
`,
      ["--timeout", "20000"],
      { timeoutMs: 40_000 },
    );
    expect(entries.code).toBe(1);
    expect(entries.stderr).toContain("made more than 10000 files and folders in workspace/");

    const kept = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
fs.writeFileSync(${name("workspace/b", [0xff])}, "x");
fs.writeFileSync("workspace/kept.txt", "kept");
`,
    );
    expect(kept.code).toBe(0);
    expect(kept.stderr).toBe(
      "mcp-codegen run: workspace/b\uFFFD was not kept: its name is not UTF-8 text.\n",
    );
    expect(readTree(workspaceOf(project))).toEqual({ ...before, "kept.txt": "kept" });
  });

  it("keeps a run within its limit", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";\nfs.writeFileSync("workspace/ok.bin", Buffer.alloc(1024 * 1024, 1));\n`,
      ["--max-workspace", "5"],
    );
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(readTree(workspaceOf(project))["ok.bin"]).toHaveLength(1024 * 1024);
  });
});

describe("writing anywhere but the workspace", () => {
  it("is refused: /tmp, /dev/shm, its own folder, its bootstrap, the root", async () => {
    const project = hostileProject(canaries);
    const name = `hostile-disk-${process.pid}-${Date.now()}`;
    writeFileSync(path.join(project, "tasks/own.txt"), "own");
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
const seen: Record<string, string> = {};
for (const target of [...new Set(["/tmp/${name}", "${tmpdir()}/${name}"]), "/dev/shm/${name}", "/${name}", "./${name}", "bootstrap.cjs", "program.cjs", "/dev/null", "/proc/self/attr/current", ${JSON.stringify(path.join(project, "tasks/own.txt"))}, ${JSON.stringify(path.join(project, name))}]) {
  try {
    fs.writeFileSync(target, "escaped");
    seen[target] = "wrote";
  } catch (error) {
    seen[target] = String((error as { code?: string }).code);
  }
}
console.log(JSON.stringify(seen));
`,
    );
    expect(result.code).toBe(0);
    const seen = jsonOut<Record<string, string>>(result);
    expect(Object.keys(seen).length).toBeGreaterThanOrEqual(10);
    for (const [target, outcome] of Object.entries(seen)) {
      expect(outcome, target).toMatch(/^(ERR_ACCESS_DENIED|EROFS|EACCES|ENOENT|EPERM)$/);
    }
    for (const where of [
      `/tmp/${name}`,
      path.join(tmpdir(), name),
      `/dev/shm/${name}`,
      `/${name}`,
      path.join(project, name),
    ]) {
      expect(existsSync(where), where).toBe(false);
    }
    expect(readTree(path.join(project, "tasks"))["own.txt"]).toBe("own");
  });
});
