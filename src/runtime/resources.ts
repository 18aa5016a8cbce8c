/**
 * A server's resources: listed (every page) and read, through the same pooled connection,
 * timeouts, cancellation and typed errors as tool calls.
 */
import { expandUriTemplate } from "../connect/index.js";
import { z } from "zod";
import { requireCapability } from "./capability.js";
import { hasStrings, listAll } from "./paginate.js";
import type { RequestOptions } from "./options.js";
import { assertOpen, checkResultSize, onServer, sendOptions } from "./request.js";
import { toMessageText } from "../model/text.js";
import { RuntimeError } from "./errors.js";
import { warnOnce } from "./warnings.js";

/** One resource a server lists (MCP `Resource`). */
export interface Resource {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  /** Size in bytes, when the server knows it. */
  readonly size?: number;
  readonly annotations?: {
    readonly audience?: readonly ("user" | "assistant")[];
    readonly priority?: number;
    readonly lastModified?: string;
  };
  readonly _meta?: Readonly<Record<string, unknown>>;
}

/** What reading a resource returns: text, or binary data in base64 (MCP `ResourceContents`). */
export type ResourceContents =
  | {
      readonly uri: string;
      readonly mimeType?: string;
      readonly text: string;
      readonly _meta?: Readonly<Record<string, unknown>>;
    }
  | {
      readonly uri: string;
      readonly mimeType?: string;
      /** Base64. */
      readonly blob: string;
      readonly _meta?: Readonly<Record<string, unknown>>;
    };

/**
 * Every resource `server` lists, following `nextCursor` through every page. Items without a
 * string `uri` and `name` are left out (with a warning). Throws a RuntimeError when the server
 * has no resources capability, and the typed errors of `callMcpTool` otherwise.
 */
export function listResources(server: string, options: RequestOptions = {}): Promise<Resource[]> {
  return onServer(server, "resources/list", undefined, options, async (pooled, _entry, timeout) => {
    const connection = pooled.connection;
    requireCapability(connection, "resources", "listResources");
    const items = await listAll(connection, "resources/list", {
      timeout,
      signal: options.signal,
    });
    return keep(server, "resources/list", items, (item) =>
      hasStrings(item, "uri", "name"),
    ) as Resource[];
  });
}

/** One resource template a server lists (MCP `ResourceTemplate`): an RFC 6570 URI template. */
export interface ResourceTemplate {
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly annotations?: Resource["annotations"];
  readonly _meta?: Readonly<Record<string, unknown>>;
}

/**
 * Every resource template `server` lists, through every page; items without a string
 * `uriTemplate` and `name` are left out (with a warning). Errors as `listResources`.
 */
export function listResourceTemplates(
  server: string,
  options: RequestOptions = {},
): Promise<ResourceTemplate[]> {
  const method = "resources/templates/list";
  return onServer(server, method, undefined, options, async (pooled, _entry, timeout) => {
    const connection = pooled.connection;
    requireCapability(connection, "resources", "listResourceTemplates");
    const items = await listAll(connection, method, { timeout, signal: options.signal });
    return keep(server, method, items, (item) =>
      hasStrings(item, "uriTemplate", "name"),
    ) as ResourceTemplate[];
  });
}

/** Values for a template's variables: a list where the template explodes one (`{/path*}`). */
export type TemplateParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads the resource that `uriTemplate` (RFC 6570) names with `params` filled in: values are
 * percent-encoded as the template's operators say, an absent one expands to nothing.
 */
export function readResourceTemplate(
  server: string,
  uriTemplate: string,
  params: TemplateParams,
  options: RequestOptions = {},
): Promise<ResourceContents[]> {
  return readResource(server, expandTemplate(server, uriTemplate, params), options);
}

/** Only the caller's own values count: an inherited `constructor` must not fill `{constructor}`. */
function expandTemplate(server: string, uriTemplate: string, params: TemplateParams): string {
  const values: Record<string, string | string[]> = Object.create(null) as Record<string, never>;
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string") values[name] = value;
    else if (Array.isArray(value)) values[name] = value.map(String);
  }
  try {
    return expandUriTemplate(uriTemplate, values);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const shown = uriTemplate.length > 200 ? `${uriTemplate.slice(0, 200)}…` : uriTemplate;
    throw new RuntimeError(
      `readResourceTemplate("${server}", …): ${JSON.stringify(toMessageText(shown))} is not a URI template this can expand (${toMessageText(why)}). Check the template the server lists (listResourceTemplates).`,
    );
  }
}

const ReadResult = z.looseObject({ contents: z.array(z.unknown()) });

/**
 * The contents of the resource at `uri` (usually one item; more for a folder-like resource).
 * Over `maxResultBytes`, throws ResultTooLargeError; an unknown URI comes back as the server's
 * McpProtocolError (`rpcCode` -32002 by the spec).
 */
export function readResource(
  server: string,
  uri: string,
  options: RequestOptions = {},
): Promise<ResourceContents[]> {
  return onServer(server, "resources/read", uri, options, async (pooled, entry) => {
    const connection = pooled.connection;
    requireCapability(connection, "resources", "readResource");
    assertOpen(connection);
    const result = await connection.request(
      "resources/read",
      { uri },
      ReadResult,
      sendOptions("resources/read", uri, options),
    );
    checkResultSize(pooled, entry, "resources/read", uri, result);
    return keep(
      server,
      "resources/read",
      result.contents,
      (item) => hasStrings(item, "uri") && (hasStrings(item, "text") || hasStrings(item, "blob")),
    ) as ResourceContents[];
  });
}

/** The items that pass `valid`; the others are warned about once per server and method. */
export function keep(
  server: string,
  method: string,
  items: unknown[],
  valid: (item: unknown) => boolean,
): unknown[] {
  const kept = items.filter(valid);
  if (kept.length < items.length) {
    warnOnce(
      `${method} ${server} invalid items`,
      `server "${server}": ${items.length - kept.length} item(s) of its ${method} answer lack required fields and were left out.`,
    );
  }
  return kept;
}
