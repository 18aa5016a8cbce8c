/**
 * Runs an agent's program in a child Node process inside the sandbox, and serves its tool
 * calls from this process (the host), which alone holds MCP connections and secrets.
 *
 * Order matters for start-up time: the child Node starts (in parallel, on the other core)
 * while this process loads the config and bundles the program; a "start" message then lets
 * it import the bundle. Every step after the run starts counts against its time limit.
 */
import { realpathSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { PROGRAM_FILE } from "./bootstrap.js";
import { bundleProgram, type ProgramAccess, type ProgramSource } from "./bundle.js";
import { RunClock, untilAborted } from "./clock.js";
import { overLimit, watchDisk } from "./disk-watch.js";
import {
  exitCodeOf,
  RunError,
  RunLimitError,
  SandboxUnavailableError,
  type RunLimitKind,
} from "./errors.js";
import type { RunLimits } from "./limits.js";
import { processTree, watchMemory } from "./memory-watch.js";
import { OutputLimit, type Sink } from "./output-limit.js";
import {
  killGroup,
  prepareSandbox,
  removeSandboxDir,
  startNode,
  takePrelaunched,
  type PreparedSandbox,
  type SandboxedNode,
} from "./prepare.js";
import { programEnv, refusal } from "./os-sandbox.js";
import { serveRequests } from "./serve-requests.js";
import type { ToolHost } from "./tool-host.js";
import {
  commitWorkspace,
  describeChanges,
  shortName,
  stageWorkspace,
  workspaceChanges,
  type StagedWorkspace,
} from "./workspace.js";

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
  /** The run's clock, started when the run did; one is started here if not given. */
  readonly clock?: RunClock;
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

interface RunSettings {
  /** The output folder (servers/, skills/, workspace/). */
  readonly outDir: string;
  /** What the program's imports may reach. */
  readonly access: ProgramAccess;
  readonly limits: RunLimits;
  /** Names of the runner's environment variables the program may see. */
  readonly envAllowed: readonly string[];
  /** Answers the program's requests. */
  readonly tools: ToolHost;
}

/** How a run ended: the runner's exit code and, when the runner stopped it, why. */
export interface RunOutcome {
  /** 0 ok, 1 the program failed (or passed its disk limit), 124 time limit, 137 memory limit. */
  readonly exitCode: 0 | 1 | 124 | 137;
  readonly stoppedFor?: RunLimitKind;
}

const MB = 1024 * 1024;
/** Until the settings are known, nothing the runner says is cut (it says little). */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/**
 * The program's folder holds the bootstrap, the bundle and `workspace/`, the program's copy of
 * the real one; it is also the program's working folder, so `workspace/notes.md` means what
 * the agent expects. Its changes are copied back only when it succeeds.
 */
export async function runSandboxed(run: SandboxedRun): Promise<RunOutcome> {
  const clock = run.clock ?? new RunClock(UNLIMITED);
  const stdout = new OutputLimit(run.stdout, UNLIMITED);
  const stderr = new OutputLimit(run.stderr, UNLIMITED);
  const prepared = run.prepared ?? takePrelaunched() ?? (await prepareSandbox(run.heapMbGuess));
  const { dir } = prepared;
  const nodes: SandboxedNode[] = [prepared.node];
  try {
    const loading = run.settings();
    loading.catch(() => {}); // awaited below
    const bundling = bundleProgram({
      program: run.program,
      access: () => loading.then((s) => s.access),
      outfile: path.join(dir, PROGRAM_FILE),
      cwd: run.cwd,
      signal: clock.signal,
    });
    bundling.catch(() => {}); // awaited below, after the settings
    const settings = await loading;
    const { limits } = settings;
    clock.setLimit(limits.timeoutMs);
    stdout.setLimit(limits.maxOutputBytes);
    stderr.setLimit(limits.maxOutputBytes);
    let node = prepared.node;
    // Started with another heap cap, or gone meanwhile (a daemon's child waiting for a run).
    if (limits.memoryMb !== prepared.heapMb || node.child.exitCode !== null) {
      killGroup(node.child);
      node = startNode(dir, limits.memoryMb);
      nodes.push(node);
    }
    const real = path.join(settings.outDir, "workspace");
    await mkdir(real, { recursive: true });
    const staged = await stageWorkspace(
      realpathSync(real),
      path.join(dir, "workspace"),
      clock.signal,
    );
    await writeFile(path.join(dir, PROGRAM_FILE), await bundling);
    await untilReady(node, clock.signal);
    run.signal?.throwIfAborted();
    return await supervise(node, run, settings, { clock, stdout, stderr, staged });
  } catch (error) {
    const limit = limitOf(error, clock);
    if (limit) {
      stderr.always(`mcp-codegen run: ${limit.message}\n`);
      return { exitCode: exitCodeOf(limit.limit), stoppedFor: limit.limit };
    }
    if (error instanceof SandboxUnavailableError) {
      stderr.always(`${refusal(error.message)}\n`);
      return { exitCode: 1 };
    }
    if (error instanceof RunError) {
      stderr.push(Buffer.from(`error: ${error.message}\n`));
      return { exitCode: 1 };
    }
    throw error;
  } finally {
    clock.stop();
    for (const node of nodes) {
      killGroup(node.child);
      node.channel.close();
    }
    removeSandboxDir(dir);
  }
}

/** The limit an error stands for: its own, or the clock's when the run's time is up. */
function limitOf(error: unknown, clock: RunClock): RunLimitError | undefined {
  if (error instanceof RunLimitError) return error;
  const reason: unknown = clock.signal.aborted ? clock.signal.reason : undefined;
  return reason instanceof RunLimitError ? reason : undefined;
}

/** Waits for the bootstrap's "ready"; a Node that ended first could not start in the sandbox. */
async function untilReady(node: SandboxedNode, signal: AbortSignal): Promise<void> {
  const { child } = node;
  const exited = new Promise<never>((_, reject) => {
    // bwrap says why on its stderr: no user namespaces here (a container forbids them), say.
    const fail = () =>
      reject(
        new SandboxUnavailableError(
          `bubblewrap could not make its sandbox here (${node.earlyStderr.text().trim().slice(0, 500) || `exit ${child.exitCode}`}; a container may forbid user namespaces)`,
        ),
      );
    if (child.exitCode !== null || child.signalCode !== null) return fail();
    child.once("exit", fail);
    child.once("error", (error) =>
      reject(new SandboxUnavailableError(`bubblewrap could not be started (${error.message})`)),
    );
  });
  await untilAborted(Promise.race([node.channel.ready, exited]), signal);
}

interface RunParts {
  readonly clock: RunClock;
  readonly stdout: OutputLimit;
  readonly stderr: OutputLimit;
  readonly staged: StagedWorkspace;
}

async function supervise(
  node: SandboxedNode,
  run: SandboxedRun,
  settings: RunSettings,
  parts: RunParts,
): Promise<RunOutcome> {
  const { child, channel } = node;
  const { limits } = settings;
  const { clock, stdout, stderr, staged } = parts;
  let stopped: { why: RunLimitKind; message: string } | undefined;
  const stop = (why: RunLimitKind, message: string) => {
    if (stopped) return;
    stopped = { why, message };
    killGroup(child);
  };
  let violation: string | undefined;

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

  const onTime = () => stop("time", (clock.signal.reason as Error).message);
  if (clock.signal.aborted) onTime();
  clock.signal.addEventListener("abort", onTime, { once: true });
  const programPids = async () => (child.pid === undefined ? [] : processTree(child.pid));
  const memory = watchMemory(programPids, limits.memoryMb * MB, (bytes) =>
    stop(
      "memory",
      `the program was stopped: it used ${Math.round(bytes / MB)} MB of memory, over its limit of ${limits.memoryMb} MB (--memory <MB>, or run.memory in the config).`,
    ),
  );
  const disk = watchDisk(
    staged,
    limits.maxWorkspaceMb,
    (message) => stop("disk", message),
    programPids,
  );
  const onAbort = () => killGroup(child);
  run.signal?.addEventListener("abort", onAbort, { once: true });
  const requests = serveRequests(channel, settings.tools, (problem) => {
    violation ??= problem;
    killGroup(child);
  });

  try {
    channel.send({ type: "start", env: programEnv(settings.envAllowed, run.env) });
    const { code, signal } = await exited;
    await drained;
    memory.stop();
    disk.stop();
    stdout.finish("output");
    stderr.finish("error output");
    if (stopped === undefined && ranOutOfHeap(node.earlyStderr.text(), code, signal)) {
      stopped = {
        why: "memory",
        message: `the program ran out of JavaScript heap, its limit being ${limits.memoryMb} MB (--memory <MB>, or run.memory in the config).`,
      };
    }
    if (stopped === undefined && code === 0 && violation === undefined) {
      const over = await overLimit(staged, limits.maxWorkspaceMb);
      if (over !== undefined) stopped = { why: "disk", message: over };
    }
    if (violation !== undefined) {
      stderr.always(
        `mcp-codegen run: the program sent ${violation} on its channel to the runner; it was stopped.\n`,
      );
    }
    if (stopped) stderr.always(`mcp-codegen run: ${stopped.message}\n`);
    const succeeded = stopped === undefined && violation === undefined && code === 0;
    await settleWorkspace(staged, succeeded, stderr);
    if (stopped) return { exitCode: exitCodeOf(stopped.why), stoppedFor: stopped.why };
    return { exitCode: succeeded ? 0 : 1 };
  } finally {
    clock.signal.removeEventListener("abort", onTime);
    run.signal?.removeEventListener("abort", onAbort);
    memory.stop();
    disk.stop();
    requests.abortAll();
    killGroup(child);
  }
}

/** Copies a successful program's workspace changes back; says what a failed one lost. */
async function settleWorkspace(
  staged: StagedWorkspace,
  succeeded: boolean,
  stderr: OutputLimit,
): Promise<void> {
  if (succeeded) {
    const { refused } = await commitWorkspace(staged);
    for (const { path: name, why } of refused.slice(0, 5)) {
      stderr.always(`mcp-codegen run: workspace/${shortName(name)} was not kept: ${why}.\n`);
    }
    if (refused.length > 5) {
      stderr.always(`mcp-codegen run: and ${refused.length - 5} more were not kept.\n`);
    }
    return;
  }
  const lost = describeChanges(await workspaceChanges(staged));
  if (lost !== "") {
    stderr.always(
      `mcp-codegen run: the run did not succeed, so workspace/ was left as it was; the program's changes were not kept (${lost}).\n`,
    );
  }
}

/** V8's own out-of-memory abort: the heap cap, not our watch, stopped the program. */
function ranOutOfHeap(stderr: string, code: number | null, signal: string | null): boolean {
  const crashed = code === 134 || code === 139 || signal === "SIGABRT" || signal === "SIGSEGV";
  return crashed && /heap out of memory|Reached heap limit/i.test(stderr);
}
