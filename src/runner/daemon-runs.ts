/**
 * The daemon's runs: each waits for a slot, runs in the warm sandbox if one is ready (another
 * boots for the next), and streams its output and exit code back over its client's socket.
 */
import type { Socket } from "node:net";
import type { DaemonConfig } from "./daemon-config.js";
import type { DaemonMessage, RunMessage } from "./daemon-messages.js";
import { writeLine } from "./daemon-socket.js";
import { RunError } from "./errors.js";
import type { Sink } from "./output-limit.js";
import { clampedLimitsFor, loweredLimits } from "./limits.js";
import type { RunSlots } from "./run-slots.js";
import { programAccess } from "./access.js";
import type { runSandboxed } from "./run-sandboxed.js";
import { withPrivacy } from "./private-host.js";
import type { ToolHost } from "./tool-host.js";
import { WarmSandbox } from "./warm-sandbox.js";

/** What every run of one daemon shares. */
export interface DaemonRuns {
  readonly config: DaemonConfig;
  readonly slots: RunSlots;
  readonly warm: WarmSandbox | undefined;
  readonly run: typeof runSandboxed;
  readonly tools: ToolHost;
  /** The stderr of each run under way (the runtime's warnings go to all of them). */
  readonly runningErr: Set<Sink>;
}

/**
 * The next program's Node, booted ahead (~100 ms that a run would otherwise wait for), and
 * esbuild's service (a process of its own) started now rather than by the first run.
 */
export function warmUp(enabled: boolean | undefined, memoryMb: number): WarmSandbox | undefined {
  const warm = enabled === false ? undefined : new WarmSandbox(memoryMb);
  warm?.fill();
  void import("../esbuild.js").then(({ esbuild }) => esbuild().transform("")).catch(() => {});
  return warm;
}

/** Runs the program of `message`, writing its output and exit to `socket`; stops if it closes. */
export async function serveRun(socket: Socket, message: RunMessage, runs: DaemonRuns) {
  if (socket.destroyed) return;
  const controller = new AbortController();
  socket.once("close", () => controller.abort(new RunError("the client went away")));
  let release: () => void;
  try {
    release = await runs.slots.acquire(controller.signal);
  } catch {
    return; // gone while waiting: the program never runs
  }
  let code: number;
  const stderr = socketSink(socket, 2);
  runs.runningErr.add(stderr);
  try {
    code = await runProgram(socket, message, stderr, controller.signal, runs);
  } catch (error) {
    stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    code = 1;
  } finally {
    runs.runningErr.delete(stderr);
    release();
    runs.warm?.fill();
  }
  writeLine(socket, { type: "exit", code } satisfies DaemonMessage);
}

/** One run under the config as it is now, within its limits; resolves with the exit code. */
async function runProgram(
  socket: Socket,
  message: RunMessage,
  stderr: Sink,
  signal: AbortSignal,
  runs: DaemonRuns,
): Promise<number> {
  const settings = await runs.config.current();
  const limits = clampedLimitsFor(settings, message.limits);
  for (const line of loweredLimits(settings, message.limits)) {
    stderr.write(`mcp-codegen run: warning: ${line}\n`);
  }
  const prepared = await runs.warm?.take();
  const outcome = await runs.run({
    program: message.program,
    settings: async () => ({
      outDir: settings.outDir,
      access: programAccess(settings),
      limits,
      envAllowed: settings.run.env,
      // Each run has a token map of its own, though the connections are shared.
      tools: withPrivacy(runs.tools, settings),
    }),
    heapMbGuess: limits.memoryMb,
    env: message.env,
    cwd: message.cwd,
    stdout: socketSink(socket, 1),
    stderr,
    ...(prepared ? { prepared } : {}),
    signal,
  });
  return outcome.exitCode;
}

/** A program's stdout or stderr, as `out` messages to its client. */
function socketSink(socket: Socket, fd: 1 | 2): Sink {
  return {
    write: (chunk) =>
      writeLine(socket, {
        type: "out",
        fd,
        data: Buffer.from(chunk).toString("base64"),
      } satisfies DaemonMessage),
  };
}
