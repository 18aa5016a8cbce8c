import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

/** How a server process ended: an exit code, or the signal that ended it. */
export interface ExitInfo {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How long `terminate()` waits after closing stdin before SIGTERM, and after SIGTERM before SIGKILL. */
const STDIN_GRACE_MS = 500;
const SIGTERM_GRACE_MS = 1_000;
/** Time the rest of a group gets between SIGTERM and SIGKILL once its leader has exited. */
const ORPHAN_GRACE_MS = 100;

// Every group whose leader we started and have not yet seen fully ended. The exit handler
// SIGKILLs what is left: a parent that exits without closing its connections must not leave
// servers (or their grandchildren) running. On globalThis: each bundle of the CLI (entry.cjs,
// run.cjs, cli.cjs) has its own copy of this module, and one's signal handler must end the
// groups another started.
const GROUPS = Symbol.for("mcp-codegen.open-process-groups");
const shared = ((globalThis as { [GROUPS]?: { groups: Set<number>; safetyNet: boolean } })[
  GROUPS
] ??= { groups: new Set(), safetyNet: false });
const openGroups = shared.groups;

function installSafetyNet(): void {
  if (shared.safetyNet) return;
  shared.safetyNet = true;
  process.on("exit", killAllProcessGroups);
}

/**
 * SIGKILLs every process group started by this process that is still open. Synchronous, so it
 * is safe in `process.on("exit")`; installed there automatically. A CLI that handles SIGINT or
 * SIGTERM itself should call it too: the servers run in process groups of their own, so a
 * Ctrl-C in the terminal does not reach them.
 */
export function killAllProcessGroups(): void {
  for (const pgid of openGroups) signalGroup(pgid, "SIGKILL");
  openGroups.clear();
}

/** Sends `signal` to the whole group; false when no process of the group is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

// Not unref'd: whoever awaits an ending (close(), a failed request's report) is waiting for it,
// and a timer that does not hold the event loop can leave that promise unsettled once the
// server's pipes are gone (Node then exits with code 13: "unsettled top-level await"). Each
// wait is bounded, so a ref'd timer delays the exit of a process by at most that much.
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A child process started as the leader of a process group of its own (`detached: true`), so
 * that ending it ends everything it started: servers launched through `npx` or a shell wrapper
 * run as grandchildren, which a signal to the direct child alone would leave running.
 */
export class ProcessGroup {
  readonly child: ChildProcessWithoutNullStreams;
  /** Settles once the process is running; rejects with the spawn error (ENOENT, EACCES…). */
  readonly spawned: Promise<void>;
  private exit: ExitInfo | undefined;
  private readonly exitWaiters = new Set<() => void>();
  private reaped: Promise<void> = Promise.resolve();
  private terminating = false;
  private endedOnItsOwn = false;

  /** Spawns `command` (looked up in `env.PATH`, like a shell would) without a shell. */
  constructor(
    command: string,
    args: readonly string[],
    options: { env: NodeJS.ProcessEnv; cwd: string },
  ) {
    this.child = spawn(command, [...args], {
      env: options.env,
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      shell: false,
      detached: true,
      windowsHide: true,
    });
    // Registered synchronously on "spawn" (before "exit" can run reapGroup) so that a group is
    // never added after it was removed: a stale entry could later signal a reused process id.
    this.child.once("spawn", () => {
      if (this.child.pid === undefined) return;
      openGroups.add(this.child.pid);
      installSafetyNet();
    });
    this.spawned = new Promise<void>((resolve, reject) => {
      this.child.once("spawn", resolve);
      this.child.once("error", reject);
    });
    this.child.once("exit", (exitCode, signal) => {
      this.exit = { exitCode, signal };
      this.endedOnItsOwn = !this.terminating;
      this.reaped = this.reapGroup();
      for (const wake of this.exitWaiters) wake();
      this.exitWaiters.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the leader ended, once it has. */
  get exitInfo(): ExitInfo | undefined {
    return this.exit;
  }

  /** True when the leader exited before anyone asked it to: a crash, or a server that quit. */
  get exitedOnItsOwn(): boolean {
    return this.endedOnItsOwn;
  }

  /** Resolves with the exit once the leader has exited, or with undefined after `ms`. */
  async waitForExit(ms: number): Promise<ExitInfo | undefined> {
    if (this.exit || ms <= 0) return this.exit;
    // The timer holds the event loop (so that an awaited close settles) and is cleared as soon
    // as the process exits, so that it does not hold it any longer than that.
    let wake!: () => void;
    const exited = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(wake, ms);
    this.exitWaiters.add(wake);
    await exited;
    clearTimeout(timer);
    this.exitWaiters.delete(wake);
    return this.exit;
  }

  /**
   * Ends the whole tree: closes stdin (a well-behaved server exits on EOF), then SIGTERM to the
   * group after `stdinGraceMs`, then SIGKILL after another second. Resolves when the leader has
   * exited and the rest of the group has been killed.
   */
  async terminate(stdinGraceMs = STDIN_GRACE_MS): Promise<void> {
    if (this.child.pid === undefined) return;
    this.terminating = true;
    if (!this.exit) {
      this.child.stdin.end();
      if (!(await this.waitForExit(stdinGraceMs))) {
        signalGroup(this.child.pid, "SIGTERM");
        if (!(await this.waitForExit(SIGTERM_GRACE_MS))) {
          signalGroup(this.child.pid, "SIGKILL");
          await this.waitForExit(SIGTERM_GRACE_MS);
        }
      }
    }
    await this.reaped;
  }

  // Once the leader is gone, whatever it left in its group has no one to serve: SIGTERM, a short
  // grace, SIGKILL. (A group of zombies also answers signal 0, so this cannot wait for "empty".)
  private async reapGroup(): Promise<void> {
    const pgid = this.child.pid;
    if (pgid === undefined) return;
    if (signalGroup(pgid, "SIGTERM")) {
      await delay(ORPHAN_GRACE_MS);
      signalGroup(pgid, "SIGKILL");
    }
    openGroups.delete(pgid);
  }
}

/**
 * Adds a process group started elsewhere (the runner's sandboxed program) to those SIGKILLed
 * when this process exits or `killAllProcessGroups` runs. Returns the function that removes it.
 */
export function trackProcessGroup(pgid: number): () => void {
  openGroups.add(pgid);
  installSafetyNet();
  return () => openGroups.delete(pgid);
}
