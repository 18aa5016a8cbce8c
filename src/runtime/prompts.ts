/**
 * A server's prompts: listed (every page) and filled in, through the same pooled connection,
 * timeouts, cancellation and typed errors as tool calls.
 */
import { z } from "zod";
import { requireCapability } from "./capability.js";
import type { ContentItem } from "./content-result.js";
import { hasStrings, listAll } from "./paginate.js";
import type { RequestOptions } from "./options.js";
import { assertOpen, checkResultSize, onServer, sendOptions } from "./request.js";
import { keep } from "./resources.js";

/** One argument a prompt takes (MCP `PromptArgument`). */
export interface PromptArgument {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly required?: boolean;
}

/** One prompt a server lists (MCP `Prompt`). */
export interface Prompt {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments?: readonly PromptArgument[];
  readonly _meta?: Readonly<Record<string, unknown>>;
}

/** One message of a filled-in prompt. */
export interface PromptMessage {
  readonly role: "user" | "assistant";
  readonly content: ContentItem;
}

/** A prompt filled in with its arguments (MCP `GetPromptResult`). */
export interface GetPromptResult {
  readonly description?: string;
  readonly messages: readonly PromptMessage[];
  readonly _meta?: Readonly<Record<string, unknown>>;
}

/**
 * Every prompt `server` lists, following `nextCursor` through every page. Items without a
 * string `name` are left out (with a warning). Throws a RuntimeError when the server has no
 * prompts capability, and the typed errors of `callMcpTool` otherwise.
 */
export function listPrompts(server: string, options: RequestOptions = {}): Promise<Prompt[]> {
  return onServer(server, "prompts/list", undefined, options, async (pooled, _entry, timeout) => {
    const connection = pooled.connection;
    requireCapability(connection, "prompts", "listPrompts");
    const items = await listAll(connection, "prompts/list", {
      timeout,
      signal: options.signal,
    });
    return keep(server, "prompts/list", items, (item) => hasStrings(item, "name")) as Prompt[];
  });
}

const PromptResult = z.looseObject({
  description: z.string().optional(),
  messages: z.array(z.unknown()),
});

/**
 * The prompt `name` filled in with `args` (MCP prompt arguments are strings). An unknown prompt
 * or a missing required argument comes back as the server's McpProtocolError.
 */
export function getPrompt(
  server: string,
  name: string,
  args: Readonly<Record<string, string | undefined>> = {},
  options: RequestOptions = {},
): Promise<GetPromptResult> {
  return onServer(server, "prompts/get", name, options, async (pooled, entry) => {
    const connection = pooled.connection;
    requireCapability(connection, "prompts", "getPrompt");
    assertOpen(connection);
    const result = await connection.request(
      "prompts/get",
      { name, arguments: definedOnly(args) },
      PromptResult,
      sendOptions("prompts/get", name, options),
    );
    checkResultSize(pooled, entry, "prompts/get", name, result);
    const messages = keep(
      server,
      "prompts/get",
      result.messages,
      (item) =>
        hasStrings(item, "role") &&
        typeof (item as { content?: unknown }).content === "object" &&
        (item as { content?: unknown }).content !== null,
    ) as PromptMessage[];
    return { ...result, messages } as GetPromptResult;
  });
}

/** The arguments given: an optional one left `undefined` is not sent (the protocol wants strings). */
function definedOnly(args: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(args).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
