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
import { watchMemory } from "./memory-watch.js";
import { OutputLimit, type Sink } from "./output-limit.js";
import { removeSandboxDir } from "./live-sandboxes.js";
import {
  prepareSandbox,
  startNode,
  takePrelaunched,
  type PreparedSandbox,
  type SandboxedNode,
} from "./prepare.js";
import { refusal } from "./os-sandbox.js";
import { programEnv } from "./program-env.js";
import { noteRunFolder, sweepLeftRunFolders } from "./run-folders.js";
import { killSandbox, processTree } from "./sandbox-processes.js";
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
  /** esbuild's service is this run's alone (the CLI's own run): see `BundleOptions`. */
  readonly ownService?: boolean;
}

interface RunSettings {
  /** What the program's imports may reach (the output folder's servers/, skills/, workspace/). */
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
    const bundling = startBundling(run, dir, clock.signal, loading);
    const settings = await loading;
    const { limits } = settings;
    clock.setLimit(limits.timeoutMs);
    stdout.setLimit(limits.maxOutputBytes);
    stderr.setLimit(limits.maxOutputBytes);
    const node = nodeWithHeap(prepared, limits.memoryMb, nodes);
    const staged = await stageRealWorkspace(settings.access, dir, clock.signal);
    await writeFile(path.join(dir, PROGRAM_FILE), await bundling);
    await untilReady(node, clock.signal);
    run.signal?.throwIfAborted();
    return await supervise(node, run, settings, { dir, clock, stdout, stderr, staged });
  } catch (error) {
    return failedRun(error, clock, stderr);
  } finally {
    clock.stop();
    for (const node of nodes) node.channel.close();
    // Kills every Node started in the folder first, and waits for them.
    await removeSandboxDir(dir);
  }
}

/** Bundles the program into the sandbox's folder while the settings load (it waits for them). */
function startBundling(
  run: SandboxedRun,
  dir: string,
  signal: AbortSignal,
  loading: Promise<RunSettings>,
): Promise<string> {
  const bundling = bundleProgram({
    program: run.program,
    access: () => loading.then((s) => s.access),
    outfile: path.join(dir, PROGRAM_FILE),
    cwd: run.cwd,
    signal,
    ownService: run.ownService === true,
  });
  bundling.catch(() => {}); // awaited by the caller, after the settings
  return bundling;
}

/**
 * The prepared Node, or a new one (added to `nodes`) when it was started with another heap cap
 * or is gone meanwhile (a daemon's child waiting for a run).
 */
function nodeWithHeap(
  prepared: PreparedSandbox,
  memoryMb: number,
  nodes: SandboxedNode[],
): SandboxedNode {
  const { node } = prepared;
  if (memoryMb === prepared.heapMb && node.child.exitCode === null) return node;
  killSandbox(node.child);
  const restarted = startNode(prepared.dir, memoryMb);
  nodes.push(restarted);
  return restarted;
}

/** Copies the run's real workspace (made if missing) into the sandbox's folder. */
async function stageRealWorkspace(
  access: ProgramAccess,
  dir: string,
  signal: AbortSignal,
): Promise<StagedWorkspace> {
  const real = access.workspace ?? path.join(access.outDir, "workspace");
  let folder: string;
  try {
    await mkdir(real, { recursive: true });
    folder = realpathSync(real);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new RunError(
      `the workspace ${real} is not a folder and cannot be made one (${code}: a file, or a link to nothing, is in its place); make it a folder, or remove it.`,
    );
  }
  return stageWorkspace(folder, path.join(dir, "workspace"), signal);
}

/** A run that ended before or outside supervising: a limit, no sandbox, or our own error. */
function failedRun(error: unknown, clock: RunClock, stderr: OutputLimit): RunOutcome {
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
  /** The sandbox's folder. */
  readonly dir: string;
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
  const { stdout, stderr } = parts;
  const stops = new RunStops(child);
  const drained = Promise.all([stdout.drain(child.stdout!), stderr.drain(child.stderr!)]);
  const exited = exitOf(child);
  const watches = watchLimits(child, settings.limits, parts, stops);
  const onAbort = () => killSandbox(child);
  run.signal?.addEventListener("abort", onAbort, { once: true });
  const requests = serveRequests(channel, settings.tools, (problem) => stops.violated(problem));

  try {
    channel.send({ type: "start", env: programEnv(settings.envAllowed, run.env) });
    // While the program starts (off the run's path): should this process be killed, a later
    // run removes the folder; and this one removes any a killed runner left (their notes are
    // few: the runs under way).
    noteRunFolder(parts.dir);
    sweepLeftRunFolders();
    const ended = await exited;
    await drained;
    watches.stopSampling();
    stdout.finish("output");
    stderr.finish("error output");
    return await outcomeOf(ended, node, settings.limits, parts, stops);
  } finally {
    watches.end();
    run.signal?.removeEventListener("abort", onAbort);
    requests.abortAll();
    killSandbox(child);
  }
}

type ProgramChild = SandboxedNode["child"];

/**
 * Why the runner stopped the program: the first limit it passed, and the first thing it broke
 * on its channel. Read when the run ends, and set until then (the clock may still run out).
 */
class RunStops {
  limit: { why: RunLimitKind; message: string } | undefined;
  violation: string | undefined;

  constructor(private readonly child: ProgramChild) {}

  /** Stops the program for a limit; a later one does not replace the first. */
  stop(why: RunLimitKind, message: string): void {
    if (this.limit) return;
    this.limit = { why, message };
    killSandbox(this.child);
  }

  /** Stops the program for what it sent on its channel. */
  violated(problem: string): void {
    this.violation ??= problem;
    killSandbox(this.child);
  }
}

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Resolves when the program's Node has exited (at once if it has already). */
function exitOf(child: ProgramChild): Promise<Ended> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Watches the run's time, memory and disk, stopping the program at the first limit it passes.
 * `stopSampling` ends the memory and disk samplers; `end` also stops watching the clock.
 */
function watchLimits(
  child: ProgramChild,
  limits: RunLimits,
  { clock, staged }: RunParts,
  stops: RunStops,
): { stopSampling(): void; end(): void } {
  const onTime = () => stops.stop("time", (clock.signal.reason as Error).message);
  if (clock.signal.aborted) onTime();
  clock.signal.addEventListener("abort", onTime, { once: true });
  const programPids = () => (child.pid === undefined ? [] : processTree(child.pid));
  const memory = watchMemory(programPids, limits.memoryMb * MB, (bytes) =>
    stops.stop(
      "memory",
      `the program was stopped: it used ${Math.round(bytes / MB)} MB of memory, over its limit of ${limits.memoryMb} MB (--memory <MB>, or run.memory in the config).`,
    ),
  );
  const disk = watchDisk(
    staged,
    limits.maxWorkspaceMb,
    (message) => stops.stop("disk", message),
    programPids,
  );
  const stopSampling = () => {
    memory.stop();
    disk.stop();
  };
  const end = () => {
    clock.signal.removeEventListener("abort", onTime);
    stopSampling();
  };
  return { stopSampling, end };
}

/**
 * How a program that exited ends the run: out of heap or over its disk limit counts as stopped;
 * the workspace is committed only when nothing stopped it and it exited 0.
 */
async function outcomeOf(
  { code, signal }: Ended,
  node: SandboxedNode,
  limits: RunLimits,
  { stderr, staged }: RunParts,
  stops: RunStops,
): Promise<RunOutcome> {
  if (stops.limit === undefined && ranOutOfHeap(node.earlyStderr.text(), code, signal)) {
    stops.limit = {
      why: "memory",
      message: `the program ran out of JavaScript heap, its limit being ${limits.memoryMb} MB (--memory <MB>, or run.memory in the config).`,
    };
  }
  if (stops.limit === undefined && code === 0 && stops.violation === undefined) {
    const over = await overLimit(staged, limits.maxWorkspaceMb);
    if (over !== undefined) stops.limit = { why: "disk", message: over };
  }
  if (stops.violation !== undefined) {
    stderr.always(
      `mcp-codegen run: the program sent ${stops.violation} on its channel to the runner; it was stopped.\n`,
    );
  }
  if (stops.limit) stderr.always(`mcp-codegen run: ${stops.limit.message}\n`);
  const succeeded = stops.limit === undefined && stops.violation === undefined && code === 0;
  await settleWorkspace(staged, succeeded, stderr);
  if (stops.limit) return { exitCode: exitCodeOf(stops.limit.why), stoppedFor: stops.limit.why };
  return { exitCode: succeeded ? 0 : 1 };
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
