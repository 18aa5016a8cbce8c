/**
 * `run`'s side of the daemon: when a daemon for the same config is up, the program's requests
 * go to it over its socket (warm connections) instead of servers started for this run.
 */
import { existsSync } from "node:fs";
import { connect, type Socket } from "node:net";
import type { ResolvedConfig } from "../config/types.js";
import { configFingerprint, daemonSocketPath, readLines, writeLine } from "./daemon-socket.js";
import {
  errorFromWire,
  type HostMessage,
  type RequestMessage,
  type WireValue,
} from "./protocol.js";
import type { ToolHost } from "./tool-host.js";

const CONNECT_TIMEOUT_MS = 300;

/**
 * A ToolHost backed by the config's daemon, or undefined when none is up (or it serves a
 * different version of the config: then `onStale` says so, and the run starts its own servers).
 */
export async function daemonToolHost(
  config: ResolvedConfig,
  onStale: (message: string) => void = () => {},
): Promise<ToolHost | undefined> {
  const socketPath = daemonSocketPath(config);
  if (socketPath === undefined || !existsSync(socketPath)) return undefined;
  const socket = await open(socketPath);
  if (!socket) return undefined;

  const pending = new Map<
    number,
    {
      resolve: (value: WireValue) => void;
      reject: (error: unknown) => void;
      onProgress?:
        ((p: { progress: number; total?: number; message?: string }) => void) | undefined;
    }
  >();
  let hello: (fingerprint: unknown) => void;
  const greeted = new Promise<unknown>((resolve) => (hello = resolve));
  readLines(socket, (raw) => {
    const message = raw as HostMessage | { type: "hello"; fingerprint: unknown };
    if (message.type === "hello") return hello(message.fingerprint);
    const waiting = pending.get(message.id);
    if (!waiting) return;
    if (message.type === "progress") return waiting.onProgress?.(message.progress);
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(errorFromWire(message.error, new Map()));
  });
  socket.on("close", () => {
    for (const waiting of pending.values())
      waiting.reject(new Error("the mcp-codegen daemon went away during the call"));
    pending.clear();
    hello(undefined);
  });
  writeLine(socket, { type: "hello" });
  const fingerprint = await withTimeout(greeted, CONNECT_TIMEOUT_MS);
  if (fingerprint !== configFingerprint(config)) {
    socket.destroy();
    if (fingerprint !== undefined) {
      onStale(
        "mcp-codegen run: the running daemon was started with a different config; starting servers for this run instead (restart the daemon to pick up the change).\n",
      );
    }
    return undefined;
  }
  return {
    handle(request: RequestMessage, signal, onProgress) {
      return new Promise<WireValue>((resolve, reject) => {
        const onAbort = () => {
          if (!pending.delete(request.id)) return;
          writeLine(socket, { type: "cancel", id: request.id });
          reject(signal.reason);
        };
        pending.set(request.id, {
          resolve: (value) => {
            signal.removeEventListener("abort", onAbort);
            resolve(value);
          },
          reject: (error) => {
            signal.removeEventListener("abort", onAbort);
            reject(error);
          },
          onProgress,
        });
        signal.addEventListener("abort", onAbort, { once: true });
        writeLine(socket, { ...request, ...(onProgress ? { progress: true } : {}) });
      });
    },
    async close() {
      socket.end();
    },
  };
}

function open(socketPath: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, CONNECT_TIMEOUT_MS);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("error", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
