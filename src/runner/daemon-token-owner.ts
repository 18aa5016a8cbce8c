/**
 * The daemon's side of its token (daemon-token.ts): making it, publishing it beside the socket
 * for as long as the daemon lives, and checking what a client sends. Apart from the reading
 * side, which `run` loads on its way to the daemon: node:crypto costs it ~4 ms to load.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { readToken, TOKEN_BYTES, TOKEN_TEXT } from "./daemon-token.js";
import { RunError } from "./errors.js";

/** A new token, of TOKEN_BYTES random bytes. */
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

/** Whether `given` (anything a client sent) is `token`; compared in constant time. */
export function tokenMatches(token: Buffer, given: unknown): boolean {
  if (typeof given !== "string" || !TOKEN_TEXT.test(given)) return false;
  const bytes = Buffer.from(given, "hex");
  return bytes.length === token.length && timingSafeEqual(bytes, token);
}

/**
 * Writes the daemon's `token` to `file` for as long as this process lives: the function
 * returned removes it, and so does the process's exit however it comes (a signal ends the CLI
 * at once, see cli/signals.ts). Only a kill -9 leaves it, for the next daemon to replace.
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
