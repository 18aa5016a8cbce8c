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
import { readFileSync } from "node:fs";

/**
 * `pid` and every process below it: bwrap, its init, the program's Node. The sandbox may start
 * no process, so the tree is those three, unless a program got past Node's permission model;
 * it is bounded all the same.
 */
export function processTree(pid: number): number[] {
  const found = [pid];
  for (let i = 0; i < found.length && found.length < 4096; i++) {
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

/** A process as seen: its start time tells it from a later one given the same pid. */
interface SeenProcess {
  readonly pid: number;
  readonly started: string;
}

/**
 * Each killed sandbox's processes, as they were when it was killed; "unknown" when bwrap had
 * already ended then (by something else's hand): its children were out of sight.
 */
const killed = new WeakMap<ChildProcess, readonly SeenProcess[] | "unknown">();

/**
 * SIGKILL to every process of the sandbox `child` (bwrap) runs, noted first; then to its
 * group. Once noted, a sandbox is not looked at again: nothing new can start in it.
 */
export function killSandbox(child: ChildProcess, signalGroup: (pid: number) => void): void {
  if (child.pid === undefined) return;
  if (isRunning(child) && !killed.has(child)) {
    const seen = processTree(child.pid).flatMap((pid) => {
      const started = startTime(pid);
      return started === undefined ? [] : [{ pid, started }];
    });
    killed.set(child, seen[0]?.pid === child.pid ? seen : "unknown");
    for (const { pid } of seen) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
  }
  signalGroup(child.pid);
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
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
  const waitFor: SeenProcess[] = [];
  for (const child of children) {
    const seen = killed.get(child);
    if (seen === "unknown") return false;
    if (seen) waitFor.push(...seen);
    else if (child.exitCode === null) return false;
  }
  const deadline = performance.now() + withinMs;
  while (waitFor.some(isAlive)) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}

/** Still the process that was seen, and not a zombie (one that can no longer run). */
function isAlive({ pid, started }: SeenProcess): boolean {
  return startTime(pid) === started;
}

/**
 * The start time of `pid` (field 22 of /proc/<pid>/stat, after the name in parentheses, which
 * may hold anything), or undefined if it is gone or a zombie.
 */
function startTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3, the state: Z (zombie) and X (dead) can no longer run.
  if (fields[0] === "Z" || fields[0] === "X") return undefined;
  return fields[19];
}
