/**
 * The host touches the program's folder with the user's rights: it stages the user's
 * workspace into it, walks it while the program runs (the disk watch), and removes it after
 * the run, stopped or not, and when the runner itself is stopped by a signal. A program that
 * swaps what is there (a folder for a link to a host folder, a file for a link to a host
 * file), over and over, must not lead any of these out of its folder: not to count the host's
 * files, not to chmod or delete a host file, not to open a folder the user closed. And files
 * it makes and removes while the watch looks must not stop it as "unreadable".
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  chownTree,
  CONFIG_NAME,
  hostileProject,
  makeCanaries,
  runAsPlainUser,
  runCliWithStdio,
  runHostile,
  tempDir,
  VIA_SERVE,
  workspaceOf,
} from "./harness.js";

const canaries = makeCanaries();

/**
 * A host folder of the runner's user: 8 MB of files, and a folder they closed to everyone,
 * themselves too. The user's workspace links to it (`workspace/docs`), as users' do.
 */
function hostFolder(): string {
  const host = tempDir("hostile-walk-target-");
  writeFileSync(path.join(host, "big.bin"), Buffer.alloc(8 * 1024 * 1024, 1));
  mkdirSync(path.join(host, "closed"));
  writeFileSync(path.join(host, "closed", "inside.bin"), Buffer.alloc(1024 * 1024, 1));
  if (process.getuid?.() === 0) chownTree(host, 65534);
  chmodSync(path.join(host, "closed"), 0o000);
  return host;
}
const hosts: string[] = [];
afterAll(() => {
  for (const host of hosts) chmodSync(path.join(host, "closed"), 0o700);
});

/**
 * For `ms`, turns workspace/swap from a folder (with a folder in it) into the user's link and
 * back: by renaming the link, and by hard-linking it (a hard link to a link is a link), for
 * which Node's permission model asks no more than for any file in workspace/.
 */
const swapProgram = (ms: number) => `import * as fs from "node:fs";
// Each state held for a random moment, as long as the walk's steps take.
const hold = (ms: number) => {
  const until = performance.now() + Math.random() * ms;
  while (performance.now() < until);
};
const ends = Date.now() + ${ms};
let swaps = 0;
while (Date.now() < ends) {
  fs.mkdirSync("workspace/swap/closed", { recursive: true });
  hold(0.2);
  fs.rmSync("workspace/swap", { recursive: true });
  if (swaps % 2 === 0) fs.renameSync("workspace/docs", "workspace/swap");
  else fs.linkSync("workspace/docs", "workspace/swap");
  hold(1);
  if (swaps % 2 === 0) fs.renameSync("workspace/swap", "workspace/docs");
  else fs.unlinkSync("workspace/swap");
  swaps++;
  if (swaps % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
}
console.log("swaps", swaps > 100);
`;

/** For 3 s, makes and removes files and folders as fast as it can: a build's scratch files. */
const CHURN_PROGRAM = `import * as fs from "node:fs";
const ends = Date.now() + 3000;
let rounds = 0;
while (Date.now() < ends) {
  fs.mkdirSync("workspace/tmp/deep", { recursive: true });
  for (let i = 0; i < 20; i++) fs.writeFileSync(\`workspace/tmp/deep/f\${i}\`, "x");
  fs.rmSync("workspace/tmp", { recursive: true });
  rounds++;
  if (rounds % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
}
console.log("rounds", rounds > 0);
`;

describe("the host's walks and removal of the program's folder, while the program swaps them", () => {
  it("never leaves the program's copy: no host file counted, no host folder opened", async () => {
    const host = hostFolder();
    hosts.push(host);
    const project = hostileProject(canaries);
    symlinkSync(host, path.join(workspaceOf(project), "docs"));
    // As a plain user: the folder closed to its owner is one the walk would have to open.
    const result = await runAsPlainUser(project, swapProgram(3000), ["--max-workspace", "2"]);
    expect(result.stderr).toBe("");
    expect(result).toMatchObject({ code: 0, stdout: "swaps true\n" });
    expect(statSync(path.join(host, "closed")).mode & 0o777).toBe(0o000);
  });

  it("does not stop a program whose files come and go as it looks", async () => {
    const project = hostileProject(canaries);
    const result = await runHostile(project, canaries, CHURN_PROGRAM);
    expect(result.stderr).toBe("");
    expect(result).toMatchObject({ code: 0, stdout: "rounds true\n" });
  });

  it("removing the folder of a run stopped mid-swap deletes nothing of the host", async () => {
    // A stopped program's processes die after bwrap does: for a moment, it still swaps while
    // the runner removes its folder. Three runs, each stopped at its time limit.
    for (let run = 0; run < 3; run++) {
      const host = hostFolder();
      hosts.push(host);
      const project = hostileProject(canaries);
      symlinkSync(host, path.join(workspaceOf(project), "docs"));
      const result = await runAsPlainUser(project, swapProgram(60_000), ["--timeout", "1000"]);
      expect(result.code, result.stderr).toBe(124);
      expect(readdirSync(host).sort()).toEqual(["big.bin", "closed"]);
      chmodSync(path.join(host, "closed"), 0o700);
      expect(readdirSync(path.join(host, "closed"))).toEqual(["inside.bin"]);
      chmodSync(path.join(host, "closed"), 0o000);
    }
  });

  it("a runner stopped by SIGTERM mid-swap changes nothing of the host and leaves no folder", async () => {
    // Its signal handler ends the sandbox before removing its folder: a removal (or chmod -R)
    // while the program still swaps names for links would follow them.
    for (let run = 0; run < 3; run++) {
      const host = hostFolder();
      hosts.push(host);
      const file = path.join(host, "read-only.txt");
      writeFileSync(file, "the user's\n", { mode: 0o400 });
      const project = hostileProject(canaries);
      symlinkSync(host, path.join(workspaceOf(project), "docs"));
      symlinkSync(file, path.join(workspaceOf(project), "filelink"));
      const tmp = tempDir("hostile-signal-tmp-");
      const result = await runAsPlainUser(project, FLIP_PROGRAM, [], {
        terminateAfterMs: 900,
        tmpdir: tmp,
      });
      expect(result.code, result.stderr).toBe(143);
      expect(readdirSync(tmp).filter((name) => name.startsWith("mcp-codegen-run-"))).toEqual([]);
      expect(readdirSync(host).sort()).toEqual(["big.bin", "closed", "read-only.txt"]);
      expect(statSync(file).mode & 0o777).toBe(0o400);
      expect(readFileSync(file, "utf8")).toBe("the user's\n");
    }
  });

  it("a folder or file the user closed in their workspace is neither opened nor given to the program", async () => {
    const project = hostileProject(canaries);
    const workspace = workspaceOf(project);
    mkdirSync(path.join(workspace, "closed"));
    writeFileSync(path.join(workspace, "closed", "key.txt"), canaries.dotfile);
    writeFileSync(path.join(workspace, "closed-file.txt"), canaries.dotfile);
    // The run gives the project to nobody first (as root); the modes are set after that.
    const program = `import * as fs from "node:fs";
const tried = (action: () => unknown) => {
  try {
    return String(action());
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "error";
  }
};
console.log(JSON.stringify({
  folder: tried(() => fs.readdirSync("workspace/closed")),
  key: tried(() => fs.readFileSync("workspace/closed/key.txt", "utf8")),
  file: tried(() => fs.readFileSync("workspace/closed-file.txt", "utf8")),
}));
`;
    const closeThem = () => {
      chmodSync(path.join(workspace, "closed"), 0o000);
      chmodSync(path.join(workspace, "closed-file.txt"), 0o000);
    };
    const result = await runAsPlainUser(project, program, [], { beforeRun: closeThem });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(canaries.dotfile);
    expect(JSON.parse(result.stdout)).toEqual({ folder: "", key: "ENOENT", file: "ENOENT" });
    expect(statSync(path.join(workspace, "closed")).mode & 0o777).toBe(0o000);
    expect(statSync(path.join(workspace, "closed-file.txt")).mode & 0o777).toBe(0o000);
    chmodSync(path.join(workspace, "closed"), 0o700);
  });
});

// `run`'s own signal handling, with the project's own workspace: the all project runs it.
describe.skipIf(VIA_SERVE)(
  "a runner stopped by a signal while it copies a run's changes back",
  () => {
    /** Writes 12 files of 24 MB: a commit long enough to be signalled in the middle. */
    const BIG_WRITER = `import * as fs from "node:fs";
const chunk = Buffer.alloc(24 * 1024 * 1024, 7);
for (let i = 0; i < 12; i++) fs.writeFileSync(\`workspace/big-\${i}.bin\`, chunk);
`;

    /** Runs BIG_WRITER, sending SIGTERM once its commit is under way, once or twice. */
    async function signalledMidCommit(times: 1 | 2) {
      const project = hostileProject(canaries, { run: { maxWorkspace: 1000 } });
      const workspace = workspaceOf(project);
      writeFileSync(path.join(project, "tasks", "task.ts"), BIG_WRITER);
      let pid = 0;
      const running = runCliWithStdio(
        ["run", "--no-daemon", "--config", CONFIG_NAME, "tasks/task.ts"],
        {
          cwd: project,
          env: { HOME: canaries.home },
          stdio: ["ignore", "pipe", "pipe"],
          timeoutMs: 60_000,
          onSpawn: (spawned) => (pid = spawned),
        },
      );
      const writing = () => readdirSync(workspace).some((name) => name.endsWith(".tmp"));
      for (let waited = 0; !writing() && waited < 3000; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(writing()).toBe(true);
      process.kill(pid, "SIGTERM");
      if (times === 2) {
        // Apart: two signals sent at once may arrive as one.
        await new Promise((resolve) => setTimeout(resolve, 50));
        process.kill(pid, "SIGTERM");
      }
      const result = await running;
      const bigs = readdirSync(workspace).filter((name) => name.startsWith("big-"));
      const temporaries = readdirSync(workspace).filter((name) => name.endsWith(".tmp"));
      return { result, bigs, temporaries, workspace };
    }

    it("once: lets the commit finish, all of it, then stops", async () => {
      const { result, bigs, temporaries, workspace } = await signalledMidCommit(1);
      expect(result.code, result.stderr).toBe(143);
      expect(result.stderr).toContain("copying the run's changes into workspace/ first");
      expect(bigs).toHaveLength(12);
      for (const name of bigs)
        expect(statSync(path.join(workspace, name)).size).toBe(24 * 1024 * 1024);
      expect(temporaries).toEqual([]);
    });

    it("twice: stops after the file it is copying, says so, and leaves no file half written", async () => {
      const { result, bigs, temporaries } = await signalledMidCommit(2);
      expect(result.code, result.stderr).toBe(143);
      expect(result.stderr).toContain("some of them were kept, the rest not");
      expect(bigs.length).toBeLessThan(12);
      expect(temporaries).toEqual([]);
    });
  },
);

describe.skipIf(VIA_SERVE)("a runner killed with SIGKILL", () => {
  it("leaves its run folder only until the next run, which removes it", async () => {
    const project = hostileProject(canaries);
    const tmp = tempDir("hostile-sigkill-tmp-");
    const runFolders = () => readdirSync(tmp).filter((name) => name.startsWith("mcp-codegen-run-"));
    writeFileSync(
      path.join(project, "tasks", "task.ts"),
      `import * as fs from "node:fs";\nfs.writeFileSync("workspace/copy.txt", "the program's");\nawait new Promise((resolve) => setTimeout(resolve, 60_000));\n`,
    );
    const cli = (onSpawn?: (pid: number) => void) =>
      runCliWithStdio(["run", "--no-daemon", "--config", CONFIG_NAME, "tasks/task.ts"], {
        cwd: project,
        env: { HOME: canaries.home, TMPDIR: tmp },
        stdio: ["ignore", "pipe", "pipe"],
        timeoutMs: 30_000,
        ...(onSpawn ? { onSpawn } : {}),
      });
    let pid = 0;
    const killed = cli((spawned) => (pid = spawned));
    const started = () =>
      runFolders().some((name) => existsSync(path.join(tmp, name, "workspace", "copy.txt")));
    for (let waited = 0; !started() && waited < 1000; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(started()).toBe(true);
    process.kill(pid, "SIGKILL");
    await killed;
    expect(runFolders()).toHaveLength(1);
    writeFileSync(path.join(project, "tasks", "task.ts"), `console.log("next");\n`);
    expect(await cli()).toMatchObject({ code: 0, stdout: "next\n" });
    expect(runFolders()).toEqual([]);
  });
});

describe.skipIf(VIA_SERVE)("a workspace that is not a folder", () => {
  it("is refused in a line that names it, whether a file or a link to nothing", async () => {
    for (const make of [
      (workspace: string) => writeFileSync(workspace, "a file"),
      (workspace: string) => symlinkSync("/nonexistent-mcp-codegen-target", workspace),
    ]) {
      const project = hostileProject(canaries);
      const workspace = path.join(project, "workspace");
      rmSync(workspace, { recursive: true });
      make(workspace);
      const result = await runHostile(project, canaries, `console.log("ran");\n`);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(
        new RegExp(
          `^error: the workspace ${workspace} is not a folder and cannot be made one \\((EEXIST|ENOENT): .*make it a folder, or remove it\\.\\n$`,
        ),
      );
    }
  });
});

/**
 * Until stopped: flips 50 names between a file and a hard link of the user's link to a host
 * file (each flip one rename), and workspace/swap between a folder and the user's link to a
 * host folder.
 */
const FLIP_PROGRAM = `import * as fs from "node:fs";
for (let round = 0; ; round++) {
  for (let i = 0; i < 50; i++) {
    if ((round + i) % 2 === 0) {
      fs.writeFileSync("workspace/.next", "x");
      fs.renameSync("workspace/.next", \`workspace/flip-\${i}\`);
    } else {
      fs.linkSync("workspace/filelink", "workspace/.next-link");
      fs.renameSync("workspace/.next-link", \`workspace/flip-\${i}\`);
    }
  }
  fs.mkdirSync("workspace/swap/closed", { recursive: true });
  fs.rmSync("workspace/swap", { recursive: true });
  fs.renameSync("workspace/docs", "workspace/swap");
  fs.renameSync("workspace/swap", "workspace/docs");
}
`;
