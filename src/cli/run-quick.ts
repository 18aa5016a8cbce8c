/**
 * The start of `run` (entry.ts), before anything else is loaded:
 * - with a daemon up for the config, the program goes to it at once and nothing else loads:
 *   the run is then little more than this process's own start-up;
 * - otherwise the program's sandboxed Node starts booting (~50 ms) while the runner, the
 *   config and esbuild load.
 * Whatever this is unsure of (a program on stdin or missing, a daemon that will not take the
 * run, `--typecheck`) is left to the run itself, which then does it all as if this had not run.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { findConfigFile } from "../config/find.js";
import { DEFAULT_RUN_CONFIG } from "../config/types.js";
import { daemonSocketPath } from "../runner/daemon-socket.js";
import type { DaemonExitCode } from "../runner/daemon-client.js";
import { programSource } from "./program-source.js";
import { givenLimits } from "./run-options.js";
import type { RunFlags } from "./run.js";

/**
 * The head start of a run whose flags are read: its exit code when a daemon ran it, else
 * undefined, with the program's sandboxed Node booting if the run will want one.
 */
export async function quickRun({
  file,
  flags,
}: {
  file: string | undefined;
  flags: RunFlags;
}): Promise<DaemonExitCode | undefined> {
  if (flags.typecheck || flags.unsafe) return undefined;
  try {
    const configFile =
      flags.config !== undefined ? path.resolve(flags.config) : findConfigFile(process.cwd());
    if (configFile === undefined) return undefined; // the run says where it looked
    const socket = flags.daemon === false ? undefined : daemonSocketPath(configFile);
    if (socket !== undefined && existsSync(socket)) {
      // Neither a file nor --eval, or both: the run reads stdin, or says to give one.
      if ((file === undefined) === (flags.eval === undefined)) return undefined;
      const code = await onDaemon(file, flags, configFile);
      if (code !== undefined) return code;
    }
    await startSandbox(flags.memory ?? DEFAULT_RUN_CONFIG.memoryMb);
  } catch {
    // Only a head start: the run does it all itself, and reports what went wrong.
  }
  return undefined;
}

/** The run on the config's daemon, for a program in a file or `--eval`. */
async function onDaemon(
  file: string | undefined,
  flags: RunFlags,
  configFile: string,
): Promise<DaemonExitCode | undefined> {
  // A missing file throws here: the run says so.
  const program = await programSource(file, flags.eval, { cwd: process.cwd() });
  const [{ runViaDaemon }, { forTerminal }] = await Promise.all([
    import("../runner/daemon-client.js"),
    import("../runner/terminal-text.js"),
  ]);
  return runViaDaemon({
    configFile,
    program,
    cwd: process.cwd(),
    limits: givenLimits(flags),
    env: process.env,
    stdout: forTerminal(process.stdout),
    stderr: forTerminal(process.stderr),
  });
}

/** Boots the program's sandboxed Node now, for the run the CLI is about to do (prepare.ts). */
async function startSandbox(heapMb: number): Promise<void> {
  (await import("../runner/prepare.js")).prelaunch(heapMb);
}
