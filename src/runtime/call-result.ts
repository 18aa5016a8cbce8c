/**
 * Reading a `tools/call` answer as MCP defines it, in place of the SDK's own check (a zod
 * schema whose failure is a dump of nested union errors, and which our pool took for a broken
 * connection). Each rule says in words what is wrong, so that the error can name it.
 */
import { isRecord, kindOf } from "../plain-json.js";
import type { ContentItem } from "./content-result.js";

/** A `tools/call` result that has the shape MCP requires. */
export interface CallResult {
  readonly content: readonly ContentItem[];
  readonly structuredContent: Record<string, unknown> | undefined;
  readonly isError: boolean;
}

const CONTENT_TYPES = ["text", "image", "audio", "resource_link", "resource"] as const;

/**
 * The result, or what is wrong with it. Lenient where the SDK is: a missing `content` is an
 * empty list, unknown fields are ignored.
 */
export function readCallResult(raw: unknown): CallResult | { readonly problem: string } {
  if (!isRecord(raw)) return { problem: `the result is ${kindOf(raw)}, not an object` };
  const { content = [], structuredContent, isError } = raw;
  if (!Array.isArray(content)) {
    return { problem: `"content" is ${kindOf(content)}, not a list of content items` };
  }
  for (const [index, item] of content.entries()) {
    const problem = contentProblem(item);
    if (problem) return { problem: `content[${index}] ${problem}` };
  }
  if (isError !== undefined && typeof isError !== "boolean") {
    return { problem: `"isError" is ${kindOf(isError)}, not true or false` };
  }
  if (structuredContent !== undefined && !isRecord(structuredContent)) {
    return { problem: `"structuredContent" is ${kindOf(structuredContent)}, not an object` };
  }
  return {
    content: content as ContentItem[],
    structuredContent,
    isError: isError === true,
  };
}

function contentProblem(item: unknown): string | undefined {
  if (!isRecord(item)) return `is ${kindOf(item)}, not a content item`;
  const type = item["type"];
  if (!CONTENT_TYPES.includes(type as (typeof CONTENT_TYPES)[number])) {
    const shown = typeof type === "string" ? JSON.stringify(type) : kindOf(type);
    return `has type ${shown}, which MCP does not define (it has ${CONTENT_TYPES.join(", ")})`;
  }
  const needs = (field: string) =>
    typeof item[field] === "string" ? undefined : `(${type}) has no string "${field}"`;
  switch (type) {
    case "text":
      return needs("text");
    case "image":
    case "audio":
      return needs("data") ?? needs("mimeType") ?? base64Problem(item["data"] as string, "data");
    case "resource_link":
      return needs("uri");
    default: {
      const resource = item["resource"];
      if (!isRecord(resource) || typeof resource["uri"] !== "string") {
        return `(resource) has no "resource" with a string "uri"`;
      }
      const blob = resource["blob"];
      if (blob === undefined) return undefined;
      return typeof blob === "string"
        ? base64Problem(blob, "resource.blob")
        : `(resource) has a "resource.blob" that is ${kindOf(blob)}, not base64 text`;
    }
  }
}

/** The SDK's own test of base64 (atob), so that what it accepted is still accepted. */
function base64Problem(data: string, field: string): string | undefined {
  try {
    atob(data);
    return undefined;
  } catch {
    return `has "${field}" that is not base64 (it starts ${JSON.stringify(data.slice(0, 20))})`;
  }
}
