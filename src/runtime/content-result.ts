/**
 * What a tool without an `outputSchema` returns: the MCP `content` array, with helpers for the
 * two things callers nearly always want: the text, and that text parsed as JSON.
 */
import { RuntimeError } from "./errors.js";

/** One item of a tool result's `content` (text, image, audio, resource link, embedded resource). */
export type ContentItem =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "image"; readonly data: string; readonly mimeType: string }
  | { readonly type: "audio"; readonly data: string; readonly mimeType: string }
  | {
      readonly type: "resource_link";
      readonly uri: string;
      readonly name?: string;
      readonly mimeType?: string;
    }
  | {
      readonly type: "resource";
      readonly resource: {
        readonly uri: string;
        readonly mimeType?: string;
        readonly text?: string;
        readonly blob?: string;
      };
    };

export class ContentResult {
  /** The raw MCP content items, in the order the server sent them. */
  readonly content: readonly ContentItem[];
  /** Structured content, when the server sent some although the tool declares no output type. */
  readonly structuredContent: unknown;

  constructor(content: readonly ContentItem[], structuredContent?: unknown) {
    this.content = content;
    this.structuredContent = structuredContent;
  }

  /** All text items joined with newlines ("" when there is none). */
  get text(): string {
    return this.content
      .flatMap((item) =>
        item.type === "text"
          ? [item.text]
          : item.type === "resource" && item.resource.text !== undefined
            ? [item.resource.text]
            : [],
      )
      .join("\n");
  }

  /**
   * The text parsed as JSON. Throws a RuntimeError that shows the start of the text when it is
   * not JSON, so a caller sees what the tool actually said.
   */
  json<T = unknown>(): T {
    const text = this.text;
    try {
      return JSON.parse(text) as T;
    } catch {
      const head = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      throw new RuntimeError(`the tool's text result is not JSON: ${JSON.stringify(head)}`);
    }
  }

  /** In a template string or `String(result)`: the text, as a program nearly always means. */
  toString(): string {
    return this.text;
  }

  /**
   * What `console.log(result)` shows: the text first, then the items that are not text, with
   * their base64 data shortened (a screenshot would otherwise fill the output).
   */
  [Symbol.for("nodejs.util.inspect.custom")](
    depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    const others = this.content.filter((item) => item.type !== "text").map(shortData);
    const shown: Record<string, unknown> = { text: this.text };
    if (others.length > 0) shown.content = others;
    if (this.structuredContent !== undefined) shown.structuredContent = this.structuredContent;
    return `ContentResult ${inspect(shown, { ...options, depth: depth < 0 ? 0 : depth })}`;
  }

  /** For `JSON.stringify`: the content itself. */
  toJSON(): { content: readonly ContentItem[]; structuredContent?: unknown } {
    return this.structuredContent === undefined
      ? { content: this.content }
      : { content: this.content, structuredContent: this.structuredContent };
  }
}

/** An item with its base64 `data` (or a resource's `blob`) replaced by its size. */
function shortData(item: ContentItem): unknown {
  const size = (base64: string) => `<${Math.round((base64.length * 3) / 4)} bytes of base64>`;
  if ((item.type === "image" || item.type === "audio") && typeof item.data === "string")
    return { ...item, data: size(item.data) };
  if (item.type === "resource" && typeof item.resource.blob === "string")
    return { ...item, resource: { ...item.resource, blob: size(item.resource.blob) } };
  return item;
}
