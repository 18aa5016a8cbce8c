/**
 * Round two of the hostile suite: what still got through after the first catalogue. Each test
 * asserts the outcome the runner should have; the ones that fail today are the findings.
 *
 * - the host channel: a message whose `type` or `op` is nested deeply enough that quoting it
 *   (JSON.stringify) overflows the stack throws out of the socket's data handler, killing the
 *   runner and the daemon with every run it serves;
 * - the commit: file modes are copied as they are (setuid, setgid, world-writable); the
 *   temporary name beside the target is derived from the file's name (a 250-byte name makes
 *   it too long) and from the pid (two runs of one daemon share it): the commit throws half
 *   way, keeping part of the changes;
 * - the sandbox folder: entries the runner cannot walk (a folder below PATH_MAX's reach, a
 *   folder the program made unreadable) hide bytes from the disk watch and make the removal
 *   of the folder throw, leaving it in /tmp for good;
 * - the disk limit: a file the program holds open after unlinking it is not counted;
 * - the host's memory: a program's requests make the servers produce without bound while
 *   the program does not read its answers;
 * - stdin: read without a bound and before the run's clock applies.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONFIG_NAME,
  expectDaemonServes,
  FD3_WRITER,
  hostileProject,
  makeCanaries,
  PID_PROGRAM,
  ROOT,
  runAsPlainUser,
  runHostile,
  startDaemon,
  type TestDaemon,
  workspaceOf,
} from "./harness.js";

const canaries = makeCanaries();
const BIN = path.join(ROOT, "bin/mcp-codegen.js");

/** The runner's own crash report: never what a hostile program should be able to cause. */
function expectNoRunnerCrash(result: { stderr: string }): void {
  expect(result.stderr).not.toContain("failed unexpectedly");
  expect(result.stderr).not.toContain("RangeError");
  expect(result.stderr).not.toMatch(/node:internal|Node\.js v\d/);
}

/** Sandbox folders in the system's temporary folder holding `marker` in their workspace. */
function leftSandboxes(marker: string): string[] {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith("mcp-codegen-run-"))
    .map((name) => path.join(tmpdir(), name))
    .filter((dir) => existsSync(path.join(dir, "workspace", marker)));
}

/** A frame whose `field` is an array nested `depth` deep (JSON.parse takes it; stringify cannot). */
const deepFrameProgram = (json: string) => `${FD3_WRITER}
const depth = 200_000;
const deep = "[".repeat(depth) + "]".repeat(depth);
await send(frame(${json}));
await new Promise((resolve) => setTimeout(resolve, 3000));
console.log("RAN past the frame");
`;

describe("the host channel: deeply nested values", () => {
  it("a `type` nested 200,000 deep stops the program, not the runner (no daemon)", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(
      project,
      canaries,
      deepFrameProgram('`{"id":1,"type":${deep}}`'),
      ["--timeout", "15000"],
    );
    expectNoRunnerCrash(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("mcp-codegen run: the program sent a message of unknown type");
    expect(result.stdout).not.toContain("RAN past the frame");
  });

  describe("through the daemon", () => {
    let project: string;
    let daemon: TestDaemon;
    let daemonPid: string;
    beforeAll(async () => {
      project = hostileProject(canaries);
      daemon = await startDaemon(project, canaries);
      const first = await runHostile(project, canaries, PID_PROGRAM, [], {
        daemon: true,
        file: "tasks/pid.ts",
      });
      daemonPid = first.stdout;
    });
    afterAll(async () => {
      await daemon?.stop();
    });

    it("an `op` nested 200,000 deep stops that program and leaves the daemon serving", async () => {
      const result = await runHostile(
        project,
        canaries,
        deepFrameProgram('`{"id":1,"type":"request","op":${deep},"args":[]}`'),
        ["--timeout", "15000"],
        { daemon: true },
      );
      expectNoRunnerCrash(result);
      expect(result.stderr).not.toContain("the daemon went away");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        "mcp-codegen run: the program sent a request for unknown operation",
      );
      expect(daemon.log()).not.toContain("RangeError");
      await expectDaemonServes(project, canaries, daemon, daemonPid);
    });
  });

  describe("through a daemon of its own", () => {
    let project: string;
    let daemon: TestDaemon;
    beforeAll(async () => {
      project = hostileProject(canaries);
      daemon = await startDaemon(project, canaries);
    });
    afterAll(async () => {
      await daemon?.stop();
    });

    it("two runs committing at once each succeed, and the workspace holds one run's files", async () => {
      // Each run writes the same 300 names with content of its own; the daemon runs two at once.
      const program = `import * as fs from "node:fs";
const tag = Math.random().toString(36).slice(2, 10);
const body = Buffer.alloc(250_000, 120);
for (let i = 0; i < 300; i++) fs.writeFileSync("workspace/f" + i + ".bin", Buffer.concat([Buffer.from(tag + "\\n"), body]));
// Both runs end at the same moment: their commits overlap.
const at = Math.ceil((Date.now() + 200) / 1000) * 1000;
await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
console.log("RAN", tag);
`;
      for (let round = 0; round < 3; round++) {
        const runs = await Promise.all(
          [0, 1].map((i) =>
            runHostile(project, canaries, program, [], {
              daemon: true,
              file: `tasks/concurrent-${round}-${i}.ts`,
            }),
          ),
        );
        for (const run of runs) {
          expect(run.stderr).not.toMatch(/ENOENT|rename/);
          expect(run).toMatchObject({ code: 0 });
        }
        const tags = new Set(
          Array.from(
            { length: 300 },
            (_, i) =>
              // Through the daemon, that is `run`: the project's own workspace.
              readFileSync(path.join(project, "workspace", `f${i}.bin`), "utf8").split("\n")[0],
          ),
        );
        // A commit is a transaction: the files are one run's or the other's, never a mix.
        expect(tags.size).toBe(1);
      }
    });
  });
});

describe("what a commit writes into the real workspace", () => {
  it("carries no setuid, setgid or sticky bit, and nothing writable by others", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
fs.writeFileSync("workspace/tool", "#!/bin/sh\\nid\\n");
fs.chmodSync("workspace/tool", 0o7777);
fs.writeFileSync("workspace/notes.md", "changed\\n");
fs.chmodSync("workspace/notes.md", 0o6777);
console.log("RAN", (fs.statSync("workspace/tool").mode & 0o7777).toString(8));
`,
    );
    expect(result).toMatchObject({ code: 0, stdout: "RAN 7777\n" });
    for (const name of ["tool", "notes.md"]) {
      const mode = statSync(path.join(workspaceOf(project), name)).mode & 0o7777;
      expect({ name, special: mode & 0o7000 }).toEqual({ name, special: 0 });
      expect({ name, othersWrite: mode & 0o002 }).toEqual({ name, othersWrite: 0 });
    }
  });

  it("a 250-byte file name is committed whole (or refused in a line), never half a commit", async () => {
    const project = hostileProject(canaries);
    const long = "z".repeat(250);
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
fs.writeFileSync("workspace/aaa-first.txt", "first\\n");
fs.unlinkSync("workspace/notes.md");
fs.writeFileSync("workspace/${long}", "long\\n");
console.log("RAN");
`,
    );
    expectNoRunnerCrash(result);
    expect(result.stderr).not.toContain("ENAMETOOLONG");
    const names = readdirSync(workspaceOf(project)).sort();
    if (result.code === 0 && !result.stderr.includes("was not kept")) {
      expect(names).toEqual(["aaa-first.txt", long]);
    } else {
      // Refused: then nothing of the run may have been applied.
      expect(names).toEqual(["notes.md"]);
    }
  });
});

describe("the sandbox folder is always removed, and every byte in it counted", () => {
  it("a folder nested past PATH_MAX does not crash the runner nor stay in /tmp", async () => {
    const project = hostileProject(canaries);
    const marker = `marker-${randomUUID()}`;
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
fs.writeFileSync("workspace/${marker}", "x");
process.chdir("workspace");
const segment = "d".repeat(200);
let depth = 0;
try {
  for (; depth < 40; depth++) { fs.mkdirSync(segment); process.chdir(segment); }
} catch {}
console.log("RAN", depth);
`,
    );
    expectNoRunnerCrash(result);
    expect(result.stderr).not.toContain("ENAMETOOLONG");
    expect(result.stdout, `exit ${result.code}, stderr: ${result.stderr}`).toMatch(/^RAN \d+/);
    expect(leftSandboxes(marker)).toEqual([]);
  });

  it("a folder the program made unreadable hides nothing from the disk limit (runner not root)", async () => {
    // The runner normally runs as a plain user, whom a folder of mode 000 shuts out; as root
    // the test drops to nobody for the run.
    const project = hostileProject(canaries);
    const marker = `marker-${randomUUID()}`;
    const program = `import * as fs from "node:fs";
fs.writeFileSync("workspace/${marker}", "x");
fs.mkdirSync("workspace/hidden");
const fd = fs.openSync("workspace/hidden/big.bin", "w");
const chunk = Buffer.alloc(1024 * 1024, 1);
for (let i = 0; i < 60; i++) fs.writeSync(fd, chunk);
fs.closeSync(fd);
fs.chmodSync("workspace/hidden", 0);
console.log("RAN to the end");
`;
    const result = await runAsPlainUser(project, program, ["--max-workspace", "5"]);
    expectNoRunnerCrash(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/it added \d+ MB to workspace\/, over its limit of 5 MB/);
    expect(existsSync(path.join(workspaceOf(project), "hidden"))).toBe(false);
    expect(leftSandboxes(marker)).toEqual([]);
  });

  it("a file held open after it is unlinked counts against the disk limit", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(
      project,
      canaries,
      `import * as fs from "node:fs";
const fd = fs.openSync("workspace/big.bin", "w");
fs.unlinkSync("workspace/big.bin");
const chunk = Buffer.alloc(1024 * 1024, 1);
for (let i = 0; i < 300; i++) {
  fs.writeSync(fd, chunk);
  await new Promise((resolve) => setImmediate(resolve));
}
console.log("RAN to the end", fs.fstatSync(fd).size);
`,
      ["--max-workspace", "5", "--timeout", "20000"],
    );
    expect(result.stdout).not.toContain("RAN to the end");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/it added \d+ MB to workspace\/, over its limit of 5 MB/);
  });
});

describe("the host's memory", () => {
  it("900 requests the program never reads the answers of keep the run's processes bounded", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(
      project,
      canaries,
      `${FD3_WRITER}
for (let id = 1; id <= 900; id++) {
  const bytes = frame(JSON.stringify({ type: "request", id, op: "callTool", args: ["flaky", "big", { bytes: 8_000_000 }] }));
  let off = 0;
  while (off < bytes.length) { try { off += fs.writeSync(3, bytes, off); } catch {} }
}
// Never yield: the answers are never read.
const until = Date.now() + 6000;
while (Date.now() < until) {}
console.log("RAN");
`,
      ["--memory", "128", "--timeout", "15000"],
      { measure: true },
    );
    // The program's own 128 MB, the runner and its server: not gigabytes of answers.
    expect(result.peakMb).toBeLessThan(800);
  });
});

describe("stdin", () => {
  it("code on stdin that never ends is stopped within --timeout", async () => {
    const project = hostileProject(canaries);
    const started = Date.now();
    const child = spawn(
      process.execPath,
      [BIN, "run", "--no-daemon", "--config", CONFIG_NAME, "--timeout", "2000"],
      {
        cwd: project,
        env: { ...process.env, HOME: canaries.home },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.stdout.resume();
    const line = Buffer.from("console.log(1);\n".repeat(4096));
    let open = true;
    child.stdin.on("error", () => (open = false));
    const feed = () => {
      if (!open) return;
      while (open && child.stdin.write(line));
      if (open) child.stdin.once("drain", feed);
    };
    feed();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 9000);
      child.once("exit", (exitCode) => {
        clearTimeout(timer);
        open = false;
        resolve(exitCode);
      });
    });
    open = false;
    child.stdin.destroy();
    expect(Date.now() - started).toBeLessThan(8000);
    // Stopped at the time limit, or refused as too large: either way, in time.
    expect([1, 124]).toContain(code);
    expect(stderr).not.toContain("failed unexpectedly");
  });
});
