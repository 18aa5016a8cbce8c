/**
 * `execute_code`: one program, run like `mcp-codegen run` does it (bundled by esbuild, which
 * strips TypeScript's types, then run in the sandbox with the config's limits) on the servers
 * serve keeps connected. What comes back is what the program printed, cut to the budget, and,
 * when it failed, why: its error output (the error with the tool's details) and its exit status.
 */
import type { ResolvedConfig } from "../config/types.js";
import { limitsFor } from "../runner/limits.js";
import { runKept, type KeptOpen } from "../runner/kept-open.js";
import type { ServedSkills } from "./skills.js";
import type { RunOutcome } from "../runner/run-sandboxed.js";
import type { ToolHost } from "../runner/tool-host.js";
import { CollectedOutput } from "./output.js";
import type { CallToolResult } from "./sdk.js";

/** One `execute_code` call, as serve hands it over. */
export interface ExecuteRequest {
  readonly code: string;
  /** The client's own workspace folder (see client.ts). */
  readonly workspace: string;
  /** What answers the program's tool calls for this client (its approvals go to it). */
  readonly tools: ToolHost;
  /** The client cancelled the call, or went away. */
  readonly signal: AbortSignal;
}

export interface Executor {
  readonly kept: KeptOpen;
  readonly config: ResolvedConfig;
  /** The environment the program's allowed variables (`run.env`) are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `skills/`, served over the skills extension too. */
  readonly skills: ServedSkills;
}

/** Why an exit status is what it is (the runner's codes). */
const EXIT_MEANING: Readonly<Record<number, string>> = {
  1: "the program failed",
  124: "stopped: over its time limit (run.timeout)",
  137: "stopped: over its memory limit (run.memory)",
};

/**
 * Runs `request.code` when a run slot is free; "busy, retry" when the queue is full. The program
 * runs at the top of the generated tree (`./servers/<server>/index.js` is its import), with
 * `workspace/` its client's own folder.
 */
export async function executeCode(
  executor: Executor,
  request: ExecuteRequest,
): Promise<CallToolResult> {
  const { kept, config } = executor;
  if (kept.slots.queued >= config.serve.maxQueue && kept.slots.running >= config.serve.maxRuns) {
    return busy(config);
  }
  const budget = config.serve.maxOutputBytes;
  const stdout = new CollectedOutput("output", budget);
  const stderr = new CollectedOutput("error output", budget);
  const outcome = await runKept(kept, {
    program: { code: request.code, resolveDir: config.outDir, name: "execute_code.ts" },
    settings: config,
    limits: limitsFor(config, {}),
    env: executor.env,
    cwd: config.outDir,
    stdout: stdout.sink,
    stderr: stderr.sink,
    signal: request.signal,
    workspace: request.workspace,
    tools: request.tools,
  });
  if (outcome === undefined) {
    return errorResult("the call was cancelled before the program started; nothing ran.");
  }
  return resultOf(outcome, stdout.text(), stderr.text());
}

/** The program's output as the model reads it: stdout first, then what went wrong, if anything. */
function resultOf(outcome: RunOutcome, stdout: string, stderr: string): CallToolResult {
  const content: CallToolResult["content"] = [];
  if (stdout !== "" || (stderr === "" && outcome.exitCode === 0)) {
    content.push({ type: "text", text: stdout });
  }
  if (stderr !== "") content.push({ type: "text", text: `[stderr]\n${stderr}` });
  if (outcome.exitCode !== 0) {
    content.push({
      type: "text",
      text: `[exit ${outcome.exitCode}: ${EXIT_MEANING[outcome.exitCode] ?? "failed"}]`,
    });
  }
  return { content, ...(outcome.exitCode !== 0 ? { isError: true } : {}) };
}

function busy(config: ResolvedConfig): CallToolResult {
  return errorResult(
    `busy, retry: ${config.serve.maxRuns} programs are running and ${config.serve.maxQueue} more are waiting (serve.maxRuns, serve.maxQueue). Nothing ran; call execute_code again in a moment.`,
  );
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}
