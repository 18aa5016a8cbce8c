/**
 * The disk watch walks the program's copy of workspace/ while the program runs, in the host,
 * with the user's rights. A program that swaps a folder it made for a link to a host folder,
 * over and over, must not lead that walk out of its copy: not to count the host's files
 * against its limit, not to open (chmod) a host folder closed to its owner. And files it makes
 * and removes while the watch looks must not stop it as "unreadable".
 */
import { chmodSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  chownTree,
  hostileProject,
  makeCanaries,
  runAsPlainUser,
  runHostile,
  tempDir,
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
});
