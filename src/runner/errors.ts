/**
 * Errors of `mcp-codegen run` itself (not of the program it runs): a program that does not
 * compile, a sandbox that cannot start, a misused option, a limit the run passed.
 */
import { CodegenError } from "../errors.js";

export class RunError extends CodegenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("RUN", message, options);
  }
}

/** Which of a run's limits stopped it. */
export type RunLimitKind = "time" | "memory" | "disk";

/** The exit code of a run a limit stopped: 124 time (as `timeout` says), 137 memory, 1 disk. */
export function exitCodeOf(limit: RunLimitKind): 124 | 137 | 1 {
  return limit === "time" ? 124 : limit === "memory" ? 137 : 1;
}

/**
 * A run passed one of its limits (while bundling, type-checking or running): `message` says
 * which, by how much, and the flag or config setting that sets it.
 */
export class RunLimitError extends RunError {
  readonly limit: RunLimitKind;
  constructor(limit: RunLimitKind, message: string) {
    super(message);
    this.limit = limit;
  }
}

/** The OS sandbox cannot be made here; `message` says why (the run refuses, in one line). */
export class SandboxUnavailableError extends RunError {}
