/**
 * A folder of this user's own under the system's temporary folder, for the daemon's socket and
 * small caches. One that another user made first (to plant files or catch a socket) is refused.
 */
import { lstatSync, mkdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function privateTempDir(): string | undefined {
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
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
