/**
 * The heap cap and the watches, as this round made them: the sandbox's own /proc/meminfo
 * (heap-cap.ts), which a program must not be able to rewrite or read past, and the memory
 * and disk watches reading /proc synchronously, which a program must not be able to blind
 * or stall (many descriptors open, memory held in Buffers rather than the heap), without
 * and with the daemon.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hostileProject,
  makeCanaries,
  runHostile,
  startDaemon,
  type TestDaemon,
} from "./harness.js";

const canaries = makeCanaries();

/** Tries to rewrite its heap cap and to read the host's memory figures; prints what it got. */
const HEAP_CAP_PROGRAM = `import * as fs from "node:fs";
import { getHeapStatistics } from "node:v8";
import { totalmem } from "node:os";
const tried: Record<string, string> = {};
const attempt = (name: string, action: () => unknown) => {
  try {
    action();
    tried[name] = "done";
  } catch (error) {
    tried[name] = (error as NodeJS.ErrnoException).code ?? String(error);
  }
};
const file = fs.readdirSync(".").find((name) => name.startsWith("meminfo-"));
attempt("write the meminfo file", () => fs.writeFileSync(file!, "MemTotal: 99999999 kB\\n"));
attempt("replace the meminfo file", () => fs.renameSync("workspace/notes.md", file!));
attempt("write /proc/meminfo", () => fs.writeFileSync("/proc/meminfo", "MemTotal: 99999999 kB\\n"));
attempt("read /proc/meminfo", () => fs.readFileSync("/proc/meminfo", "utf8"));
attempt("read /proc/self/status", () => fs.readFileSync("/proc/self/status", "utf8"));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
console.log(JSON.stringify({ file, tried, heap: mb(getHeapStatistics().heap_size_limit), total: mb(totalmem()) }));
`;

function expectCapHeld(stdout: string): void {
  const seen = JSON.parse(stdout) as {
    file: string;
    tried: Record<string, string>;
    heap: number;
    total: number;
  };
  expect(seen.file).toBe("meminfo-512");
  // Node's permission model refuses each; the mounts would refuse the writes anyway.
  expect(seen.tried).toEqual({
    "write the meminfo file": "ERR_ACCESS_DENIED",
    "replace the meminfo file": "ERR_ACCESS_DENIED",
    "write /proc/meminfo": "ERR_ACCESS_DENIED",
    "read /proc/meminfo": "ERR_ACCESS_DENIED",
    "read /proc/self/status": "ERR_ACCESS_DENIED",
  });
  expect(seen.total).toBe(1024);
  expect(seen.heap).toBeGreaterThanOrEqual(512);
  expect(seen.heap).toBeLessThan(600);
}

/** Holds 3,000 descriptors open, then writes past the disk limit into a file it has unlinked. */
const MANY_DESCRIPTORS_PROGRAM = `import * as fs from "node:fs";
fs.writeFileSync("workspace/held.txt", "x");
const held: number[] = [];
for (let i = 0; i < 3000; i++) held.push(fs.openSync("workspace/held.txt", "r"));
const fd = fs.openSync("workspace/hidden.bin", "w");
fs.unlinkSync("workspace/hidden.bin");
const chunk = Buffer.alloc(1024 * 1024, 1);
for (let i = 0; i < 300; i++) {
  fs.writeSync(fd, chunk);
  await new Promise((resolve) => setImmediate(resolve));
}
console.log("RAN to the end", held.length);
`;

/** Holds memory in Buffers, which no heap cap counts, at a limit the meminfo file caps. */
const BUFFERS_PROGRAM = `const kept: Buffer[] = [];
for (;;) {
  kept.push(Buffer.alloc(32 * 1024 * 1024, 1));
  await new Promise((resolve) => setTimeout(resolve, 5));
}
`;

describe.each([
  ["without the daemon", false],
  ["through the daemon", true],
])("the heap cap and the watches, %s", (_name, viaDaemon) => {
  let project: string;
  let daemon: TestDaemon | undefined;
  beforeAll(async () => {
    project = hostileProject(canaries);
    if (viaDaemon) daemon = await startDaemon(project, canaries);
  });
  afterAll(async () => {
    await daemon?.stop();
  });
  const run = (program: string, args: string[] = []) =>
    runHostile(project, canaries, program, args, { daemon: viaDaemon });

  it("the meminfo file cannot be rewritten or read past: the heap stays the run's", async () => {
    const result = await run(HEAP_CAP_PROGRAM);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    expectCapHeld(result.stdout);
  });

  it("3,000 open descriptors neither hide a removed file's bytes nor stall the watch", async () => {
    const result = await run(MANY_DESCRIPTORS_PROGRAM, [
      "--max-workspace",
      "5",
      "--timeout",
      "20000",
    ]);
    expect(result.stdout).not.toContain("RAN to the end");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/it added \d+ MB to workspace\/, over its limit of 5 MB/);
  });

  it("memory held in Buffers is stopped at the limit the meminfo file caps the heap at", async () => {
    const result = await run(BUFFERS_PROGRAM, ["--memory", "256", "--timeout", "30000"]);
    expect(result.code).toBe(137);
    expect(result.stderr).toMatch(/used \d+ MB of memory, over its limit of 256 MB/);
  });
});
