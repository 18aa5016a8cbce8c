/**
 * The workspace lock across processes: a live owner is waited for however long it takes (a
 * commit may be long), a gone one is taken over, and nobody releases a lock that is not theirs.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shortHash } from "../../src/model/hash.js";
import { privateTempDir } from "../../src/private-temp.js";
import { readWhole, withWorkspaceLock } from "../../src/runner/workspace-lock.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A workspace of its own, and where its lock goes. */
function workspace(): { real: string; lock: string } {
  const real = realpathSync(mkdtempSync(path.join(tmpdir(), "mcp-codegen-lock-test-")));
  made.push(real);
  const lock = path.join(privateTempDir()!, `workspace-${shortHash(real)}.lock`);
  made.push(lock);
  return { real, lock };
}

function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
}

/** The lock held by another process that is alive: `sleep`, as long as the test lets it. */
async function heldByAnother(lock: string) {
  const holder = spawn("sleep", ["30"], { stdio: "ignore" });
  await once(holder, "spawn");
  mkdirSync(lock);
  writeFileSync(path.join(lock, "owner"), `${holder.pid} ${startTime(holder.pid!)} theirs`);
  return holder;
}

describe("the workspace lock", () => {
  it("takes turns within a process", async () => {
    const { real } = workspace();
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name} out`);
    };
    await Promise.all([
      withWorkspaceLock(real, step("a", 30)),
      withWorkspaceLock(real, step("b", 1)),
    ]);
    expect(order).toEqual(["a in", "a out", "b in", "b out"]);
  });

  it("waits for a live owner, however long, and goes once it is gone", async () => {
    const { real, lock } = workspace();
    const holder = await heldByAnother(lock);
    let ran = false;
    const waiting = withWorkspaceLock(real, async () => void (ran = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toBe(false);
    holder.kill("SIGKILL");
    await once(holder, "exit");
    await waiting;
    expect(ran).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over the lock of a pid that is now another process's", async () => {
    const { real, lock } = workspace();
    mkdirSync(lock);
    writeFileSync(path.join(lock, "owner"), `${process.pid} 1 an-earlier-process`);
    let ran = false;
    await withWorkspaceLock(real, async () => void (ran = true));
    expect(ran).toBe(true);
  });

  it("takes over a lock folder nobody wrote their name in, once it is old", async () => {
    const { real, lock } = workspace();
    mkdirSync(lock);
    const old = new Date(Date.now() - 10_000);
    utimesSync(lock, old, old);
    let ran = false;
    await withWorkspaceLock(real, async () => void (ran = true));
    expect(ran).toBe(true);
  });

  it("releases only its own lock: one taken over meanwhile stays its new owner's", async () => {
    const { real, lock } = workspace();
    let holder: Awaited<ReturnType<typeof heldByAnother>> | undefined;
    await withWorkspaceLock(real, async () => {
      // Thought gone by another runner, which took the lock over.
      rmSync(lock, { recursive: true });
      holder = await heldByAnother(lock);
    });
    expect(readFileSync(path.join(lock, "owner"), "utf8")).toMatch(/ theirs$/);
    holder!.kill("SIGKILL");
  });

  it("stops a reader waiting for a commit when the run's time is up", async () => {
    const { real, lock } = workspace();
    const holder = await heldByAnother(lock);
    const read = async () => {};
    await expect(readWhole(real, read, read, AbortSignal.timeout(100))).rejects.toThrow(
      /timed out|aborted/i,
    );
    holder.kill("SIGKILL");
  });

  it("lets a reader wait for a commit under way, and read again after one that began", async () => {
    const { real, lock } = workspace();
    const holder = await heldByAnother(lock);
    const reads: string[] = [];
    let undone = 0;
    const reading = readWhole(
      real,
      async () => {
        reads.push("read");
        // The first read sees a commit begin (another runner writes the generation).
        if (reads.length === 1)
          writeFileSync(`${lock}.generation`, `another commit ${Math.random()}`);
        return reads.length;
      },
      async () => void (undone += 1),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reads).toEqual([]);
    holder.kill("SIGKILL");
    await once(holder, "exit");
    rmSync(lock, { recursive: true });
    expect(await reading).toBe(2);
    expect(undone).toBe(1);
  });
});
