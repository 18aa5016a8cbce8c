/** `mcp-codegen run`: runs an agent's program in the sandbox (see src/runner). */
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { ResolvedConfig } from "../config/types.js";
import type { ProgramSource } from "../runner/bundle.js";
import { RunError } from "../runner/errors.js";
import { forTerminal } from "../runner/terminal-text.js";
import { configFileFor } from "./config-file.js";
import type { CommandContext } from "./context.js";

export interface RunFlags {
  readonly config?: string;
  readonly eval?: string;
  readonly timeout?: string;
  readonly memory?: string;
  readonly maxOutput?: string;
  readonly maxWorkspace?: string;
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
  const limits = {
    timeoutMs: wholeNumber(flags.timeout, "--timeout", 1),
    memoryMb: wholeNumber(flags.memory, "--memory", 16),
    maxOutputBytes: wholeNumber(flags.maxOutput, "--max-output", 1024),
    maxWorkspaceMb: wholeNumber(flags.maxWorkspace, "--max-workspace", 1),
  };
  const given = {
    ...(limits.timeoutMs !== undefined ? { timeoutMs: limits.timeoutMs } : {}),
    ...(limits.memoryMb !== undefined ? { memoryMb: limits.memoryMb } : {}),
    ...(limits.maxOutputBytes !== undefined ? { maxOutputBytes: limits.maxOutputBytes } : {}),
    ...(limits.maxWorkspaceMb !== undefined ? { maxWorkspaceMb: limits.maxWorkspaceMb } : {}),
  };
  // A program's output reaches the user's terminal only as text: no sequence of its own
  // (clipboard, title, cursor) but plain colour.
  const stdout = forTerminal(ctx.stdout);
  const stderr = forTerminal(ctx.stderr);
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

async function programSource(
  file: string | undefined,
  code: string | undefined,
  ctx: CommandContext,
): Promise<ProgramSource> {
  if (file !== undefined) {
    const absolute = path.resolve(ctx.cwd, file);
    if (!existsSync(absolute)) throw new RunError(`the program ${absolute} does not exist`);
    return { file: absolute };
  }
  if (code !== undefined) return { code, resolveDir: ctx.cwd, name: "[eval].ts" };
  const stdin = ctx.stdin?.();
  if (!stdin || stdin.isTTY) {
    throw new RunError(
      "no program: give a file (`mcp-codegen run task.ts`), --eval <code>, or pipe code on stdin",
    );
  }
  const { readStdin } = await import("../runner/read-stdin.js");
  return { code: await readStdin(stdin), resolveDir: ctx.cwd, name: "[stdin].ts" };
}

function wholeNumber(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new RunError(`${flag} must be a whole number of at least ${min} (got "${value}")`);
  }
  return n;
}
