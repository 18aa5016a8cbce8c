/**
 * `run`'s side of the daemon: when a daemon is up for the same config file, the program is sent
 * to it and its output printed here as it comes. The daemon's servers are already connected and
 * its next sandbox already booted, so the run costs little more than this process's start.
 */
import { connect, type Socket } from "node:net";
import type { ProgramSource } from "./bundle.js";
import type { ClientMessage } from "./daemon-messages.js";
import { daemonSocketPath, readLines, writeLine } from "./daemon-socket.js";
import { daemonTokenPath, readToken } from "./daemon-token.js";
import type { RunLimits } from "./limits.js";
import type { Sink } from "./output-limit.js";
import { programEnv } from "./program-env.js";

const CONNECT_TIMEOUT_MS = 300;

export interface DaemonRun {
  readonly configFile: string;
  readonly program: ProgramSource;
  readonly cwd: string;
  /** Asked for; the daemon keeps each at most the config's, and says so when it lowers one. */
  readonly limits: Partial<RunLimits>;
  /** This process's environment; only the variables the config allows are sent. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Sink;
  readonly stderr: Sink;
}

/**
 * Runs the program on the daemon of `configFile`: resolves with its exit code, or undefined
 * when no daemon of this config will take it (the caller then runs it itself): none is up,
 * its token cannot be read, or it closed the connection before the run began.
 */
export async function runViaDaemon(run: DaemonRun): Promise<DaemonExitCode | undefined> {
  const opened = openDaemon(run.configFile);
  if (!opened) return undefined;
  const { socket, token } = opened;
  const send = (message: ClientMessage & { token?: string }) => writeLine(socket, message);
  return new Promise<DaemonExitCode | undefined>((resolve) => {
    let started = false;
    let settled = false;
    const finish = (code: number | undefined) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(code === undefined ? undefined : exitCodeFrom(code));
    };
    const began = () => (started = true);
    readLines(socket, (raw) => onDaemonMessage(raw as DaemonMessage, run, { send, began, finish }));
    socket.on("close", () => {
      if (settled) return;
      if (!started) return finish(undefined); // not ours to use: run locally
      run.stderr.write("mcp-codegen run: the daemon went away during the run\n");
      finish(1);
    });
    socket.on("error", () => {});
    send({ type: "hello", token, configFile: run.configFile });
  });
}

/** The exit codes `run` has (0, 1, 124 time, 137 memory): anything else the daemon sends is 1. */
export type DaemonExitCode = 0 | 1 | 124 | 137;

function exitCodeFrom(code: number): DaemonExitCode {
  return code === 0 || code === 124 || code === 137 ? code : 1;
}

/**
 * A connection to the daemon of `configFile` (connecting still) and its token; undefined when
 * there is no token to send. The caller writes at once (Node sends once connected, a round of
 * the event loop sooner); a failed connect, or none within CONNECT_TIMEOUT_MS, closes it.
 */
function openDaemon(configFile: string): { socket: Socket; token: string } | undefined {
  const socketPath = daemonSocketPath(configFile);
  const tokenPath = daemonTokenPath(configFile);
  if (socketPath === undefined || tokenPath === undefined) return undefined;
  const token = readToken(tokenPath);
  if (token === undefined) return undefined;
  const socket = connect(socketPath);
  const timer = setTimeout(() => socket.destroy(), CONNECT_TIMEOUT_MS);
  socket.once("connect", () => clearTimeout(timer));
  socket.once("close", () => clearTimeout(timer));
  return { socket, token };
}

/** A line from the daemon, as it may come: every field is checked before it is used. */
interface DaemonMessage {
  readonly type?: string;
  readonly envAllowed?: unknown;
  readonly configFile?: unknown;
  readonly fd?: unknown;
  readonly data?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
}

/** What a daemon's message can do to the run: send to it, mark it begun, end it. */
interface RunOnDaemon {
  readonly send: (message: ClientMessage) => void;
  readonly began: () => void;
  readonly finish: (code: number | undefined) => void;
}

function onDaemonMessage(message: DaemonMessage, run: DaemonRun, on: RunOnDaemon): void {
  if (message.type === "hello" && Array.isArray(message.envAllowed)) {
    // Another config's daemon (a hash collision, a moved file) is not ours to use.
    if (message.configFile !== run.configFile) return on.finish(undefined);
    const allowed = message.envAllowed.filter((name): name is string => typeof name === "string");
    on.began();
    on.send({
      type: "run",
      program: run.program,
      cwd: run.cwd,
      limits: run.limits,
      env: programEnv(allowed, run.env),
    });
  } else if (message.type === "refused") {
    run.stderr.write(`mcp-codegen run: ${String(message.message)}\n`);
    on.finish(1);
  } else if (message.type === "out" && typeof message.data === "string") {
    (message.fd === 2 ? run.stderr : run.stdout).write(Buffer.from(message.data, "base64"));
  } else if (message.type === "exit" && typeof message.code === "number") {
    on.finish(message.code);
  }
}
