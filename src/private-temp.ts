/**
 * A folder of this user's own under the system's temporary folder, for the daemon's socket and
 * small caches. One that another user made first (to plant files or catch a socket) is refused.
 */
import { lstatSync, mkdirSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function privateTempDir(): string | undefined {
  const uid = currentUid();
  const dir = path.join(os.tmpdir(), `mcp-codegen-${uid ?? "user"}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Not followed if it is a link: one planted by another user could point anywhere.
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * The bytes of `file` if it is a plain file (not a link) of this user's that nobody else may
 * read or write, else undefined: what the private folder holds (the daemon's token, compiled
 * code) is trusted only so.
 */
export function readPrivateFile(file: string): Buffer | undefined {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || (stat.mode & 0o077) !== 0) return undefined;
    const uid = currentUid();
    if (uid !== undefined && stat.uid !== uid) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** This process's user, where the platform has one (not on Windows). */
function currentUid(): number | undefined {
  return typeof process.getuid === "function" ? process.getuid() : undefined;
}

/**
 * 16 hex digits that name the private folder's file for `key` (a config's path, a Node binary):
 * FNV-1a over two 32-bit lanes. Not SHA-256: node:crypto takes ~4 ms to load, a tenth of a
 * `run` with the daemon up, and these are names, not proofs (a file found under a colliding
 * name says whose it is: a daemon answers with its config's path).
 */
export function privateFileKey(key: string): string {
  let low = 0x811c9dc5;
  let high = 0xcbf29ce4;
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    low = Math.imul(low ^ unit, 0x01000193);
    high = Math.imul(high ^ unit ^ (low >>> 16), 0x01000193);
  }
  const hex = (lane: number) => (lane >>> 0).toString(16).padStart(8, "0");
  return hex(high) + hex(low);
}
