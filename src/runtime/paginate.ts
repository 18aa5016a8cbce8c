/**
 * Every page of a list request (`resources/list`, `resources/templates/list`, `prompts/list`),
 * leniently: only the envelope is checked (an array under `key`), so that one odd item does not
 * cost the others; the caller checks items one by one. Stops after MAX_PAGES or on a cursor seen
 * before, with a warning (once per process on stderr, or to `options.warn`).
 */
import { z } from "zod";
import type { Connection } from "../connect/index.js";
import { MAX_PAGES } from "../introspect/list-tools.js";
import { assertOpen } from "./request.js";
import { warnOnce } from "./warnings.js";

export const LISTS = {
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
  "prompts/list": "prompts",
} as const;

export async function listAll(
  connection: Connection,
  method: keyof typeof LISTS,
  options: {
    timeout: number;
    signal?: AbortSignal | undefined;
    warn?: (message: string) => void;
  },
): Promise<unknown[]> {
  const key = LISTS[method];
  const Page = z.looseObject({ [key]: z.array(z.unknown()), nextCursor: z.unknown().optional() });
  const server = connection.server.name;
  const requestOptions = {
    timeout: options.timeout,
    during: method,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const items: unknown[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page += 1) {
    assertOpen(connection);
    const result = await connection.request(
      method,
      cursor !== undefined ? { cursor } : {},
      Page,
      requestOptions,
    );
    items.push(...(result[key] as unknown[]));
    const next = result.nextCursor;
    if (next === undefined || next === null || next === "") return items;
    const stop = (why: string) => {
      const message = `server "${server}": ${method} ${why}; kept the ${items.length} ${key} listed in ${page} page(s).`;
      if (options.warn) options.warn(message);
      else warnOnce(`${method} ${server} ${why}`, message);
      return items;
    };
    if (typeof next !== "string") return stop("returned a nextCursor that is not a string");
    if (seen.has(next)) return stop("returned the cursor of an earlier page again (a server bug)");
    if (page >= MAX_PAGES) return stop(`still had more pages after ${MAX_PAGES}`);
    seen.add(next);
    cursor = next;
  }
}

/** Whether `value` is an object whose `fields` are all strings: the least an item must be. */
export function hasStrings(value: unknown, ...fields: string[]): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return fields.every((field) => typeof record[field] === "string");
}
