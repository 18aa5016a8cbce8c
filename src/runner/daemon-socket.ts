/**
 * Where the daemon of a config listens, and the line-delimited JSON both ends speak on it.
 * One socket per config file, in a folder only this user can enter.
 */
import { statSync } from "node:fs";
import * as path from "node:path";
import { connect, type Socket } from "node:net";
import { shortHash } from "../model/hash.js";
import { privateTempDir } from "../private-temp.js";

/** The socket path for the daemon of `configFile`, or undefined without a private folder. */
export function daemonSocketPath(configFile: string): string | undefined {
  const dir = privateTempDir();
  return dir === undefined ? undefined : path.join(dir, `${shortHash(configFile)}.sock`);
}

/** Changes when the config file does: the daemon reloads its config when a run brings another. */
export function configStamp(configFile: string): string {
  const stat = statSync(configFile, { throwIfNoEntry: false });
  return stat ? `${stat.mtimeMs}:${stat.size}` : "missing";
}

/** Calls `onMessage` with each JSON line arriving on `socket`; a line that is not JSON ends it. */
export function readLines(socket: Socket, onMessage: (message: unknown) => void): void {
  let buffered = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() === "") continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        socket.destroy();
        return;
      }
      onMessage(message);
    }
  });
}

export function writeLine(socket: Socket, message: unknown): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}

/** Connects to the daemon's socket; undefined when nothing listens there within `timeoutMs`. */
export function connectSocket(socketPath: string, timeoutMs: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, timeoutMs);
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

/**
 * Sends `message` to the daemon on a connection of its own; true when it replies within
 * `timeoutMs` (a hello: it is up; a stop: it is stopping).
 */
export async function replied(
  socketPath: string,
  message: unknown,
  timeoutMs = 2000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const socket = await connectSocket(socketPath, timeoutMs);
  if (!socket) return false;
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), Math.max(0, deadline - Date.now()));
    socket.once("error", () => done(false));
    socket.once("close", () => done(false));
    readLines(socket, () => done(true));
    writeLine(socket, message);
  });
}
