/**
 * When the runner may touch a sandbox's folder again: real process trees (a shell with a child
 * that ignores its parent's end, as a sandboxed program dying after bwrap would).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  killSandbox,
  processTree,
  sandboxEnded,
  sandboxEndedSync,
  treeByParents,
} from "../../src/runner/sandbox-processes.js";

/** A shell (in a group of its own) whose child sleeps on: the tree `killSandbox` must end. */
async function tree(): Promise<ChildProcess> {
  const child = spawn("sh", ["-c", "sleep 30 & wait"], { detached: true, stdio: "ignore" });
  await once(child, "spawn");
  for (let waited = 0; processTree(child.pid!).length < 2 && waited < 200; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return child;
}

/** Running still: there, and not a zombie waiting for its parent. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

describe("sandboxEnded", () => {
  it("waits for every process the runner killed, the children below bwrap's too", async () => {
    const child = await tree();
    const pids = processTree(child.pid!);
    expect(pids).toHaveLength(2);
    killSandbox(child);
    expect(await sandboxEnded([child])).toBe(true);
    expect(pids.filter(alive)).toEqual([]);
  });

  it("is at once for a sandbox that ended by itself", async () => {
    const child = spawn("sh", ["-c", "exit 0"], { stdio: "ignore" });
    await once(child, "exit");
    const started = performance.now();
    expect(await sandboxEnded([child])).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("cannot say for one something else killed, or one still running", async () => {
    const killedElsewhere = await tree();
    const orphan = processTree(killedElsewhere.pid!)[1]!;
    killedElsewhere.kill("SIGKILL");
    await once(killedElsewhere, "exit");
    expect(await sandboxEnded([killedElsewhere], 50)).toBe(false);
    process.kill(orphan, "SIGKILL");

    const running = await tree();
    expect(await sandboxEnded([running], 50)).toBe(false);
    killSandbox(running);
    expect(await sandboxEnded([running])).toBe(true);
  });

  it("notes a sandbox once: a second kill after its end changes nothing", async () => {
    const child = await tree();
    killSandbox(child);
    await once(child, "exit");
    killSandbox(child);
    expect(await sandboxEnded([child])).toBe(true);
  });

  it("waits the same, blocking, for a process that is exiting", async () => {
    const child = await tree();
    const pids = processTree(child.pid!);
    expect(sandboxEndedSync([child], 20)).toBe(false);
    killSandbox(child);
    expect(sandboxEndedSync([child])).toBe(true);
    expect(pids.filter(alive)).toEqual([]);
  });

  it("finds the same tree through parents as through the kernel's lists of children", async () => {
    const child = await tree();
    expect(treeByParents(child.pid!).sort()).toEqual(processTree(child.pid!).sort());
    expect(treeByParents(child.pid!)).toHaveLength(2);
    killSandbox(child);
  });
});
