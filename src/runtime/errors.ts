/**
 * Errors a program calling tools can catch. The runtime is imported by generated files in
 * users' projects, so it depends on nothing of the generator but these classes.
 */
import { CodegenError } from "../errors.js";
import type { ContentItem } from "./content-result.js";

/** Something about a call went wrong on our side (no config, unknown server, bad result). */
export class RuntimeError extends CodegenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TOOL_CALL", message, options);
  }
}

/** The tool ran and reported an error (`isError: true`); its content says what went wrong. */
export class McpToolError extends CodegenError {
  readonly server: string;
  readonly tool: string;
  readonly content: readonly ContentItem[];
  constructor(server: string, tool: string, content: readonly ContentItem[]) {
    const text = content
      .flatMap((item) => (item.type === "text" ? [item.text] : []))
      .join("\n")
      .trim();
    const detail = text
      ? text.length > 500
        ? `${text.slice(0, 500)}…`
        : text
      : "(no text in its result)";
    super("TOOL_CALL", `tool "${tool}" of server "${server}" returned an error: ${detail}`);
    this.server = server;
    this.tool = tool;
    this.content = content;
  }
}
