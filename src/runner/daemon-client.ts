/**
 * `run`'s side of the daemon: when a daemon is up for the same config file, the program is sent
 * to it and its output printed here as it comes. The daemon's servers are already connected and
 * its next sandbox already booted, so the run costs little more than this process's start.
 */
import { existsSync } from "node:fs";
import type { ProgramSource } from "./bundle.js";
import {
  configStamp,
  connectSocket,
  daemonSocketPath,
  readLines,
  writeLine,
} from "./daemon-socket.js";
import type { Sink } from "./output-limit.js";
import { programEnv } from "./sandbox.js";
import type { RunLimits } from "./sandboxed.js";

const CONNECT_TIMEOUT_MS = 300;

export interface DaemonRun {
  readonly configFile: string;
  readonly program: ProgramSource;
  readonly cwd: string;
  readonly limits: Partial<RunLimits>;
  /** This process's environment; only the variables the config allows are sent. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Sink;
  readonly stderr: Sink;
}

/**
 * Runs the program on the daemon of `configFile`: resolves with its exit code, or undefined
 * when no daemon is up (the caller then runs it itself).
 */
export async function runViaDaemon(run: DaemonRun): Promise<number | undefined> {
  const socketPath = daemonSocketPath(run.configFile);
  if (socketPath === undefined || !existsSync(socketPath)) return undefined;
  const socket = await connectSocket(socketPath, CONNECT_TIMEOUT_MS);
  if (!socket) return undefined;
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
        fd?: unknown;
        data?: unknown;
        code?: unknown;
        message?: unknown;
      };
      if (message.type === "hello" && Array.isArray(message.envAllowed)) {
        const allowed = message.envAllowed.filter(
          (name): name is string => typeof name === "string",
        );
        const env = programEnv(allowed, run.env);
        started = true;
        writeLine(socket, {
          type: "run",
          program: run.program,
          cwd: run.cwd,
          limits: run.limits,
          env,
        });
      } else if (message.type === "refused") {
        run.stderr.write(
          `mcp-codegen run: the daemon could not load the config: ${String(message.message)}\n`,
        );
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
    writeLine(socket, { type: "hello", stamp: configStamp(run.configFile) });
  });
}
