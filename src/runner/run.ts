/**
 * `mcp-codegen run`: one program (a file, `--eval` code or stdin), type-checked if asked, run
 * in the sandbox with the config's servers behind the host; or, with `unsafe`, run in this
 * process with tsx and no boundary at all.
 */
import { plural } from "../plural.js";
import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_RUN_CONFIG, type ResolvedConfig } from "../config/types.js";
import type { ProgramSource } from "./bundle.js";
import { RunClock } from "./clock.js";
import { exitCodeOf, RunLimitError } from "./errors.js";
import { OutputLimit, type Sink } from "./output-limit.js";
import { limitsFor, type RunLimits } from "./limits.js";
import { osSandbox, refusal } from "./os-sandbox.js";
import type { RunOutcome } from "./run-sandboxed.js";
import type { ToolHost } from "./tool-host.js";
import { importExternal } from "../import-external.js";

export interface RunRequest {
  readonly program: ProgramSource;
  /** Loads the config (once); the sandbox calls it after starting the program's Node. */
  readonly config: () => Promise<ResolvedConfig>;
  /** Limits given on the command line; the config's `run` settings fill in the rest. */
  readonly limits: Partial<RunLimits>;
  readonly typecheck: boolean;
  readonly unsafe: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Sink;
  readonly stderr: Sink;
  /** Answers the program's tool calls, from this process (loaded on the first call). */
  readonly tools: (config: ResolvedConfig) => ToolHost;
  /**
   * Hands the run to a daemon if one is up (after --typecheck, never with --unsafe): its exit
   * code, or undefined to run here.
   */
  readonly viaDaemon?: () => Promise<RunOutcome["exitCode"] | undefined>;
}

export async function runProgram(request: RunRequest): Promise<RunOutcome> {
  const sandbox = osSandbox();
  if (!request.unsafe && !sandbox.available) {
    request.stderr.write(`${refusal(sandbox.reason)}\n`);
    return { exitCode: 1 };
  }
  // The time limit counts from here: type-checking and bundling are part of the run.
  const clock = new RunClock(request.limits.timeoutMs ?? DEFAULT_RUN_CONFIG.timeoutMs);
  try {
    return await runChecked(request, clock);
  } finally {
    clock.stop();
  }
}

async function runChecked(request: RunRequest, clock: RunClock): Promise<RunOutcome> {
  if (request.typecheck) {
    const refused = await typecheckFirst(request, clock);
    if (refused) return refused;
  }
  if (request.unsafe) return runUnsafe(request, await request.config());
  const delegated = await request.viaDaemon?.();
  if (delegated !== undefined) return { exitCode: delegated };
  return runHere(request, clock);
}

/**
 * `--typecheck`: checks the program under the run's clock and memory. The outcome when the
 * program must not run (type errors, or a limit reached while checking), else undefined.
 */
async function typecheckFirst(
  request: RunRequest,
  clock: RunClock,
): Promise<RunOutcome | undefined> {
  const config = await request.config();
  const limits = limitsFor(config, request.limits);
  clock.setLimit(limits.timeoutMs);
  const { typecheckProgram } = await import("./typecheck.js");
  let checked;
  try {
    checked = await typecheckProgram({
      program:
        "file" in request.program
          ? { file: request.program.file }
          : { code: request.program.code, resolveDir: request.program.resolveDir },
      outDir: config.outDir,
      cwd: request.cwd,
      access: (await import("./access.js")).programAccess(config),
      signal: clock.signal,
      memoryMb: limits.memoryMb,
    });
  } catch (error) {
    const limit = error instanceof RunLimitError ? error : clock.signal.reason;
    if (!(limit instanceof RunLimitError)) throw error;
    request.stderr.write(`mcp-codegen run: ${limit.message} (while type-checking)\n`);
    return { exitCode: exitCodeOf(limit.limit) };
  }
  if (checked.errorCount === 0) return undefined;
  reportTypeErrors(request.stderr, checked, limits.maxOutputBytes);
  return { exitCode: 1 };
}

function reportTypeErrors(
  stderr: Sink,
  checked: { readonly text: string; readonly errorCount: number },
  maxOutputBytes: number,
): void {
  // The diagnostics quote the program: as long as it likes, so they count as its output.
  const diagnostics = new OutputLimit(stderr, maxOutputBytes);
  diagnostics.push(Buffer.from(checked.text.endsWith("\n") ? checked.text : `${checked.text}\n`));
  diagnostics.finish("type errors");
  stderr.write(
    `mcp-codegen run: ${plural(checked.errorCount, "type error")}; the program was not run.\n`,
  );
}

/** Runs the program in a sandbox of this process's own, its tool calls served from here. */
async function runHere(request: RunRequest, clock: RunClock): Promise<RunOutcome> {
  let tools: ToolHost | undefined;
  // Loaded only now: a run the daemon takes needs none of the bundler.
  const { programAccess } = await import("./access.js");
  const settings = () =>
    request.config().then((config) => {
      tools = request.tools(config);
      return {
        access: programAccess(config),
        limits: limitsFor(config, request.limits),
        envAllowed: config.run.env,
        tools,
      };
    });
  // Loaded only now: a run the daemon takes needs none of the sandbox's machinery here.
  const { runSandboxed } = await import("./run-sandboxed.js");
  try {
    return await runSandboxed({
      program: request.program,
      settings,
      heapMbGuess: request.limits.memoryMb ?? DEFAULT_RUN_CONFIG.memoryMb,
      clock,
      env: request.env,
      cwd: request.cwd,
      stdout: request.stdout,
      stderr: request.stderr,
      ownService: true,
    });
  } finally {
    await tools?.close();
  }
}

/**
 * `--unsafe`: the program runs in this process through tsx, with every privilege of the user
 * and no limit. For developing the runner or a program, never for code nobody has read.
 */
async function runUnsafe(request: RunRequest, config: ResolvedConfig): Promise<RunOutcome> {
  request.stderr.write(
    "mcp-codegen run: --unsafe: running the program in this process with tsx, with your privileges: no sandbox, no limits.\n",
  );
  if (config.servers.some((server) => server.privacy !== undefined)) {
    // The program holds the connections itself: there is no host between it and the data.
    request.stderr.write(
      "mcp-codegen run: --unsafe: privacy does not apply: the program sees the servers' results as they are.\n",
    );
  }
  const runtime = await import("../runtime/index.js");
  runtime.setRuntimeConfig(config);
  // Stubs resolved from elsewhere (another copy of mcp-codegen) find the same config.
  if (config.file) process.env.MCP_CODEGEN_CONFIG = config.file;
  const { tsImport } = await importExternal<typeof import("tsx/esm/api")>("tsx/esm/api");
  let file: string;
  let temporary = false;
  if ("file" in request.program) {
    file = request.program.file;
  } else {
    // tsx imports files; code from --eval or stdin goes to a temporary file beside where its
    // relative imports point, removed afterwards.
    file = path.join(request.program.resolveDir, `.mcp-codegen-eval-${randomUUID()}.ts`);
    await writeFile(file, request.program.code);
    temporary = true;
  }
  try {
    const program = (await tsImport(pathToFileURL(file).href, import.meta.url)) as {
      default?: unknown;
    };
    if (typeof program.default === "function") {
      const value: unknown = await (program.default as () => unknown)();
      if (value !== undefined) request.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    }
    return { exitCode: 0 };
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    request.stderr.write(`error: ${text}\n`);
    // tsx compiles a .ts file as CommonJS unless its package says "type": "module".
    if (text.includes('not supported with the "cjs" output format')) {
      request.stderr.write(
        'mcp-codegen run: tsx compiled the program as CommonJS, which has no top-level await: add "type": "module" to the nearest package.json, or name the file .mts (without --unsafe, programs always run as ES modules).\n',
      );
    }
    return { exitCode: 1 };
  } finally {
    if (temporary) await rm(file, { force: true });
    await runtime.closeConnections();
  }
}
