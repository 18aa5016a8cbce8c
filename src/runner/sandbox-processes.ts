/**
 * The processes of a sandbox as the host sees them (Linux /proc), and when they have ended.
 *
 * bwrap starts the program in a PID namespace, in a session of its own. When the namespace's
 * first process ends by itself, the kernel ends every other one before bwrap can see it end:
 * bwrap's exit means nothing of the sandbox runs. When the runner kills bwrap (a limit, an
 * abort), its children die with it (`--die-with-parent`), but later, as the kernel gets to
 * them: for a moment the program can still run, and change its folder under the host. So the
 * runner notes the processes it kills, and touches the sandbox's folder again only once they
 * are gone (`sandboxEnded`).
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { hasEnded, readStat } from "./proc-stat.js";
import { signalGroup } from "../connect/process-group.js";

/**
 * `pid` and every process below it: bwrap, its init, the program's Node. The sandbox may start
 * no process, so the tree is those three, unless a program got past Node's permission model;
 * it is bounded all the same. Through each process's list of children, or, on a kernel that
 * keeps none (CONFIG_PROC_CHILDREN off), through every process's parent.
 */
export function processTree(pid: number): number[] {
  if (!childrenListed()) return treeByParents(pid);
  const found = [pid];
  for (let i = 0; i < found.length && found.length < MAX_TREE; i++) {
    const current = found[i]!;
    try {
      const text = readFileSync(`/proc/${current}/task/${current}/children`, "latin1");
      for (const child of text.split(" ").filter(Boolean)) found.push(Number(child));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const MAX_TREE = 4096;

let listed: boolean | undefined;

function childrenListed(): boolean {
  listed ??= existsSync(`/proc/self/task/${process.pid}/children`);
  return listed;
}

/** `processTree` from every process's parent (field 4 of its stat): one pass over /proc. */
export function treeByParents(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [pid];
  }
  for (const entry of entries) {
    const parent = readStat(Number(entry))?.parent;
    if (parent === undefined) continue; // gone meanwhile
    const siblings = children.get(parent) ?? [];
    siblings.push(Number(entry));
    children.set(parent, siblings);
  }
  const found = [pid];
  for (let i = 0; i < found.length && found.length < MAX_TREE; i++) {
    found.push(...(children.get(found[i]!) ?? []));
  }
  return found;
}

/** A process as seen: its start time tells it from a later one given the same pid. */
interface SeenProcess {
  readonly pid: number;
  readonly started: string;
}

/**
 * Each killed sandbox's processes, as they were when it was killed; "unknown" when bwrap had
 * already ended then (by something else's hand): its children were out of sight. On
 * globalThis: each bundle of the CLI (entry.cjs, run.cjs, cli.cjs) has its own copy of this
 * module, and a sandbox one of them killed may be waited for by another.
 */
const KILLED = Symbol.for("mcp-codegen.killed-sandboxes");
const killed = ((
  globalThis as { [KILLED]?: WeakMap<ChildProcess, readonly SeenProcess[] | "unknown"> }
)[KILLED] ??= new WeakMap());

/**
 * SIGKILL to every process of the sandbox `child` (bwrap) runs, noted first; then to bwrap's
 * process group. Once noted, a sandbox is not looked at again: nothing new starts in it.
 */
export function killSandbox(child: ChildProcess): void {
  if (child.pid === undefined) return;
  if (isRunning(child) && !killed.has(child)) {
    const seen = processTree(child.pid).flatMap((pid) => {
      const stat = readStat(pid);
      return stat === undefined ? [] : [{ pid, started: stat.started, state: stat.state }];
    });
    const bwrap = seen[0];
    const sighted = bwrap?.pid === child.pid && !hasEnded(bwrap.state);
    killed.set(child, sighted ? seen.map(({ pid, started }) => ({ pid, started })) : "unknown");
    for (const { pid } of seen) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
  }
  signalGroup(child.pid, "SIGKILL");
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * What must end before nothing of these sandboxes can run: the processes of those the runner
 * killed; nothing for one that ended by itself; "unknown" for one that something else killed,
 * or that still runs.
 */
function awaited(children: readonly ChildProcess[]): SeenProcess[] | "unknown" {
  const waitFor: SeenProcess[] = [];
  for (const child of children) {
    const seen = killed.get(child);
    if (seen === "unknown") return "unknown";
    if (seen) waitFor.push(...seen);
    else if (child.exitCode === null) return "unknown";
  }
  return waitFor;
}

/**
 * Resolves true once nothing of these sandboxes can run, false if that cannot be known within
 * `withinMs`: a sandbox whose processes the runner killed, once each is gone; one that ended by
 * itself, at once; one that something else killed, or that still runs, never.
 */
export async function sandboxEnded(
  children: readonly ChildProcess[],
  withinMs = 2000,
): Promise<boolean> {
  const waitFor = awaited(children);
  if (waitFor === "unknown") return false;
  const deadline = performance.now() + withinMs;
  while (waitFor.some(isAlive)) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}

/** `sandboxEnded`, blocking: for a process that is exiting, whose event loop has stopped. */
export function sandboxEndedSync(children: readonly ChildProcess[], withinMs = 1000): boolean {
  const waitFor = awaited(children);
  if (waitFor === "unknown") return false;
  const deadline = performance.now() + withinMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (waitFor.some(isAlive)) {
    if (performance.now() > deadline) return false;
    Atomics.wait(pause, 0, 0, 1);
  }
  return true;
}

/**
 * Still the process that was seen, and able to run: not gone, and not a zombie. A zombie's
 * other threads may still be in a system call (its main thread went first): they count.
 */
function isAlive({ pid, started }: SeenProcess): boolean {
  const stat = readStat(pid);
  if (stat === undefined || stat.started !== started) return false;
  return !hasEnded(stat.state) || threadsRunning(pid);
}

function threadsRunning(pid: number): boolean {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return false;
  }
  return threads.some((tid) => {
    if (tid === String(pid)) return false;
    const state = readStat(pid, tid)?.state;
    return state !== undefined && !hasEnded(state);
  });
}
