/**
 * Loaded before the CLI itself when the command is `run`: starts the program's sandboxed Node
 * at once, so that it boots (~100 ms) while this process loads the CLI, the config and
 * esbuild, instead of after. Reads the arguments by hand (commander is not loaded yet) and
 * stays out of the way whenever the run will not need a sandbox of its own.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { findConfigFile } from "../config/find.js";
import { DEFAULT_RUN_CONFIG } from "../config/types.js";
import { daemonSocketPath } from "../runner/daemon-socket.js";

const SKIP = new Set(["--unsafe", "--typecheck", "--help", "-h"]);

/** The heap cap to start the program's Node with, or undefined when no head start is wanted. */
function headStart(argv: readonly string[]): number | undefined {
  if (argv.some((arg) => SKIP.has(arg))) return undefined;
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    if (at >= 0) return argv[at + 1];
    return argv.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  // A daemon that is up runs the program in a sandbox it booted already.
  if (!argv.includes("--no-daemon")) {
    const config = value("--config");
    const file = config !== undefined ? path.resolve(config) : findConfigFile(process.cwd());
    const socket = file === undefined ? undefined : daemonSocketPath(file);
    if (socket !== undefined && existsSync(socket)) return undefined;
  }
  const memory = Number(value("--memory") ?? DEFAULT_RUN_CONFIG.memoryMb);
  if (!Number.isInteger(memory) || memory < 16) return undefined; // the CLI will say why
  return memory;
}

try {
  const heapMb = headStart(process.argv.slice(3));
  // Loaded only now: a run the daemon takes needs none of it.
  if (heapMb !== undefined) (await import("../runner/prepare.js")).prelaunch(heapMb);
} catch {
  // Only a head start: the run starts its sandbox itself if this could not.
}
