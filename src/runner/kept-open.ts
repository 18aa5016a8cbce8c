/**
 * What a long-lived host keeps ready between runs, shared by the daemon (`run`'s helper) and
 * `serve` (an MCP server): the config's servers connected (spawning one costs 100–450 ms, a
 * call on an open connection well under 1 ms), the next program's sandboxed Node booted, a
 * bound on the runs at once, and the runtime's warnings sent to every run under way.
 */
import type { ResolvedConfig } from "../config/types.js";
import type { Approver } from "../runtime/approver.js";
import type { ProgramSource } from "./bundle.js";
import { runHost } from "./run-host.js";
import { programAccess } from "./access.js";
import type { RunLimits } from "./limits.js";
import type { Sink } from "./output-limit.js";
import { RunSlots } from "./run-slots.js";
import { runSandboxed, type RunOutcome } from "./run-sandboxed.js";
import { runRequest, type ToolHost } from "./tool-host.js";
import { WarmSandbox } from "./warm-sandbox.js";

type Runtime = typeof import("../runtime/index.js");

/** What every run of one host shares. */
export interface KeptOpen {
  readonly runtime: Runtime;
  readonly slots: RunSlots;
  readonly warm: WarmSandbox | undefined;
  readonly run: typeof runSandboxed;
  /** The tools programs call: connections stay open between runs, a run ending closes nothing. */
  readonly tools: ToolHost;
  /** The stderr of each run under way (the runtime's warnings go to all of them). */
  readonly runningErr: Set<Sink>;
  /** Ends the warm sandbox and the servers' connections. */
  close(): Promise<void>;
}

export interface KeepOpenOptions {
  /** Lines for the operator (servers connected, failures, warnings). */
  readonly log: (line: string) => void;
  /** Runs at once; the others wait in arrival order. */
  readonly maxRuns: number;
  /** Boots the next program's sandbox before it comes (~100 ms a run). Default: true. */
  readonly warmSandbox?: boolean;
  /** How many booted sandboxes wait for runs. Default: 1. */
  readonly warmSandboxes?: number;
  /** What runs a program: the sandbox. Tests put a recorder here. */
  readonly runSandboxed?: typeof runSandboxed;
  /** Who answers the calls the config's `approve` names (the host has no terminal). */
  readonly approver: Approver;
  /** The config as it is now (the daemon's is read again when its file changes). */
  readonly config: () => ResolvedConfig;
}

/** Loads the runtime with `initial`, connects its servers and boots the first sandbox. */
export async function keepOpen(
  initial: ResolvedConfig,
  options: KeepOpenOptions,
): Promise<KeptOpen> {
  const slots = new RunSlots(options.maxRuns);
  const runtime = await import("../runtime/index.js");
  const { openConnection } = await import("../runtime/request.js");
  const { setRuntimeApprover } = await import("../runtime/approver.js");
  runtime.setRuntimeConfig(initial);
  setRuntimeApprover(options.approver);
  const runningErr = forwardWarnings(runtime, options.log);
  const tools: ToolHost = {
    handle: (request, signal, onProgress) => runRequest(runtime, request, signal, onProgress),
    close: async () => {},
    config: options.config,
  };
  connectServers(openConnection, initial, options.log);
  const warm = warmUp(options.warmSandbox, initial.run.memoryMb, options.warmSandboxes ?? 1);
  return {
    runtime,
    slots,
    warm,
    run: options.runSandboxed ?? runSandboxed,
    tools,
    runningErr,
    async close() {
      await warm?.close();
      await runtime.closeConnections();
    },
  };
}

/** One run for a client of the host. */
export interface KeptRun {
  readonly program: ProgramSource;
  /** The config as it is for this run. */
  readonly settings: ResolvedConfig;
  readonly limits: RunLimits;
  /** The environment the program's allowed variables are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Folder that paths in messages are relative to. */
  readonly cwd: string;
  readonly stdout: Sink;
  readonly stderr: Sink;
  /** Aborting stops the program, or takes it out of the queue (its client went away). */
  readonly signal: AbortSignal;
  /**
   * The run's workspace, if not the config's `<outDir>/workspace` (serve's per-client one); the
   * program then reads no folder of its own either, only the tree, packages and this workspace.
   */
  readonly workspace?: string;
  /** What answers its requests, if not the host's own tools (serve's, asking its client). */
  readonly tools?: ToolHost;
}

/**
 * Waits for a slot, runs the program in the warm sandbox if one is ready (another boots for
 * the next run), and frees the slot. Undefined when the signal aborted while it waited: the
 * program never ran.
 */
export async function runKept(kept: KeptOpen, run: KeptRun): Promise<RunOutcome | undefined> {
  let release: () => void;
  try {
    release = await kept.slots.acquire(run.signal);
  } catch {
    return undefined;
  }
  kept.runningErr.add(run.stderr);
  try {
    const prepared = await kept.warm?.take();
    const access = programAccess(run.settings);
    return await kept.run({
      program: run.program,
      settings: async () => ({
        access:
          run.workspace === undefined
            ? access
            : { ...access, workspace: run.workspace, ownFolder: false },
        limits: run.limits,
        envAllowed: run.settings.run.env,
        // Each run has a token map and a quota of its own, though the connections are shared.
        tools: runHost(run.tools ?? kept.tools, run.settings),
      }),
      heapMbGuess: run.limits.memoryMb,
      env: run.env,
      cwd: run.cwd,
      stdout: run.stdout,
      stderr: run.stderr,
      ...(prepared ? { prepared } : {}),
      signal: run.signal,
    });
  } finally {
    kept.runningErr.delete(run.stderr);
    release();
    // After the caller has sent the outcome: starting a sandbox takes the thread for ~3 ms.
    setImmediate(() => kept.warm?.fill());
  }
}

/**
 * The next program's Node, booted ahead (~100 ms that a run would otherwise wait for), and
 * esbuild's service (a process of its own) started now rather than by the first run.
 */
function warmUp(
  enabled: boolean | undefined,
  memoryMb: number,
  size: number,
): WarmSandbox | undefined {
  const warm = enabled === false ? undefined : new WarmSandbox(memoryMb, size);
  warm?.fill();
  void import("../esbuild.js").then(({ esbuild }) => esbuild().transform("")).catch(() => {});
  return warm;
}

/**
 * The runtime's warnings (a server whose tools drifted) reach the runs under way, not only the
 * host's log: each run adds its stderr to the set while it runs.
 */
function forwardWarnings(runtime: Runtime, log: (line: string) => void): Set<Sink> {
  const runningErr = new Set<Sink>();
  runtime.setRuntimeWarningHandler((message) => {
    log(`warning: ${message}`);
    for (const sink of runningErr) sink.write(`mcp-codegen: warning: ${message}\n`);
  });
  return runningErr;
}

/** Connects the config's servers now, so that the first run finds them started. */
function connectServers(
  openConnection: (server: string) => Promise<unknown>,
  config: ResolvedConfig,
  log: (line: string) => void,
): void {
  for (const { name } of config.servers.filter((s) => !s.disabled)) {
    openConnection(name).then(
      () => log(`server "${name}": connected`),
      (error: unknown) =>
        log(`server "${name}": ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}
