/**
 * Errors of `mcp-codegen run` itself (not of the program it runs): a program that does not
 * compile, a sandbox that cannot start, a misused option.
 */
import { CodegenError } from "../errors.js";

export class RunError extends CodegenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("RUN", message, options);
  }
}
