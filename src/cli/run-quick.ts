/**
 * Loaded by the entry script before the CLI when the command is `run`, so that the run starts
 * sooner:
 * - with a daemon up for the config, the program goes to it at once and the CLI never loads:
 *   the run is then little more than this process's own start-up;
 * - otherwise the program's sandboxed Node starts booting (~60 ms) while the CLI, the config
 *   and esbuild load.
 * The arguments are read without commander (run-options.ts). Whatever this is unsure of (help,
 * a usage error, a program on stdin or missing, a daemon that will not take the run) is left
 * to the CLI, which then does it all as if this had not run.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { findConfigFile } from "../config/find.js";
import { DEFAULT_RUN_CONFIG } from "../config/types.js";
import { daemonSocketPath } from "../runner/daemon-socket.js";
import type { DaemonExitCode } from "../runner/daemon-client.js";
import { fastRunFlags, givenLimits } from "./run-options.js";
import type { RunFlags } from "./run.js";

/** Runs `argv` (`run …`) on a daemon and resolves with its exit code, or undefined if not. */
export async function quickRun(argv: readonly string[]): Promise<DaemonExitCode | undefined> {
  try {
    const parsed = fastRunFlags(argv);
    if (parsed === undefined || parsed.flags.typecheck || parsed.flags.unsafe) return undefined;
    const { file, flags } = parsed;
    const configFile =
      flags.config !== undefined ? path.resolve(flags.config) : findConfigFile(process.cwd());
    if (configFile === undefined) return undefined; // the CLI says where it looked
    const socket = flags.daemon === false ? undefined : daemonSocketPath(configFile);
    if (socket !== undefined && existsSync(socket)) {
      // Neither a file nor --eval, or both: the CLI reads stdin, or says to give one.
      if ((file === undefined) === (flags.eval === undefined)) return undefined;
      const code = await onDaemon(file, flags, configFile);
      if (code !== undefined) return code;
    }
    await startSandbox(flags.memory ?? DEFAULT_RUN_CONFIG.memoryMb);
    return undefined;
  } catch {
    return undefined; // only a head start: the CLI does the run, and reports what went wrong
  }
}

/** The run on the config's daemon, for a program in a file or `--eval`. */
async function onDaemon(
  file: string | undefined,
  flags: RunFlags,
  configFile: string,
): Promise<DaemonExitCode | undefined> {
  if (file !== undefined && !existsSync(path.resolve(file))) return undefined;
  const [{ runViaDaemon }, { forTerminal }] = await Promise.all([
    import("../runner/daemon-client.js"),
    import("../runner/terminal-text.js"),
  ]);
  return runViaDaemon({
    configFile,
    program:
      file !== undefined
        ? { file: path.resolve(file) }
        : { code: flags.eval!, resolveDir: process.cwd(), name: "[eval].ts" },
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
