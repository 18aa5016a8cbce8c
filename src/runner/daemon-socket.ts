/**
 * Where the daemon of a config listens, and the line-delimited JSON both ends speak on it.
 * One socket per config file, in a folder only this user can enter.
 */
import { rmSync, statSync } from "node:fs";
import * as path from "node:path";
import { connect, type Socket } from "node:net";
import { privateFileKey, privateTempDir } from "../private-temp.js";
import { RunError } from "./errors.js";

/** The longest line either end takes: a program's source, base64 output, with room to spare. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * `<private folder>/<hash of the config path>.<suffix>`: the daemon's files, one set per config
 * file, so that a run finds the daemon of its own config and no other project's.
 */
export function daemonFilePath(configFile: string, suffix: string): string | undefined {
  const dir = privateTempDir();
  return dir === undefined ? undefined : path.join(dir, `${privateFileKey(configFile)}.${suffix}`);
}

/** The socket path for the daemon of `configFile`, or undefined without a private folder. */
export function daemonSocketPath(configFile: string): string | undefined {
  return daemonFilePath(configFile, "sock");
}

/** Changes when the config file does: the daemon reloads its config when a run brings another. */
export function configStamp(configFile: string): string {
  const stat = statSync(configFile, { throwIfNoEntry: false });
  return stat ? `${stat.mtimeMs}:${stat.size}` : "missing";
}

/** Why `readLines` closed a socket. */
type BadLine = "too long" | "not JSON";

export interface LineOptions {
  /**
   * The longest line taken, in bytes; asked as each line grows, so it may change between
   * lines (the daemon takes more once a client has proved itself). Default `MAX_LINE_BYTES`.
   */
  readonly maxLineBytes?: () => number;
  /** Told once, after a bad line made `readLines` destroy the socket. */
  readonly onBadLine?: (problem: BadLine) => void;
}

/**
 * Calls `onMessage` with each JSON line arriving on `socket`. A line that is not JSON, or that
 * grows past the longest allowed (newline or not), destroys the socket: what is buffered stays
 * bounded whatever the other end sends, and each chunk is scanned once.
 */
export function readLines(
  socket: Socket,
  onMessage: (message: unknown) => void,
  options: LineOptions = {},
): void {
  const maxLineBytes = options.maxLineBytes ?? (() => MAX_LINE_BYTES);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const fail = (problem: BadLine) => {
    pending = [];
    socket.destroy();
    options.onBadLine?.(problem);
  };
  socket.on("data", (chunk: Buffer | string) => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (!socket.destroyed) {
      // A newline byte never occurs inside a UTF-8 sequence: cutting bytes there is safe.
      const newline = bytes.indexOf(0x0a, start);
      const end = newline < 0 ? bytes.length : newline;
      pendingBytes += end - start;
      if (pendingBytes > maxLineBytes()) return fail("too long");
      if (newline < 0) {
        if (end > start) pending.push(bytes.subarray(start));
        return;
      }
      const line = Buffer.concat([...pending, bytes.subarray(start, newline)]).toString("utf8");
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      if (line.trim() === "") continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        return fail("not JSON");
      }
      onMessage(message);
    }
  });
}

/** Writes `message` as one line; `then` runs once it has been handed to the system. */
export function writeLine(socket: Socket, message: unknown, then?: () => void): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`, then && (() => then()));
  else then?.();
}

/** Connects to the daemon's socket; undefined when nothing listens there within `timeoutMs`. */
function connectSocket(socketPath: string, timeoutMs: number): Promise<Socket | undefined> {
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
 * Sends `message` to the daemon on a connection of its own and resolves with its first reply;
 * undefined when none comes within `timeoutMs` (nothing listens, or the daemon closed the
 * connection on a message without its token).
 */
export async function ask(
  socketPath: string,
  message: unknown,
  timeoutMs = 2000,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  const socket = await connectSocket(socketPath, timeoutMs);
  if (!socket) return undefined;
  return new Promise((resolve) => {
    let settled = false;
    const done = (reply: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), Math.max(0, deadline - Date.now()));
    socket.once("error", () => done(undefined));
    socket.once("close", () => done(undefined));
    readLines(socket, (reply) => done(reply));
    writeLine(socket, message);
  });
}

/**
 * Readies `socketPath` for a new daemon of `configFile`: refused if a daemon listens there
 * (found by connecting, which needs no token), else a socket file left by a killed one goes.
 */
export async function claimSocketPath(socketPath: string, configFile: string): Promise<void> {
  const listening = await connectSocket(socketPath, 300);
  if (listening) {
    listening.destroy();
    throw new RunError(
      `a daemon for ${configFile} is already running (${socketPath}); stop it with \`mcp-codegen daemon --stop\``,
    );
  }
  rmSync(socketPath, { force: true });
}
