/**
 * `run`'s side of the daemon: when a daemon is up for the same config file, the program is sent
 * to it and its output printed here as it comes. The daemon's servers are already connected and
 * its next sandbox already booted, so the run costs little more than this process's start.
 */
import type { ProgramSource } from "./bundle.js";
import type { ClientMessage } from "./daemon-messages.js";
import { connectSocket, daemonSocketPath, readLines, writeLine } from "./daemon-socket.js";
import { daemonTokenPath, readToken } from "./daemon-token.js";
import type { RunLimits } from "./limits.js";
import type { Sink } from "./output-limit.js";
import { programEnv } from "./os-sandbox.js";

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
export async function runViaDaemon(run: DaemonRun): Promise<number | undefined> {
  const socketPath = daemonSocketPath(run.configFile);
  const tokenPath = daemonTokenPath(run.configFile);
  if (socketPath === undefined || tokenPath === undefined) return undefined;
  const token = readToken(tokenPath);
  if (token === undefined) return undefined;
  const socket = await connectSocket(socketPath, CONNECT_TIMEOUT_MS);
  if (!socket) return undefined;
  const send = (message: ClientMessage & { token?: string }) => writeLine(socket, message);
  return new Promise<number | undefined>((resolve) => {
    let started = false;
    let settled = false;
    const finish = (code: number | undefined) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(code);
    };
    readLines(socket, (raw) => {
      const message = raw as {
        type?: string;
        envAllowed?: unknown;
        configFile?: unknown;
        fd?: unknown;
        data?: unknown;
        code?: unknown;
        message?: unknown;
      };
      if (message.type === "hello" && Array.isArray(message.envAllowed)) {
        // Another config's daemon (a hash collision, a moved file) is not ours to use.
        if (message.configFile !== run.configFile) return finish(undefined);
        const allowed = message.envAllowed.filter(
          (name): name is string => typeof name === "string",
        );
        started = true;
        send({
          type: "run",
          program: run.program,
          cwd: run.cwd,
          limits: run.limits,
          env: programEnv(allowed, run.env),
        });
      } else if (message.type === "refused") {
        run.stderr.write(`mcp-codegen run: ${String(message.message)}\n`);
        finish(1);
      } else if (message.type === "out" && typeof message.data === "string") {
        (message.fd === 2 ? run.stderr : run.stdout).write(Buffer.from(message.data, "base64"));
      } else if (message.type === "exit" && typeof message.code === "number") {
        finish(message.code);
      }
    });
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
