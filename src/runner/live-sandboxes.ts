/**
 * The sandboxes this process started and has not removed yet, whichever bundle of the CLI
 * started them (entry.cjs starts one ahead of `run`, run.cjs runs, cli.cjs has the daemon and
 * serve): on globalThis, as each bundle carries its own copy of this module. However the
 * process ends (an exit, a signal), each is killed, waited for, and only then removed.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { forgetRunFolder } from "./run-folders.js";
import { killSandbox, sandboxEnded, sandboxEndedSync } from "./sandbox-processes.js";

interface LiveSandboxes {
  /** Sandbox folder → the bwrap processes started in it (one more for each restart). */
  readonly folders: Map<string, ChildProcess[]>;
  exitHandled: boolean;
}

const LIVE = Symbol.for("mcp-codegen.live-sandboxes");
const live = ((globalThis as { [LIVE]?: LiveSandboxes })[LIVE] ??= {
  folders: new Map(),
  exitHandled: false,
});

/** Notes that `child` (bwrap) was started in the sandbox folder `dir`. */
export function addLiveSandbox(dir: string, child: ChildProcess): void {
  const children = live.folders.get(dir) ?? [];
  children.push(child);
  live.folders.set(dir, children);
  if (!live.exitHandled) {
    live.exitHandled = true;
    // Before any other exit handler: one killing process groups would kill bwrap first.
    process.prependListener("exit", endLiveSandboxes);
  }
}

/**
 * Removes a sandbox's folder once nothing of the sandbox can change it (sandbox-processes.ts);
 * its processes are killed first if they run still.
 */
export async function removeSandboxDir(dir: string): Promise<void> {
  const children = live.folders.get(dir) ?? [];
  for (const child of children) killSandbox(child);
  const ended = await sandboxEnded(children);
  removeTree(dir, ended ? "nothing runs" : "may be changing");
  live.folders.delete(dir);
  forgetRunFolder(dir);
}

/**
 * Ends every live sandbox as this process exits, blocking (the event loop has stopped): kills
 * what a signal has not killed already (`killLiveSandboxes`), waits for it, removes folders.
 */
function endLiveSandboxes(): void {
  const children = killLiveSandboxes();
  const ended = sandboxEndedSync(children);
  for (const dir of live.folders.keys()) {
    removeTree(dir, ended ? "nothing runs" : "may be changing");
    forgetRunFolder(dir);
  }
  live.folders.clear();
}

/**
 * Kills every live sandbox's processes (noted first), leaving their folders: a signal's first
 * step, when a commit may still be reading one. Returns the sandboxes' bwrap processes.
 */
export function killLiveSandboxes(): ChildProcess[] {
  const children = [...live.folders.values()].flat();
  for (const child of children) killSandbox(child);
  return children;
}

/**
 * Removes a sandbox folder whatever the program made of its workspace. Once nothing of the
 * sandbox runs: by Node, and what Node cannot remove (a folder its owner closed, a tree deeper
 * than a path may be long) by `chmod -R` and `rm`. While it may still run, by `rm -rf` alone:
 * Node's recursive removal goes by paths, which a folder swapped for a link meanwhile would
 * lead into a host folder, and `chmod -R` (coreutils 9.1) changes what a name swapped for a
 * link points to; GNU `rm` walks by descriptors and checks each folder it enters. Never
 * throws: a leftover is better than a crashed runner.
 */
function removeTree(dir: string, state: "nothing runs" | "may be changing"): void {
  if (state === "nothing runs") {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch {
      spawnSync("chmod", ["-R", "u+rwX", dir], { stdio: "ignore" });
    }
  }
  spawnSync("rm", ["-rf", "--one-file-system", dir], { stdio: "ignore" });
}
