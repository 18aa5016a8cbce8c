/**
 * The daemon's token: 32 random bytes it writes at start to a file only this user can read,
 * beside its socket. A client proves it may use the daemon by sending them with its first
 * message. Reaching the socket is not enough: a program that finds it (a sandbox that leaks,
 * another user's process on a shared folder) but cannot read the file gets nothing.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  closeSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { daemonFilePath } from "./daemon-socket.js";
import { RunError } from "./errors.js";

const TOKEN_BYTES = 32;
const TOKEN_TEXT = /^[0-9a-f]{64}$/;

/** The token file of the daemon of `configFile`, or undefined without a private folder. */
export function daemonTokenPath(configFile: string): string | undefined {
  return daemonFilePath(configFile, "token");
}

export function newToken(): Buffer {
  return randomBytes(TOKEN_BYTES);
}

/**
 * Writes `token` to `file` (mode 0600) in one step: a reader finds the old file or the whole
 * new one, never a part. A stale file, left by a daemon that was killed, is replaced.
 */
function writeToken(file: string, token: Buffer): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  // "wx": a file planted at the temporary name is never written through.
  const fd = openSync(temporary, "wx", 0o600);
  try {
    writeSync(fd, token.toString("hex"));
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * The token in `file` as the client sends it, or undefined when there is none to trust: no
 * file, not a plain file of this user's closed to others, or not a token.
 */
export function readToken(file: string): string | undefined {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || (stat.mode & 0o077) !== 0) return undefined;
    const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
    if (uid !== undefined && stat.uid !== uid) return undefined;
    const text = readFileSync(file, "utf8");
    return TOKEN_TEXT.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `given` (anything a client sent) is `token`; compared in constant time. */
export function tokenMatches(token: Buffer, given: unknown): boolean {
  if (typeof given !== "string" || !TOKEN_TEXT.test(given)) return false;
  const bytes = Buffer.from(given, "hex");
  return bytes.length === token.length && timingSafeEqual(bytes, token);
}

/**
 * Writes the daemon's `token` to `file` for as long as this process lives: the function
 * returned removes it, and so does the process's exit however it comes (a signal ends the CLI
 * at once, see cli/bin.ts). Only a kill -9 leaves it, for the next daemon to replace.
 */
export function publishToken(file: string, token: Buffer): () => void {
  try {
    writeToken(file, token);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RunError(
      `could not write the daemon's token to ${file} (${reason}); check that folder`,
    );
  }
  const remove = () => removeToken(file, token);
  process.once("exit", remove);
  return () => {
    process.off("exit", remove);
    remove();
  };
}

/** Removes `file` if it still holds `token` (a daemon started since owns it otherwise). */
function removeToken(file: string, token: Buffer): void {
  if (tokenMatches(token, readToken(file))) rmSync(file, { force: true });
}
