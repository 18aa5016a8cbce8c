import { z } from "zod";
import type { ResolvedServer } from "../config/types.js";
import { CodegenError, IntrospectionError } from "../errors.js";
import type { Warning } from "../log.js";
import {
  AnswerShapeError,
  AnswerTooLargeError,
  redactText,
  ServerAnswerError,
  type Connection,
} from "../connect/index.js";
import { plural } from "../plural.js";
import type { SkippedTool, ToolDefinition } from "./snapshot.js";
import { toMessageText } from "../model/text.js";
import { watchListChanged } from "./list-changes.js";
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

/** A list that changed while it was being read is read again, up to this many times in all. */
const MAX_LISTINGS = 3;

/**
 * Lists every tool of a connected server, page by page, leniently: each tool is validated on its
 * own and an invalid one lands in `skipped` with a specific reason (and its position across
 * pages) instead of failing the list. A later tool with the name of an earlier one is skipped
 * too. A server without the tools capability has no tools: an empty list, not an error.
 * A `tools/list_changed` notification arriving while the pages are read means they may mix two
 * lists: the list is read again from its first page, at most MAX_LISTINGS times in all.
 * Each request uses the connection's per-request timeout. Throws a typed CodegenError.
 */
export async function listTools(
  connection: Connection,
  server: ResolvedServer,
  /**
   * `error`: a list that cannot be read to its end, or that keeps changing, fails the server
   * (generation writes nothing of it: a partial list would delete the stubs of the tools not
   * reached). `warn`: keep what was listed last (the runtime, which only compares).
   */
  brokenList: "error" | "warn" = "error",
): Promise<ToolList> {
  if (!connection.offers.tools) return { tools: [], skipped: [], warnings: [] };
  const changes = watchListChanged(connection);
  try {
    for (let listing = 1; ; listing += 1) {
      const before = changes.count;
      const list = await listOnce(connection, server, brokenList);
      if (changes.count === before) return list;
      if (listing < MAX_LISTINGS) continue;
      const message = `the server's tool list changed while it was being listed, ${MAX_LISTINGS} times in a row (notifications/tools/list_changed arrived during each listing)`;
      if (brokenList === "error") {
        throw new IntrospectionError(
          server.name,
          `${message}, so nothing of this server was written. Run generate again once its tools have settled, or give --partial to write the other servers.`,
        );
      }
      return {
        ...list,
        warnings: [
          ...list.warnings,
          { server: server.name, message: `${message}; kept the last listing` },
        ],
      };
    }
  } finally {
    changes.stop();
  }
}

async function listOnce(
  connection: Connection,
  server: ResolvedServer,
  brokenPaging: "error" | "warn",
): Promise<ToolList> {
  const list = new ListedTools(server.name);
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page += 1) {
    const result = await fetchPage(connection, server, cursor, page);
    for (const raw of result.tools) list.add(raw);
    const next = result.nextCursor;
    if (next === undefined || next === null || next === "") break;
    const broken =
      typeof next !== "string"
        ? "tools/list returned a nextCursor that is not a string"
        : seenCursors.has(next)
          ? "tools/list returned the cursor of an earlier page again (a server bug)"
          : page >= MAX_PAGES
            ? `tools/list still had more pages after ${MAX_PAGES}`
            : undefined;
    if (broken !== undefined) {
      stopListing(server, list, broken, page, brokenPaging);
      break;
    }
    seenCursors.add(next as string);
    cursor = next as string;
  }
  return { tools: list.tools, skipped: list.skipped, warnings: list.warnings };
}

/** The tools listed so far: the valid ones in order, the others skipped with the reason. */
class ListedTools {
  readonly tools: ToolDefinition[] = [];
  readonly skipped: SkippedTool[] = [];
  readonly warnings: Warning[] = [];
  private readonly firstIndex = new Map<string, number>();
  /** Position of the next tool in the server's list, across pages. */
  index = 0;

  constructor(private readonly server: string) {}

  add(raw: unknown): void {
    const index = this.index++;
    const checked = checkTool(raw);
    if (!checked.ok) {
      const name = checked.name !== undefined ? { name: checked.name } : {};
      this.skipped.push({ ...name, index, reason: checked.reason });
      return;
    }
    const { tool } = checked;
    const first = this.firstIndex.get(tool.name);
    if (first !== undefined) {
      const reason = `duplicate name: the tool at index ${first} has it too`;
      this.skipped.push({ name: tool.name, index, reason });
      return;
    }
    this.firstIndex.set(tool.name, index);
    this.tools.push(tool);
    if (checked.truncated !== undefined) {
      this.warnings.push({ server: this.server, tool: tool.name, message: checked.truncated });
    }
  }
}

/** A list whose paging is broken: the server fails (`error`), or keeps what came (`warn`). */
function stopListing(
  server: ResolvedServer,
  list: ListedTools,
  message: string,
  page: number,
  brokenPaging: "error" | "warn",
): void {
  if (brokenPaging === "error") {
    throw new IntrospectionError(
      server.name,
      `${message}, after page ${page} (${plural(list.index, "tool")}): the list has no end that can be reached, so nothing of this server was written. Fix the server's paging, or give --partial to write the other servers.`,
    );
  }
  list.warnings.push({
    server: server.name,
    message: `${message}; stopped listing after page ${page} and kept the ${plural(list.index, "tool")} listed so far`,
  });
}

async function fetchPage(
  connection: Connection,
  server: ResolvedServer,
  cursor: string | undefined,
  page: number,
): Promise<z.infer<typeof ToolsPage>> {
  const during = page === 1 ? "tools/list" : `tools/list (page ${page})`;
  let result: z.infer<typeof ToolsPage>;
  try {
    result = await connection.request(
      "tools/list",
      cursor !== undefined ? { cursor } : {},
      ToolsPage,
      { during },
    );
  } catch (error) {
    throw await listFailure(connection, server, error, during);
  }
  // A stdio transport refused a longer answer as it came; over HTTP it is measured here.
  if (connection.transport !== "stdio") {
    const bytes = Buffer.byteLength(JSON.stringify(result));
    if (bytes > connection.maxResultBytes) {
      throw tooLargeFailure(server, during, bytes, connection.maxResultBytes);
    }
  }
  return result;
}

function tooLargeFailure(
  server: ResolvedServer,
  during: string,
  bytes: number,
  limit: number,
  cause?: unknown,
): IntrospectionError {
  return new IntrospectionError(
    server.name,
    `the answer to ${during} is ${bytes} bytes, more than the ${limit} bytes maxResultBytes allows; ` +
      "it was not used. Raise maxResultBytes in the config (up to 268435456), or use a server that pages its tool list (nextCursor).",
    { cause },
  );
}

async function listFailure(
  connection: Connection,
  server: ResolvedServer,
  error: unknown,
  during: string,
): Promise<CodegenError> {
  if (error instanceof AnswerShapeError) {
    const message = `the answer to ${during} ${error.problem}`;
    return new IntrospectionError(server.name, redactText(message, server.secrets).text, {
      cause: error.cause,
    });
  }
  if (error instanceof AnswerTooLargeError) {
    return tooLargeFailure(server, during, error.bytes, error.limit, error.cause);
  }
  // An error the server sent back (not a timeout or a dropped connection, which are ours).
  if (error instanceof ServerAnswerError) {
    const message = `the server answered ${during} with error ${error.rpcCode}: ${toMessageText(error.detail)}`;
    return new IntrospectionError(server.name, redactText(message, server.secrets).text, {
      cause: error.cause,
    });
  }
  return error instanceof CodegenError ? error : connection.failure(error, during);
}
