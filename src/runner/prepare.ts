/**
 * Starting a sandboxed program's Node: its temporary folder with the bootstrap and an empty
 * `workspace/`, and Node inside bubblewrap under the permission model, waiting for "start".
 * Kept light: `mcp-codegen run` calls `prelaunch` before the rest of the CLI has even loaded,
 * so that the program's Node boots (~60 ms) while the runner starts up.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Duplex } from "node:stream";
import { trackProcessGroup } from "../connect/process-group.js";
import { BOOTSTRAP_FILE, BOOTSTRAP_SOURCE } from "./bootstrap.js";
import { heapCap } from "./heap-cap.js";
import { RunError } from "./errors.js";
import { ProgramChannel } from "./program-channel.js";
import { addLiveSandbox, removeSandboxDir } from "./live-sandboxes.js";
import { noteRunFolder } from "./run-folders.js";
import { killSandbox } from "./sandbox-processes.js";
import { bwrapArgs, osSandbox, permissionFlags, refusal } from "./os-sandbox.js";
import { TailBuffer } from "./tail-buffer.js";

/** A sandbox folder with the program's Node started in it, waiting for its program. */
export interface PreparedSandbox {
  /** The program's folder (a real path): bootstrap, bundle, and the staged `workspace/`. */
  readonly dir: string;
  readonly node: SandboxedNode;
  readonly heapMb: number;
}

/** The program's Node inside bubblewrap, with its channel and the start of its stderr. */
export interface SandboxedNode {
  /** bwrap, whose process group holds everything of the run. */
  readonly child: ChildProcess;
  readonly channel: ProgramChannel;
  /** Its stderr until the run reads it: where bwrap says why it could not start. */
  readonly earlyStderr: TailBuffer;
}

/** Makes the program's folder and starts its Node (~50 ms until it is ready). */
export async function prepareSandbox(heapMb: number): Promise<PreparedSandbox> {
  const prepared = prepareSandboxNow(heapMb);
  // Noted for a sweep, should this process be killed (one started ahead of `run` is noted
  // when its program starts, off the start-up's path).
  noteRunFolder(prepared.dir);
  return prepared;
}

function prepareSandboxNow(heapMb: number): PreparedSandbox {
  const sandbox = osSandbox();
  if (!sandbox.available) throw new RunError(refusal(sandbox.reason));
  // A real path: bwrap mounts it at the same place, and the permission model compares paths.
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "mcp-codegen-run-")));
  writeFileSync(path.join(dir, BOOTSTRAP_FILE), BOOTSTRAP_SOURCE);
  mkdirSync(path.join(dir, "workspace"));
  return { dir, node: startNode(dir, heapMb), heapMb };
}

/** Ends a prepared sandbox that will not be used, or whose run is over. */
export async function discardSandbox(prepared: PreparedSandbox): Promise<void> {
  await removeSandboxDir(prepared.dir);
}

/**
 * Where the head start waits for its run. On `globalThis`, not in this module: the entry
 * script starts it from its own bundled copy of this file (dist/cli/entry.cjs, loaded before
 * any ES module), and the run takes it from this one.
 */
const PRELAUNCHED = Symbol.for("mcp-codegen.prelaunched-sandbox");
const slot = globalThis as { [PRELAUNCHED]?: PreparedSandbox };

/**
 * Starts a sandbox now, for the run this process is about to do; `takePrelaunched` hands it
 * over. One never taken ends with this process (its group is killed on exit, and the
 * bootstrap exits when its channel to us closes); its folder is removed then.
 */
export function prelaunch(heapMb: number): void {
  if (slot[PRELAUNCHED]) return;
  const prepared = prepareSandboxNow(heapMb);
  // Until a run takes it, it must not keep this process alive (a run that ends early, on a
  // config error say, would otherwise wait forever for a Node waiting for its program).
  hold(prepared.node.child, false);
  slot[PRELAUNCHED] = prepared;
  process.once("exit", () => {
    if (slot[PRELAUNCHED] === prepared) killSandbox(prepared.node.child);
  });
}

export function takePrelaunched(): PreparedSandbox | undefined {
  const taken = slot[PRELAUNCHED];
  delete slot[PRELAUNCHED];
  if (taken) hold(taken.node.child, true);
  return taken;
}

/** Whether `child` (its pipes and channel too) keeps this process's event loop alive. */
function hold(child: ChildProcess, held: boolean): void {
  const handles = [child, child.stdout, child.stderr, child.stdio[3]] as (
    { ref?: () => void; unref?: () => void } | null | undefined
  )[];
  for (const handle of handles) {
    if (held) handle?.ref?.();
    else handle?.unref?.();
  }
}

/**
 * Starts the program's Node on the bootstrap inside bubblewrap, under Node's permission model
 * (read its folder, write its workspace); it says "ready" and waits for the host's "start".
 */
export function startNode(dir: string, heapMb: number): SandboxedNode {
  const sandbox = osSandbox();
  if (!sandbox.available) throw new RunError(refusal(sandbox.reason));
  const cap = heapCap(heapMb);
  let meminfo: string | undefined;
  if ("meminfo" in cap) {
    // A file for each cap: a Node started again with another (run-sandboxed.ts) gets its own.
    meminfo = path.join(dir, `meminfo-${heapMb}`);
    writeFileSync(meminfo, cap.meminfo);
  }
  const nodeArgs = [
    ...permissionFlags({ readFolders: [dir], writeFolders: [path.join(dir, "workspace")] }),
    ...("flag" in cap ? [cap.flag] : []),
    "--no-addons",
    "--enable-source-maps",
    "--disable-warning=ExperimentalWarning",
    path.join(dir, BOOTSTRAP_FILE),
  ];
  const child = spawn(sandbox.bwrap, [...bwrapArgs(dir, meminfo), process.execPath, ...nodeArgs], {
    cwd: dir,
    // Nothing of the runner's environment: the allowed variables come with "start".
    env: {},
    // Descriptor 3 is the channel to the host: a socket pair only these two ends hold.
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    detached: true,
  });
  // Until the run listens, a failed spawn must not be an unhandled 'error' event.
  child.on("error", () => {});
  addLiveSandbox(dir, child);
  // Its own process group, so that ending it ends everything in it; killed if we exit first.
  if (child.pid !== undefined) {
    const untrack = trackProcessGroup(child.pid);
    child.once("exit", untrack);
  }
  const earlyStderr = new TailBuffer(4096);
  child.stderr!.on("data", (chunk: Buffer) => earlyStderr.push(chunk));
  return { child, channel: new ProgramChannel(child.stdio[3] as Duplex), earlyStderr };
}
