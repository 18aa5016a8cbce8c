/**
 * `mcp-codegen daemon`: runs programs for `mcp-codegen run` with everything already started:
 * the config's servers connected (spawning one costs 100–450 ms, a call on an open connection
 * well under 1 ms), esbuild loaded, and the next program's sandboxed Node booted and waiting.
 * `run` finds it by its socket, sends the program, and prints what comes back.
 */
import { existsSync, unlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/types.js";
import type { ProgramSource } from "./bundle.js";
import { configStamp, daemonSocketPath, readLines, replied, writeLine } from "./daemon-socket.js";
import { RunError } from "./errors.js";
import type { Sink } from "./output-limit.js";
import { limitsFor } from "./limits.js";
import { runSandboxed, type RunLimits } from "./sandboxed.js";
import { runRequest, type ToolHost } from "./tool-host.js";
import { WarmSandbox } from "./warm-sandbox.js";

export interface Daemon {
  readonly socketPath: string;
  /** Resolves when the daemon has stopped (a `stop` request, or `close()`). */
  readonly stopped: Promise<void>;
  close(): Promise<void>;
}

export interface DaemonOptions {
  /** Lines for the operator (servers connected, config reloaded, failures). */
  readonly log: (line: string) => void;
  /** The environment the config reads (`${VAR}`) when it is reloaded. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A program to run, as the client sends it. */
interface RunMessage {
  readonly type: "run";
  readonly program: ProgramSource;
  readonly cwd: string;
  readonly limits: Partial<RunLimits>;
  readonly env: Readonly<Record<string, string>>;
}

export async function startDaemon(
  initial: ResolvedConfig,
  options: DaemonOptions,
): Promise<Daemon> {
  const configFile = initial.file;
  if (configFile === undefined) throw new RunError("the daemon needs a config file");
  const socketPath = daemonSocketPath(configFile);
  if (socketPath === undefined) {
    throw new RunError(
      `no private folder for the daemon's socket under ${tmpdir()} (it must belong to you and be closed to others); set TMPDIR to one`,
    );
  }
  if (existsSync(socketPath)) {
    if (await replied(socketPath, { type: "hello" })) {
      throw new RunError(
        `a daemon for ${configFile} is already running (${socketPath}); stop it with \`mcp-codegen daemon --stop\``,
      );
    }
    unlinkSync(socketPath); // left by a daemon that was killed
  }
  const runtime = await import("../runtime/index.js");
  const { openConnection } = await import("../runtime/request.js");
  let config = initial;
  let stamp = configStamp(configFile);
  runtime.setRuntimeConfig(config);
  // The runtime's warnings (a server whose tools drifted) reach the runs under way, not only
  // the daemon's terminal.
  const runningErr = new Set<Sink>();
  runtime.setRuntimeWarningHandler((message) => {
    options.log(`warning: ${message}`);
    for (const sink of runningErr) sink.write(`mcp-codegen: warning: ${message}\n`);
  });
  // Connections stay open between runs: a run ending closes nothing.
  const tools: ToolHost = {
    handle: (request, signal, onProgress) => runRequest(runtime, request, signal, onProgress),
    close: async () => {},
  };

  const warmServers = () => {
    for (const { name } of config.servers.filter((s) => !s.disabled)) {
      openConnection(name).then(
        () => options.log(`server "${name}": connected`),
        (error: unknown) =>
          options.log(
            `server "${name}": ${error instanceof Error ? error.message : String(error)}`,
          ),
      );
    }
  };
  warmServers();

  // The next program's Node, booted ahead (~100 ms that a run would otherwise wait for).
  const warm = new WarmSandbox(config.run.memoryMb);
  warm.fill();

  /** Reloads the config when its file changed since it was read. */
  const current = async (): Promise<ResolvedConfig> => {
    const now = configStamp(configFile);
    if (now === stamp) return config;
    const reloaded = await loadConfig({
      configFile,
      cwd: path.dirname(configFile),
      env: options.env,
    });
    stamp = now;
    config = reloaded;
    runtime.setRuntimeConfig(config);
    await runtime.closeConnections();
    options.log(`${configFile} changed: reloaded; servers start again on first use`);
    await warm.reset(config.run.memoryMb);
    return config;
  };

  async function serveRun(socket: Socket, message: RunMessage): Promise<void> {
    const controller = new AbortController();
    socket.once("close", () => controller.abort(new RunError("the client went away")));
    const sink = (fd: 1 | 2): Sink => ({
      write: (chunk) =>
        writeLine(socket, { type: "out", fd, data: Buffer.from(chunk).toString("base64") }),
    });
    let code: number;
    const stderr = sink(2);
    runningErr.add(stderr);
    try {
      const settings = await current();
      const prepared = await warm.take();
      const outcome = await runSandboxed({
        program: message.program,
        settings: async () => ({
          outDir: settings.outDir,
          limits: limitsFor(settings, message.limits),
          envAllowed: settings.run.env,
          tools,
        }),
        heapMbGuess: message.limits.memoryMb ?? settings.run.memoryMb,
        env: message.env,
        cwd: message.cwd,
        stdout: sink(1),
        stderr,
        ...(prepared ? { prepared } : {}),
        signal: controller.signal,
      });
      code = outcome.exitCode;
    } catch (error) {
      sink(2).write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      code = 1;
    } finally {
      runningErr.delete(stderr);
      warm.fill();
    }
    writeLine(socket, { type: "exit", code });
  }

  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    readLines(socket, (raw) => {
      const message = raw as { type?: unknown } | null;
      if (message?.type === "hello") {
        void current().then(
          (settings) =>
            writeLine(socket, { type: "hello", envAllowed: settings.run.env, pid: process.pid }),
          (error: unknown) =>
            writeLine(socket, {
              type: "refused",
              message: error instanceof Error ? error.message : String(error),
            }),
        );
      } else if (message?.type === "run" && isRunMessage(message)) {
        void serveRun(socket, message);
      } else if (message?.type === "stop") {
        writeLine(socket, { type: "stopping" });
        void close();
      } else {
        socket.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await warm.close();
      await runtime.closeConnections();
      stop();
    })();
    return closing;
  }
  return { socketPath, stopped, close };
}

function isRunMessage(message: object): message is RunMessage {
  const m = message as Partial<RunMessage>;
  const program = m.program as Record<string, unknown> | undefined;
  const programOk =
    typeof program === "object" &&
    program !== null &&
    (typeof program.file === "string" ||
      (typeof program.code === "string" &&
        typeof program.resolveDir === "string" &&
        typeof program.name === "string"));
  return (
    programOk &&
    typeof m.cwd === "string" &&
    typeof m.limits === "object" &&
    m.limits !== null &&
    typeof m.env === "object" &&
    m.env !== null
  );
}
