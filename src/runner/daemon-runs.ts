/**
 * The daemon's runs: each waits for a slot, runs in the warm sandbox if one is ready (another
 * boots for the next), and streams its output and exit code back over its client's socket.
 */
import type { Socket } from "node:net";
import type { DaemonConfig } from "./daemon-config.js";
import type { DaemonMessage, RunMessage } from "./daemon-messages.js";
import { writeLine } from "./daemon-socket.js";
import { RunError } from "./errors.js";
import { runKept, type KeptOpen } from "./kept-open.js";
import type { Sink } from "./output-limit.js";
import { clampedLimitsFor, loweredLimits } from "./limits.js";

/** What every run of one daemon shares. */
export interface DaemonRuns {
  readonly config: DaemonConfig;
  readonly kept: KeptOpen;
}

/** Runs the program of `message`, writing its output and exit to `socket`; stops if it closes. */
export async function serveRun(socket: Socket, message: RunMessage, runs: DaemonRuns) {
  if (socket.destroyed) return;
  const controller = new AbortController();
  socket.once("close", () => controller.abort(new RunError("the client went away")));
  let code: number;
  const stderr = socketSink(socket, 2);
  try {
    const outcome = await runProgram(socket, message, stderr, controller.signal, runs);
    if (outcome === undefined) return; // gone while waiting: the program never ran
    code = outcome;
  } catch (error) {
    stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    code = 1;
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
): Promise<number | undefined> {
  const settings = await runs.config.current();
  const limits = clampedLimitsFor(settings, message.limits);
  for (const line of loweredLimits(settings, message.limits)) {
    stderr.write(`mcp-codegen run: warning: ${line}\n`);
  }
  const outcome = await runKept(runs.kept, {
    program: message.program,
    settings,
    limits,
    env: message.env,
    cwd: message.cwd,
    stdout: socketSink(socket, 1),
    stderr,
    signal,
  });
  return outcome?.exitCode;
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
