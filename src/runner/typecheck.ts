/**
 * `mcp-codegen run --typecheck`: type-check an agent's program against the generated stubs before
 * it runs, and return the compiler's own diagnostics. The check runs in a process of its own
 * (`typecheck-worker.ts`) under the run's limits: a type that keeps the checker busy is stopped
 * with the run's deadline, one that fills the heap at the run's memory limit; the files it reads
 * go through the program's file gate, like the bundler's.
 *
 * A process, not a worker thread: a worker's heap cap holds only for small allocations. A
 * program whose types grow one large table (a Map of 10^6 literal types) makes V8 fail an
 * allocation past the 16 MB of leeway Node gives a worker, and that failure aborts the whole
 * process, the runner's or the daemon's. A child process dies alone.
 */
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RunError, RunLimitError } from "./errors.js";
import type { ProgramAccess } from "./file-gate.js";
import type { CheckReply } from "./typecheck-worker.js";

export interface TypecheckInput {
  /** The program: a file on disk, or source text (from --eval / stdin) with the folder its relative imports resolve from. */
  readonly program:
    { readonly file: string } | { readonly code: string; readonly resolveDir: string };
  /** Absolute outDir: the folder holding servers/, skills/, workspace/. */
  readonly outDir: string;
  /** Folder that paths in messages are relative to (the user's working folder). */
  readonly cwd: string;
}

export interface TypecheckResult {
  readonly errorCount: number;
  /** Diagnostics in the compiler's own format (`task.ts(3,15): error TS2345: …`), one per line, "" when clean. */
  readonly text: string;
}

export interface TypecheckLimits {
  /** What the program may read (the same gate as the bundler's). */
  readonly access: ProgramAccess;
  /** The run's deadline: the check is stopped when it fires, rejecting with its reason. */
  readonly signal: AbortSignal;
  /** The checker's heap cap, MB: the run's memory limit. */
  readonly memoryMb: number;
}

/** The name a `{ code }` program gets in its folder, and so in messages (`[eval].ts(2,7): …`). */
export const EVAL_FILE_NAME = "[eval].ts";

/**
 * Type-check one program; errors in the program are the result. Rejects with the signal's
 * reason when it fires, and with a `RunLimitError("memory")` when the checker's heap is full.
 */
export async function typecheckProgram(
  input: TypecheckInput & TypecheckLimits,
): Promise<TypecheckResult> {
  const { signal, memoryMb } = input;
  signal.throwIfAborted();
  const checker = idle.get(memoryMb) ?? startChecker(memoryMb);
  idle.delete(memoryMb);
  hold(checker, true);
  let stderr = "";
  const onStderr = (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4096));
  return new Promise<TypecheckResult>((resolve, reject) => {
    const settle = (outcome: { result: TypecheckResult } | { error: unknown }) => {
      signal.removeEventListener("abort", onAbort);
      checker.off("message", onMessage).off("exit", onExit);
      checker.stderr?.off("data", onStderr);
      if ("result" in outcome) {
        keepIdle(checker, memoryMb);
        resolve(outcome.result);
      } else {
        checker.kill("SIGKILL");
        reject(outcome.error);
      }
    };
    const onAbort = () => settle({ error: signal.reason });
    const onMessage = (reply: CheckReply) =>
      settle("result" in reply ? { result: reply.result } : { error: new Error(reply.bug) });
    const onExit = (code: number | null, signalName: string | null) =>
      settle({
        error: /heap out of memory|Reached heap limit/i.test(stderr)
          ? new RunLimitError(
              "memory",
              `type-checking ran out of memory, its limit being ${memoryMb} MB (--memory <MB>, or run.memory in the config).`,
            )
          : new RunError(
              `the type-checker stopped unexpectedly (${signalName ?? `exit code ${code}`}): ${stderr.trim().slice(-500) || "it said nothing"}`,
            ),
      });
    signal.addEventListener("abort", onAbort, { once: true });
    checker.on("message", onMessage).on("exit", onExit);
    checker.stderr?.on("data", onStderr);
    const { program, outDir, cwd, access } = input;
    checker.send({ program, outDir, cwd, access });
  });
}

/**
 * One checker kept per heap cap between checks, holding the parsed libraries; it does not keep
 * this process alive, and ends with it (its channel closes).
 */
const idle = new Map<number, ChildProcess>();

function keepIdle(checker: ChildProcess, memoryMb: number): void {
  if (idle.has(memoryMb) || checker.exitCode !== null) {
    checker.kill("SIGKILL");
    return;
  }
  hold(checker, false);
  idle.set(memoryMb, checker);
  checker.once("exit", () => {
    if (idle.get(memoryMb) === checker) idle.delete(memoryMb);
  });
}

/** Whether `checker` keeps this process alive. */
function hold(checker: ChildProcess, held: boolean): void {
  const handles = [checker, checker.channel, checker.stderr] as (
    { ref?: () => void; unref?: () => void } | null | undefined
  )[];
  for (const handle of handles) (held ? handle?.ref : handle?.unref)?.call(handle);
}

/**
 * The checker: compiled JavaScript when built; under vitest or tsx, TypeScript that tsx's
 * loader runs. It gets no environment: it runs no code of the program, and needs none.
 */
function startChecker(memoryMb: number): ChildProcess {
  const js = fileURLToPath(new URL("./typecheck-worker.js", import.meta.url));
  const built = existsSync(js);
  const checker = fork(built ? js : js.replace(/\.js$/, ".ts"), [], {
    execArgv: [
      ...(built ? [] : ["--import", import.meta.resolve("tsx")]),
      `--max-old-space-size=${memoryMb}`,
    ],
    env: {},
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  // A checker that could not start reports through "exit"; this only keeps it from throwing.
  return checker.on("error", () => {});
}
