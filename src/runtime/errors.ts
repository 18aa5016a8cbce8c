/**
 * Errors a program calling tools can catch. The runtime is imported by generated files in
 * users' projects, so it depends on nothing of the generator but these classes.
 */
import { CodegenError } from "../errors.js";
import { stripUnsafeCharacters, toMessageText } from "../model/text.js";
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
    // The message reaches terminals and models: no escape codes. The content stays as sent.
    const text = stripUnsafeCharacters(
      content
        .flatMap((item) => (item.type === "text" ? [item.text] : []))
        .join("\n")
        .trim(),
    );
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

/**
 * The server answered a request with a JSON-RPC error instead of a result (MCP's "protocol
 * errors": an unknown tool, invalid arguments, a failure of the server itself). The connection
 * stays usable. The message carries the server's text without escape codes; `data` is as sent.
 */
export class McpProtocolError extends CodegenError {
  readonly server: string;
  /** The tool called; undefined for other requests. */
  readonly tool: string | undefined;
  /** The request, e.g. `tools/call`. */
  readonly method: string;
  /** The JSON-RPC error code, e.g. -32602 (invalid params). */
  readonly rpcCode: number;
  /** The error's `data`, when the server sent one. */
  readonly data: unknown;
  /**
   * @param what the request, e.g. `tool "search"` or `resources/read file:///x`
   * @param detail the server's message
   */
  constructor(
    server: string,
    what: string,
    request: { readonly method: string; readonly tool: string | undefined },
    error: { readonly code: number; readonly detail: string; readonly data: unknown },
  ) {
    super(
      "SERVER_ERROR",
      `${what} of server "${server}" failed with JSON-RPC error ${error.code}: ` +
        (toMessageText(error.detail) || "(no message)"),
    );
    this.server = server;
    this.tool = request.tool;
    this.method = request.method;
    this.rpcCode = error.code;
    this.data = error.data;
  }
}

/**
 * The server answered with a result MCP does not allow (a `content` that is not a list, an
 * unknown content type, data that is not base64…). Nothing of it is returned; the connection
 * stays usable.
 */
export class InvalidResultError extends CodegenError {
  readonly server: string;
  /** The tool called; undefined for other requests. */
  readonly tool: string | undefined;
  /** What is wrong with the result, e.g. `"content" is a string ("…"), not a list`. */
  readonly problem: string;
  /** @param what the request, e.g. `tool "search"` or `resources/read file:///x` */
  constructor(server: string, what: string, tool: string | undefined, problem: string) {
    const shown = toMessageText(problem);
    super(
      "INVALID_RESULT",
      `${what} of server "${server}" answered with a result MCP does not allow: ${shown}. ` +
        "The server is at fault (report it to its authors); the connection is still usable.",
    );
    this.server = server;
    this.tool = tool;
    this.problem = shown;
  }
}

/** Tool names by how a server's live tools differ from the manifest the stubs were generated with. */
export interface ToolDrift {
  /** Listed by the server, not in the manifest: no stub exists. */
  readonly added: readonly string[];
  /** In the manifest, no longer listed: their stubs call a tool that is gone. */
  readonly removed: readonly string[];
  /** Listed and in the manifest with a different definition (description, schemas, annotations). */
  readonly changed: readonly string[];
}

/**
 * The server's tools no longer match the generated stubs, and the config says `onDrift:
 * "error"`: every tool call to the server is refused until the stubs are regenerated.
 */
export class DriftError extends CodegenError implements ToolDrift {
  readonly server: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** The manifest compared against. */
  readonly manifest: string;
  constructor(server: string, drift: ToolDrift, manifest: string) {
    super(
      "DRIFT",
      `server "${server}" no longer matches the stubs generated from it (${describeDrift(drift)}; ` +
        `compared with ${manifest}). Its tool calls are refused because onDrift is "error" in the ` +
        "config: run `npx mcp-codegen generate` to update the stubs, and read what changed.",
    );
    this.server = server;
    this.added = drift.added;
    this.removed = drift.removed;
    this.changed = drift.changed;
    this.manifest = manifest;
  }
}

/** "changed: a, b; added: c; removed: d", each list cut after ten names. */
export function describeDrift(drift: ToolDrift): string {
  const parts: string[] = [];
  for (const [label, names] of [
    ["changed", drift.changed],
    ["added", drift.added],
    ["removed", drift.removed],
  ] as const) {
    if (names.length === 0) continue;
    const shown = names.slice(0, 10).join(", ");
    parts.push(`${label}: ${shown}${names.length > 10 ? ` and ${names.length - 10} more` : ""}`);
  }
  return parts.join("; ");
}

/** `validateOutput` is on and a tool's structured content does not match its `outputSchema`. */
export class OutputValidationError extends CodegenError {
  readonly server: string;
  readonly tool: string;
  /** Every problem found, e.g. `structuredContent/temperature must be number`. */
  readonly problems: readonly string[];
  /** The structured content as the tool returned it. */
  readonly structuredContent: unknown;
  constructor(
    server: string,
    tool: string,
    problems: readonly string[],
    structuredContent: unknown,
  ) {
    const shown = problems.slice(0, 3).join("; ");
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : "";
    super(
      "OUTPUT_INVALID",
      `tool "${tool}" of server "${server}" returned structured content that does not match its ` +
        `outputSchema: ${shown}${more}. The server broke its own contract; report it to the ` +
        "server's authors, or set validateOutput: false in the config to accept the result as it is.",
    );
    this.server = server;
    this.tool = tool;
    this.problems = problems;
    this.structuredContent = structuredContent;
  }
}

/** A result larger than the config's `maxResultBytes`; the connection stays usable. */
export class ResultTooLargeError extends CodegenError {
  readonly server: string;
  /** The tool called; undefined for a resource read or a prompt. */
  readonly tool: string | undefined;
  /** Size of the result in bytes of JSON (for stdio, of the whole message carrying it). */
  readonly bytes: number;
  /** The limit it exceeded. */
  readonly limit: number;
  /** @param what the request, e.g. `tool "search"` or `resources/read file:///big.log` */
  constructor(
    server: string,
    what: string,
    tool: string | undefined,
    bytes: number,
    limit: number,
  ) {
    super(
      "RESULT_TOO_LARGE",
      `${what} of server "${server}" returned ${bytes} bytes, more than the ${limit} bytes ` +
        "maxResultBytes allows. Ask for less (a page, a filter, a range), or raise maxResultBytes " +
        "in the config (up to 268435456).",
    );
    this.server = server;
    this.tool = tool;
    this.bytes = bytes;
    this.limit = limit;
  }
}
