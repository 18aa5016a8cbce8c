/** `mcp-codegen run`: runs an agent's program in the sandbox (see src/runner). */
import type { ResolvedConfig } from "../config/types.js";
import { RunError } from "../runner/errors.js";
import { forTerminal } from "../runner/terminal-text.js";
import { heldWhileAsking } from "../runtime/terminal-approver.js";
import { configFileFor } from "./config-file.js";
import { programSource } from "./program-source.js";
import { givenLimits } from "./run-options.js";
import type { CommandContext } from "./context.js";

export interface RunFlags {
  readonly config?: string;
  readonly eval?: string;
  /** The limits, checked against the config's bounds when the flags were read (run-options.ts). */
  readonly timeout?: number;
  readonly memory?: number;
  readonly maxOutput?: number;
  readonly maxWorkspace?: number;
  readonly typecheck?: boolean;
  readonly unsafe?: boolean;
  readonly daemon?: boolean;
}

export async function runRun(
  file: string | undefined,
  flags: RunFlags,
  ctx: CommandContext,
): Promise<number> {
  if (file !== undefined && flags.eval !== undefined) {
    throw new RunError("give either a file or --eval <code>, not both");
  }
  const given = givenLimits(flags);
  // A program's output reaches the user's terminal only as text: no sequence of its own
  // (clipboard, title, cursor) but plain colour; and none while a question waits for an answer.
  const stdout = heldWhileAsking(forTerminal(ctx.stdout));
  const stderr = heldWhileAsking(forTerminal(ctx.stderr));
  let loading: Promise<ResolvedConfig> | undefined;
  let found: string | undefined;
  const configFile = () => (found ??= configFileFor(flags.config, ctx.cwd));
  const config = () => (loading ??= runConfig(configFile(), ctx));
  const program = await programSource(file, flags.eval, ctx);
  const runDaemon = async () => {
    if (flags.daemon === false) return undefined;
    const { runViaDaemon } = await import("../runner/daemon-client.js");
    return runViaDaemon({
      configFile: configFile(),
      program,
      cwd: ctx.cwd,
      limits: given,
      env: ctx.env,
      stdout,
      stderr,
    });
  };
  const { runProgram } = await import("../runner/run.js");
  const { localToolHost } = await import("../runner/tool-host.js");
  const outcome = await runProgram({
    program,
    config,
    limits: given,
    typecheck: flags.typecheck ?? false,
    unsafe: flags.unsafe ?? false,
    cwd: ctx.cwd,
    env: ctx.env,
    stdout,
    stderr,
    tools: (resolved) => localToolHost(resolved),
    viaDaemon: runDaemon,
  });
  return outcome.exitCode;
}

async function runConfig(file: string, ctx: CommandContext): Promise<ResolvedConfig> {
  // Loaded here, not at the top: the sandbox starts while the config loads.
  const { loadConfig } = await import("../config/load.js");
  return loadConfig({ configFile: file, cwd: ctx.cwd, env: ctx.env });
}
