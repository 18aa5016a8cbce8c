/**
 * `mcp-codegen daemon`: keeps the config's servers connected between runs. Spawning a server
 * costs 100–450 ms; a call on an open connection well under 1 ms. `run` finds the daemon by
 * its socket and sends it the program's requests; each run is one socket connection.
 */
import { existsSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type Server, type Socket } from "node:net";
import type { ResolvedConfig } from "../config/types.js";
import { errorToWire, parseProgramMessage, type HostMessage } from "./protocol.js";
import { configFingerprint, daemonSocketPath, readLines, writeLine } from "./daemon-socket.js";
import { RunError } from "./errors.js";
import { runRequest } from "./tool-host.js";

export interface Daemon {
  readonly socketPath: string;
  /** Resolves when the daemon has stopped (a `stop` request, or `close()`). */
  readonly stopped: Promise<void>;
  close(): Promise<void>;
}

export interface DaemonOptions {
  /** Lines for the operator (connections opened, failures). */
  readonly log: (line: string) => void;
}

export async function startDaemon(config: ResolvedConfig, options: DaemonOptions): Promise<Daemon> {
  const socketPath = daemonSocketPath(config);
  if (socketPath === undefined) {
    throw new RunError(
      `no private folder for the daemon's socket under ${tmpdir()} (it must belong to you and be closed to others); set TMPDIR to one`,
    );
  }
  if (existsSync(socketPath)) {
    if (await answers(socketPath)) {
      throw new RunError(
        `a daemon for ${config.file ?? config.root} is already running (${socketPath}); stop it with \`mcp-codegen daemon --stop\``,
      );
    }
    unlinkSync(socketPath); // left by a daemon that was killed
  }
  const runtime = await import("../runtime/index.js");
  runtime.setRuntimeConfig(config);
  const fingerprint = configFingerprint(config);

  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serveRun(socket);
  });

  function serveRun(socket: Socket): void {
    const inFlight = new Map<number, AbortController>();
    socket.on("close", () => {
      for (const controller of inFlight.values()) controller.abort(new RunError("the run ended"));
    });
    socket.on("error", () => {});
    readLines(socket, (raw) => {
      const kind = (raw as { type?: unknown } | null)?.type;
      if (kind === "hello")
        return writeLine(socket, { type: "hello", fingerprint, pid: process.pid });
      if (kind === "stop") {
        writeLine(socket, { type: "stopping" });
        void close();
        return;
      }
      const message = parseProgramMessage(raw);
      if (typeof message === "string") return socket.destroy();
      if (message.type === "cancel") {
        inFlight.get(message.id)?.abort(new RunError("the program cancelled the call"));
        return;
      }
      const controller = new AbortController();
      inFlight.set(message.id, controller);
      const reply = (m: HostMessage) => writeLine(socket, m);
      const onProgress = message.progress
        ? (progress: { progress: number; total?: number; message?: string }) =>
            reply({ type: "progress", id: message.id, progress })
        : undefined;
      runRequest(runtime, message, controller.signal, onProgress)
        .then(
          (value) => reply({ type: "result", id: message.id, ok: true, value }),
          (error: unknown) =>
            reply({ type: "result", id: message.id, ok: false, error: errorToWire(error) }),
        )
        .finally(() => inFlight.delete(message.id));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });

  // Warm every server now, so that the first run does not wait for them to start.
  const { openConnection } = await import("../runtime/request.js");
  for (const { name } of config.servers.filter((s) => !s.disabled)) {
    openConnection(name).then(
      () => options.log(`server "${name}": connected`),
      (error: unknown) =>
        options.log(`server "${name}": ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await runtime.closeConnections();
      stop();
    })();
    return closing;
  }
  return { socketPath, stopped, close };
}

/** True when something answers a hello on `socketPath` within a moment. */
export async function answers(socketPath: string, timeoutMs = 500): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once("error", () => done(false));
    socket.once("connect", () => writeLine(socket, { type: "hello" }));
    readLines(socket, () => done(true));
  });
}
