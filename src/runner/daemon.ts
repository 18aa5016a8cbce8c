/**
 * `mcp-codegen daemon`: runs programs for `mcp-codegen run` with everything already started:
 * the config's servers connected (spawning one costs 100–450 ms, a call on an open connection
 * well under 1 ms), esbuild loaded, and the next program's sandboxed Node booted and waiting.
 * `run` finds it by its socket, proves itself with the token beside it, sends the program, and
 * prints what comes back. The daemon trusts no client further: limits stay within the
 * config's, and only a few runs go at once.
 */
import { rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/types.js";
import { serveConnection } from "./daemon-connection.js";
import type { DaemonMessage, HelloMessage, RunMessage } from "./daemon-messages.js";
import { claimSocketPath, configStamp, daemonSocketPath, writeLine } from "./daemon-socket.js";
import { daemonTokenPath, newToken, publishToken } from "./daemon-token.js";
import { RunError } from "./errors.js";
import type { Sink } from "./output-limit.js";
import { clampedLimitsFor, loweredLimits } from "./limits.js";
import { RunSlots } from "./run-slots.js";
import { programAccess } from "./access.js";
import { runSandboxed } from "./sandboxed.js";
import { runRequest, type ToolHost } from "./tool-host.js";
import { WarmSandbox } from "./warm-sandbox.js";

/** Connections at once; more are closed as they come (each may hold a 16 MiB line). */
const MAX_CONNECTIONS = 64;

export interface Daemon {
  readonly socketPath: string;
  /** The file holding the token clients must send. */
  readonly tokenPath: string;
  /** Resolves when the daemon has stopped (a `stop` request, or `close()`). */
  readonly stopped: Promise<void>;
  close(): Promise<void>;
}

export interface DaemonOptions {
  /** Lines for the operator (servers connected, config reloaded, failures). */
  readonly log: (line: string) => void;
  /** The environment the config reads (`${VAR}`) when it is reloaded. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Runs at once; the others wait in arrival order. Default: 2. */
  readonly maxRuns?: number;
  /** Boots the next program's sandbox before it comes (~100 ms a run). Default: true. */
  readonly warmSandbox?: boolean;
  /** What runs a program: the sandbox. Tests put a recorder here. */
  readonly runSandboxed?: typeof runSandboxed;
}

export async function startDaemon(
  initial: ResolvedConfig,
  options: DaemonOptions,
): Promise<Daemon> {
  const configFile = initial.file;
  if (configFile === undefined) throw new RunError("the daemon needs a config file");
  const socketPath = daemonSocketPath(configFile);
  const tokenPath = daemonTokenPath(configFile);
  if (socketPath === undefined || tokenPath === undefined) {
    throw new RunError(
      `no private folder for the daemon's socket under ${tmpdir()} (it must belong to you and be closed to others); set TMPDIR to one`,
    );
  }
  await claimSocketPath(socketPath, configFile);
  const run = options.runSandboxed ?? runSandboxed;
  const slots = new RunSlots(options.maxRuns ?? 2);
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
    config: () => config,
  };

  for (const { name } of config.servers.filter((s) => !s.disabled)) {
    openConnection(name).then(
      () => options.log(`server "${name}": connected`),
      (error: unknown) =>
        options.log(`server "${name}": ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  // The next program's Node, booted ahead (~100 ms that a run would otherwise wait for).
  const warm = options.warmSandbox === false ? undefined : new WarmSandbox(config.run.memoryMb);
  warm?.fill();
  // esbuild's service (a process of its own) started now rather than by the first run.
  void import("../esbuild.js").then(({ esbuild }) => esbuild().transform("")).catch(() => {});

  /**
   * The config, read again if its file changed since; one reload at a time, however many runs
   * and hellos ask meanwhile.
   */
  let reloading: Promise<ResolvedConfig> | undefined;
  const current = (): Promise<ResolvedConfig> => {
    if (configStamp(configFile) === stamp) return Promise.resolve(config);
    reloading ??= reload().finally(() => (reloading = undefined));
    return reloading;
  };
  const reload = async (): Promise<ResolvedConfig> => {
    const now = configStamp(configFile);
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
    await warm?.reset(config.run.memoryMb);
    return config;
  };

  async function hello(message: HelloMessage): Promise<DaemonMessage> {
    if (message.configFile !== configFile) {
      return {
        type: "refused",
        message: `this daemon serves ${configFile}, not ${message.configFile}`,
      };
    }
    try {
      const settings = await current();
      return { type: "hello", envAllowed: settings.run.env, pid: process.pid, configFile };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { type: "refused", message: `the daemon could not load the config: ${reason}` };
    }
  }

  async function serveRun(socket: Socket, message: RunMessage): Promise<void> {
    if (socket.destroyed) return;
    const controller = new AbortController();
    socket.once("close", () => controller.abort(new RunError("the client went away")));
    let release: () => void;
    try {
      release = await slots.acquire(controller.signal);
    } catch {
      return; // gone while waiting: the program never runs
    }
    const sink = (fd: 1 | 2): Sink => ({
      write: (chunk) =>
        writeLine(socket, {
          type: "out",
          fd,
          data: Buffer.from(chunk).toString("base64"),
        } satisfies DaemonMessage),
    });
    let code: number;
    const stderr = sink(2);
    runningErr.add(stderr);
    try {
      const settings = await current();
      const limits = clampedLimitsFor(settings, message.limits);
      for (const line of loweredLimits(settings, message.limits)) {
        stderr.write(`mcp-codegen run: warning: ${line}\n`);
      }
      const prepared = await warm?.take();
      const outcome = await run({
        program: message.program,
        settings: async () => ({
          outDir: settings.outDir,
          access: programAccess(settings),
          limits,
          envAllowed: settings.run.env,
          tools,
        }),
        heapMbGuess: limits.memoryMb,
        env: message.env,
        cwd: message.cwd,
        stdout: sink(1),
        stderr,
        ...(prepared ? { prepared } : {}),
        signal: controller.signal,
      });
      code = outcome.exitCode;
    } catch (error) {
      stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      code = 1;
    } finally {
      runningErr.delete(stderr);
      release();
      warm?.fill();
    }
    writeLine(socket, { type: "exit", code } satisfies DaemonMessage);
  }

  const token = newToken();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    serveConnection(socket, {
      token,
      log: options.log,
      hello,
      status: () => ({
        type: "status",
        pid: process.pid,
        configFile,
        running: slots.running,
        queued: slots.queued,
      }),
      stop: () => void close(),
      run: serveRun,
    });
  });
  server.maxConnections = MAX_CONNECTIONS;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  // However this process ends (a signal ends the CLI at once: see cli/bin.ts), the socket
  // file goes with it, and the token (see publishToken).
  const removeSocket = () => rmSync(socketPath, { force: true });
  process.once("exit", removeSocket);
  let withdrawToken = () => {};
  try {
    // Written once the socket is ours: a daemon that lost the race for it leaves the winner's.
    withdrawToken = publishToken(tokenPath, token);
  } catch (error) {
    await close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      process.off("exit", removeSocket);
      withdrawToken();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await warm?.close();
      await runtime.closeConnections();
      stop();
    })();
    return closing;
  }
  return { socketPath, tokenPath, stopped, close };
}
