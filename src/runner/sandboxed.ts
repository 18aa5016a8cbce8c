/**
 * Runs an agent's program in a child Node process inside the sandbox, and serves its tool
 * calls from this process (the host), which alone holds MCP connections and secrets.
 *
 * Order matters for start-up time: the child Node starts (in parallel, on the other core)
 * while this process bundles the program; a "start" message then lets it import the bundle.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import * as path from "node:path";
import { PROGRAM_FILE } from "./bootstrap.js";
import { bundleProgram, type ProgramSource } from "./bundle.js";
import { childPids, watchMemory } from "./memory-watch.js";
import { OutputLimit, type Sink } from "./output-limit.js";
import {
  killGroup,
  prepareSandbox,
  removeSandboxDir,
  startNode,
  takePrelaunched,
  type PreparedSandbox,
} from "./prepare.js";
import { serveRequests } from "./serve-requests.js";
import { TailBuffer } from "./tail-buffer.js";
import { programEnv } from "./sandbox.js";
import type { ToolHost } from "./tool-host.js";

export type { RunLimits } from "./limits.js";
import type { RunLimits } from "./limits.js";

export interface SandboxedRun {
  readonly program: ProgramSource;
  /**
   * What the config decides. Called once the program's Node is starting: loading the config
   * (zod, esbuild, the config's own code) then overlaps Node's start-up on the other core,
   * which is most of what makes `run` quick.
   */
  readonly settings: () => Promise<RunSettings>;
  /**
   * The heap cap (MB) to start Node with before the settings are known: the command line's
   * `--memory`, or the default. If the settings say otherwise, Node is started again.
   */
  readonly heapMbGuess: number;
  /** The runner's environment (the program gets only what `envAllowed` names). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Folder that paths in messages are relative to. */
  readonly cwd: string;
  readonly stdout: Sink;
  readonly stderr: Sink;
  /** A sandbox started ahead of time (the daemon keeps one ready); else one is started. */
  readonly prepared?: PreparedSandbox;
  /** Aborting stops the program (the daemon's client went away). */
  readonly signal?: AbortSignal;
}

export interface RunSettings {
  /** The output folder (servers/, skills/, workspace/). */
  readonly outDir: string;
  readonly limits: RunLimits;
  /** Names of the runner's environment variables the program may see. */
  readonly envAllowed: readonly string[];
  /** Answers the program's requests. */
  readonly tools: ToolHost;
}

/** How a run ended: the runner's exit code and, when the runner stopped it, why. */
export interface RunOutcome {
  /** 0 ok, 1 the program failed, 124 time limit, 137 memory limit. */
  readonly exitCode: 0 | 1 | 124 | 137;
  readonly stoppedFor?: "time" | "memory";
}

const MB = 1024 * 1024;

/**
 * The program's folder holds the bootstrap, the bundle and `workspace`, a link to the real
 * `<outDir>/workspace`; it is also the program's working folder, so `workspace/notes.md` means
 * what the agent expects. Node's permission model follows a link that is already there (and
 * forbids making new ones), which lets Node start before the config has said where the
 * workspace is.
 */
export async function runSandboxed(run: SandboxedRun): Promise<RunOutcome> {
  const prepared = run.prepared ?? takePrelaunched() ?? (await prepareSandbox(run.heapMbGuess));
  const { dir, isolation } = prepared;
  const children: ChildProcess[] = [prepared.child];
  try {
    let child = prepared.child;
    const loading = run.settings();
    loading.catch(() => {}); // awaited below
    const bundling = bundleProgram({
      program: run.program,
      outDir: () => loading.then((s) => s.outDir),
      outfile: path.join(dir, PROGRAM_FILE),
      cwd: run.cwd,
    });
    bundling.catch(() => {}); // awaited below, after the settings
    const settings = await loading;
    // Started with another heap cap, or gone meanwhile (a daemon's child waiting for a run).
    if (settings.limits.memoryMb !== prepared.heapMb || child.exitCode !== null) {
      killGroup(child);
      child = startNode(dir, settings.limits.memoryMb, isolation);
      children.push(child);
    }
    if (!isolation.isolated) {
      run.stderr.write(
        `mcp-codegen run: warning: the program is NOT cut off from the network: ${isolation.reason}.\n`,
      );
    }
    const workspace = path.join(settings.outDir, "workspace");
    mkdirSync(workspace, { recursive: true });
    symlinkSync(workspace, path.join(dir, "workspace"), "dir");
    await writeFile(path.join(dir, PROGRAM_FILE), await bundling);
    run.signal?.throwIfAborted();
    return await supervise(child, run, settings);
  } finally {
    for (const child of children) killGroup(child);
    removeSandboxDir(dir);
  }
}

async function supervise(
  child: ChildProcess,
  run: SandboxedRun,
  settings: RunSettings,
): Promise<RunOutcome> {
  const { limits } = settings;
  let stoppedFor: "time" | "memory" | undefined;
  let stopMessage = "";
  const stop = (why: "time" | "memory", message: string) => {
    if (stoppedFor) return;
    stoppedFor = why;
    stopMessage = message;
    killGroup(child);
  };

  const stdout = new OutputLimit(run.stdout, limits.maxOutputBytes);
  const stderr = new OutputLimit(run.stderr, limits.maxOutputBytes);
  const stderrTail = new TailBuffer(4096);
  child.stderr!.on("data", (chunk: Buffer) => stderrTail.push(chunk));
  const drained = Promise.all([stdout.drain(child.stdout!), stderr.drain(child.stderr!)]);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve({ code: child.exitCode, signal: child.signalCode });
        return;
      }
      child.once("error", reject);
      child.once("exit", (code, signal) => resolve({ code, signal }));
    },
  );

  const timer = setTimeout(
    () =>
      stop(
        "time",
        `the program was stopped after ${limits.timeoutMs} ms, its time limit (--timeout <ms>, or run.timeout in the config).`,
      ),
    limits.timeoutMs,
  );
  const memory = watchMemory(
    async () => (child.pid === undefined ? [] : [child.pid, ...(await childPids(child.pid))]),
    limits.memoryMb * MB,
    (bytes) =>
      stop(
        "memory",
        `the program was stopped: it used ${Math.round(bytes / MB)} MB of memory, over its limit of ${limits.memoryMb} MB (--memory <MB>, or run.memory in the config).`,
      ),
  );

  const onAbort = () => killGroup(child);
  run.signal?.addEventListener("abort", onAbort, { once: true });
  const requests = serveRequests(child, settings.tools, (problem) => {
    run.stderr.write(`mcp-codegen run: the program sent ${problem}; stopping it.\n`);
    killGroup(child);
  });

  try {
    if (child.connected) {
      child.send({ type: "start", env: programEnv(settings.envAllowed, run.env) });
    }
    const { code, signal } = await exited;
    await drained;
    stdout.finish("output");
    stderr.finish("error output");
    if (stoppedFor === undefined && ranOutOfHeap(stderrTail.text(), code, signal)) {
      stoppedFor = "memory";
      stopMessage = `the program ran out of JavaScript heap, its limit being ${limits.memoryMb} MB (--memory <MB>, or run.memory in the config).`;
    }
    if (stoppedFor) {
      run.stderr.write(`mcp-codegen run: ${stopMessage}\n`);
      return { exitCode: stoppedFor === "time" ? 124 : 137, stoppedFor };
    }
    return { exitCode: code === 0 ? 0 : 1 };
  } finally {
    clearTimeout(timer);
    run.signal?.removeEventListener("abort", onAbort);
    memory.stop();
    requests.abortAll();
    killGroup(child);
  }
}

/** V8's own out-of-memory abort: the heap cap, not our watch, stopped the program. */
function ranOutOfHeap(stderr: string, code: number | null, signal: string | null): boolean {
  const crashed = code === 134 || code === 139 || signal === "SIGABRT" || signal === "SIGSEGV";
  return crashed && /heap out of memory|Reached heap limit/i.test(stderr);
}
