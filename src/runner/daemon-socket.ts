/**
 * Where the daemon of a config listens, and the line-delimited JSON both ends speak on it.
 * One socket per config file, in a folder only this user can enter.
 */
import * as path from "node:path";
import type { Socket } from "node:net";
import type { ResolvedConfig } from "../config/types.js";
import { shortHash } from "../model/hash.js";
import { privateTempDir } from "../private-temp.js";

/** The socket path for `config`'s daemon, or undefined without a private folder for it. */
export function daemonSocketPath(config: ResolvedConfig): string | undefined {
  const dir = privateTempDir();
  return dir === undefined
    ? undefined
    : path.join(dir, `${shortHash(config.file ?? config.root)}.sock`);
}

/**
 * What must match for a run to use a daemon: the servers as configured (commands, URLs, env
 * and headers, so a changed token is a changed config) and the runtime settings.
 */
export function configFingerprint(config: ResolvedConfig): string {
  return shortHash({ servers: config.servers, runtime: config.runtime, outDir: config.outDir });
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
