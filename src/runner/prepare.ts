/**
 * Starting a sandboxed program's Node: its temporary folder with the bootstrap, and Node under
 * the permission model (and, on Linux, in namespaces of its own), waiting for "start". Kept
 * light: `mcp-codegen run` calls `prelaunch` before the rest of the CLI has even loaded, so
 * that the program's Node boots (~100 ms) while the runner starts up.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { signalGroup, trackProcessGroup } from "../connect/process-group.js";
import { BOOTSTRAP_FILE, BOOTSTRAP_SOURCE } from "./bootstrap.js";
import { networkIsolation, permissionFlags, type NetworkIsolation } from "./sandbox.js";

/** A sandbox folder with the program's Node started in it, waiting for its program. */
export interface PreparedSandbox {
  readonly dir: string;
  readonly child: ChildProcess;
  readonly heapMb: number;
  readonly isolation: NetworkIsolation;
}

/** Makes the program's folder and starts its Node (~100 ms until it is ready). */
export async function prepareSandbox(heapMb: number): Promise<PreparedSandbox> {
  return prepareSandboxNow(heapMb);
}

/** Sandbox folders not yet removed: whatever way this process exits, they go with it. */
const liveDirs = new Set<string>();
let cleanupInstalled = false;

function prepareSandboxNow(heapMb: number): PreparedSandbox {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mcp-codegen-run-"));
  liveDirs.add(dir);
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.on("exit", () => {
      for (const left of liveDirs) rmSync(left, { recursive: true, force: true });
    });
  }
  writeFileSync(path.join(dir, BOOTSTRAP_FILE), BOOTSTRAP_SOURCE);
  const isolation = networkIsolation();
  return { dir, child: startNode(dir, heapMb, isolation), heapMb, isolation };
}

/** Ends a prepared sandbox that will not be used, or whose run is over. */
export async function discardSandbox(prepared: PreparedSandbox): Promise<void> {
  killGroup(prepared.child);
  removeSandboxDir(prepared.dir);
}

export function removeSandboxDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

let prelaunched: PreparedSandbox | undefined;

/**
 * Starts a sandbox now, for the run this process is about to do; `takePrelaunched` hands it
 * over. One never taken ends with this process (its group is killed on exit, and the
 * bootstrap exits when its channel to us closes); its folder is removed then.
 */
export function prelaunch(heapMb: number): void {
  if (prelaunched) return;
  const prepared = prepareSandboxNow(heapMb);
  // Until a run takes it, it must not keep this process alive (a run that ends early, on a
  // config error say, would otherwise wait forever for a Node waiting for its program).
  hold(prepared.child, false);
  prelaunched = prepared;
  process.once("exit", () => {
    if (prelaunched === prepared) killGroup(prepared.child);
  });
}

export function takePrelaunched(): PreparedSandbox | undefined {
  const taken = prelaunched;
  prelaunched = undefined;
  if (taken) hold(taken.child, true);
  return taken;
}

/** Whether `child` (its pipes and channel too) keeps this process's event loop alive. */
function hold(child: ChildProcess, held: boolean): void {
  const handles = [child, child.stdout, child.stderr, child.channel] as (
    { ref?: () => void; unref?: () => void } | null | undefined
  )[];
  for (const handle of handles) {
    if (held) handle?.ref?.();
    else handle?.unref?.();
  }
}

/** Starts the sandboxed Node on the bootstrap; it waits for the host's "start". */
export function startNode(dir: string, heapMb: number, isolation: NetworkIsolation): ChildProcess {
  const nodeArgs = [
    ...permissionFlags({ readFolders: [dir], writeFolders: [path.join(dir, "workspace")] }),
    `--max-old-space-size=${heapMb}`,
    "--enable-source-maps",
    "--disable-warning=ExperimentalWarning",
    path.join(dir, BOOTSTRAP_FILE),
  ];
  const [command, ...args] = isolation.isolated
    ? [...isolation.prefix, process.execPath, ...nodeArgs]
    : [process.execPath, ...nodeArgs];
  const child = spawn(command!, args, {
    cwd: dir,
    // Nothing of the runner's environment: the allowed variables come with "start".
    env: {},
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "json",
    detached: true,
  });
  // Until the run listens, a failed spawn must not be an unhandled 'error' event.
  child.on("error", () => {});
  // Its own process group, so that ending it ends everything in it; killed if we exit first.
  if (child.pid !== undefined) {
    const untrack = trackProcessGroup(child.pid);
    child.once("exit", untrack);
  }
  return child;
}

/** SIGKILL to the program's whole process group (unshare, Node, anything left). */
export function killGroup(child: ChildProcess): void {
  if (child.pid !== undefined) signalGroup(child.pid, "SIGKILL");
}
