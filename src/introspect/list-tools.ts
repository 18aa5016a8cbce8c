import { z } from "zod";
import type { ResolvedServer } from "../config/types.js";
import { CodegenError, IntrospectionError } from "../errors.js";
import type { Warning } from "../log.js";
import {
  ErrorCode,
  McpError,
  redactText,
  resultTooLarge,
  type Connection,
} from "../connect/index.js";
import { plural } from "../plural.js";
import type { SkippedTool, ToolDefinition } from "./snapshot.js";
import { checkTool } from "./tool-definition.js";

/** What listing found: the usable tools in server order, the skipped ones, and warnings. */
export interface ToolList {
  readonly tools: ToolDefinition[];
  readonly skipped: SkippedTool[];
  /** Listing stopped early (a repeated cursor, the page cap); what was listed is kept. */
  readonly warnings: Warning[];
}

/** Listing stops after this many pages, with a warning: a server that pages forever is a bug. */
export const MAX_PAGES = 100;

// Only the envelope is checked here; each tool is checked on its own by checkTool, so that one
// bad tool does not cost the others (the SDK's ListToolsResultSchema rejects the whole page).
// The cursor is checked by hand below for the same reason.
const ToolsPage = z.looseObject({
  tools: z.array(z.unknown()),
  nextCursor: z.unknown().optional(),
});

/**
 * Lists every tool of a connected server, page by page, leniently: each tool is validated on its
 * own and an invalid one lands in `skipped` with a specific reason (and its position across
 * pages) instead of failing the list. A later tool with the name of an earlier one is skipped
 * too. A server without the tools capability has no tools: an empty list, not an error.
 * Each request uses the connection's per-request timeout. Throws a typed CodegenError.
 */
export async function listTools(
  connection: Connection,
  server: ResolvedServer,
  /**
   * `error`: a list that cannot be followed to its end fails the server (generation writes
   * nothing of a partial list: it would delete the stubs of the tools not reached).
   * `warn`: keep what was listed (the runtime, which only compares).
   */
  brokenPaging: "error" | "warn" = "error",
): Promise<ToolList> {
  const tools: ToolDefinition[] = [];
  const skipped: SkippedTool[] = [];
  const warnings: Warning[] = [];
  if (!connection.hasTools) return { tools, skipped, warnings };

  const firstIndex = new Map<string, number>();
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  let index = 0;
  for (let page = 1; ; page += 1) {
    const result = await fetchPage(connection, server, cursor, page);
    for (const raw of result.tools) {
      const checked = checkTool(raw);
      if (!checked.ok) {
        skipped.push({
          ...(checked.name !== undefined ? { name: checked.name } : {}),
          index,
          reason: checked.reason,
        });
      } else if (firstIndex.has(checked.tool.name)) {
        const first = firstIndex.get(checked.tool.name);
        skipped.push({
          name: checked.tool.name,
          index,
          reason: `duplicate name: the tool at index ${first} has it too`,
        });
      } else {
        firstIndex.set(checked.tool.name, index);
        tools.push(checked.tool);
        if (checked.truncated !== undefined) {
          warnings.push({
            server: server.name,
            tool: checked.tool.name,
            message: checked.truncated,
          });
        }
      }
      index += 1;
    }

    const next = result.nextCursor;
    if (next === undefined || next === null || next === "") break;
    const stop = (message: string) => {
      if (brokenPaging === "error") {
        throw new IntrospectionError(
          server.name,
          `${message}, after page ${page} (${plural(index, "tool")}): the list has no end that can be reached, so nothing of this server was written. Fix the server's paging, or give --partial to write the other servers.`,
        );
      }
      warnings.push({
        server: server.name,
        message: `${message}; stopped listing after page ${page} and kept the ${plural(index, "tool")} listed so far`,
      });
    };
    if (typeof next !== "string") {
      stop(`tools/list returned a nextCursor that is not a string`);
      break;
    }
    if (seenCursors.has(next)) {
      stop(`tools/list returned the cursor of an earlier page again (a server bug)`);
      break;
    }
    if (page >= MAX_PAGES) {
      stop(`tools/list still had more pages after ${MAX_PAGES}`);
      break;
    }
    seenCursors.add(next);
    cursor = next;
  }
  return { tools, skipped, warnings };
}

async function fetchPage(
  connection: Connection,
  server: ResolvedServer,
  cursor: string | undefined,
  page: number,
): Promise<z.infer<typeof ToolsPage>> {
  const during = page === 1 ? "tools/list" : `tools/list (page ${page})`;
  try {
    return await connection.client.request(
      { method: "tools/list", params: cursor !== undefined ? { cursor } : {} },
      ToolsPage,
      connection.requestOptions,
    );
  } catch (error) {
    throw await listFailure(connection, server, error, during);
  }
}

async function listFailure(
  connection: Connection,
  server: ResolvedServer,
  error: unknown,
  during: string,
): Promise<CodegenError> {
  if (error instanceof Error && error.name === "ZodError") {
    return new IntrospectionError(server.name, `the ${during} result has no "tools" array`, {
      cause: error,
    });
  }
  const tooLarge = resultTooLarge(error);
  if (tooLarge) {
    return new IntrospectionError(
      server.name,
      `the answer to ${during} is ${tooLarge.bytes} bytes, more than the ${tooLarge.limit} bytes a message may have; ` +
        "it was not read. Use a server that pages its tool list (nextCursor).",
      { cause: error },
    );
  }
  // An error the server sent back (not a timeout or a dropped connection, which are ours).
  if (
    error instanceof McpError &&
    error.code !== (ErrorCode.RequestTimeout as number) &&
    error.code !== (ErrorCode.ConnectionClosed as number)
  ) {
    // McpError prefixes "MCP error <code>: ", and servers built on the SDK send a message that
    // already has it: say the code once.
    const detail = error.message.replace(/^(MCP error -?\d+: )+/, "");
    const message = `the server answered ${during} with error ${error.code}: ${detail}`;
    return new IntrospectionError(server.name, redactText(message, server.secrets).text, {
      cause: error,
    });
  }
  return connection.failure(error, during);
}
