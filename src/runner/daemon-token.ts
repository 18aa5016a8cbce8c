/**
 * The daemon's token: 32 random bytes it writes at start to a file only this user can read,
 * beside its socket. A client proves it may use the daemon by sending them with its first
 * message. Reaching the socket is not enough: a program that finds it (a sandbox that leaks,
 * another user's process on a shared folder) but cannot read the file gets nothing.
 * This is the reading side, the client's; the daemon's is daemon-token-owner.ts.
 */
import { readPrivateFile } from "../private-temp.js";
import { daemonFilePath } from "./daemon-socket.js";

export const TOKEN_BYTES = 32;
/** The token as the file holds it and a client sends it: its bytes in hex. */
export const TOKEN_TEXT = /^[0-9a-f]{64}$/;

/** The token file of the daemon of `configFile`, or undefined without a private folder. */
export function daemonTokenPath(configFile: string): string | undefined {
  return daemonFilePath(configFile, "token");
}

/**
 * The token in `file` as the client sends it, or undefined when there is none to trust: no
 * file, not a plain file of this user's closed to others, or not a token.
 */
export function readToken(file: string): string | undefined {
  const text = readPrivateFile(file)?.toString("utf8");
  return text !== undefined && TOKEN_TEXT.test(text) ? text : undefined;
}
