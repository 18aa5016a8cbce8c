/**
 * Opening a file the gate allowed, race-free: the check is made on what was opened, not on the
 * name, so a path component swapped for a link between the check and the read does not help.
 * Non-blocking, so that a FIFO cannot hang the open; regular files only; a size cap.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  readlinkSync,
  realpathSync,
  statSync,
} from "node:fs";
import type { Stats } from "node:fs";
import type { Refusal } from "./file-gate.js";

export interface CheckedFile {
  /** The real path of the file that was read. */
  readonly realPath: string;
  readonly bytes: Buffer;
}

/**
 * Opens `file`, finds the real path of what was opened and asks `verdict` about it (with the
 * file's count of hard links); reads at most `maxBytes` (more is a refusal, whatever the size
 * said a moment before).
 */
export function openChecked(
  file: string,
  maxBytes: number,
  verdict: (realPath: string, hardLinks: number) => Refusal | undefined,
): CheckedFile | { readonly refused: Refusal } | { readonly missing: true } {
  let fd: number;
  try {
    // O_NOCTTY: a terminal device named by a swapped link must not become ours.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return { missing: true };
  }
  try {
    const stat = fstatSync(fd);
    const realPath = openedPath(fd, file, stat);
    if (realPath === undefined) return { refused: "outside" };
    const refused = verdict(realPath, stat.nlink);
    if (refused) return { refused };
    if (!stat.isFile()) return { refused: "not-regular" };
    if (stat.size > maxBytes) return { refused: "too-large" };
    const bytes = readAtMost(fd, maxBytes + 1);
    if (bytes.length > maxBytes) return { refused: "too-large" };
    return { realPath, bytes };
  } finally {
    closeSync(fd);
  }
}

/**
 * The real path of an open descriptor: Linux says it in /proc; elsewhere the name's real path,
 * trusted only if it is the very file that was opened (same device and inode).
 */
function openedPath(fd: number, file: string, opened: Stats): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    // No /proc: fall through.
  }
  try {
    const realPath = realpathSync.native(file);
    const named = statSync(realPath);
    return named.dev === opened.dev && named.ino === opened.ino ? realPath : undefined;
  } catch {
    return undefined;
  }
}

function readAtMost(fd: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, limit - total));
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
  }
  return Buffer.concat(chunks, total);
}
