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

  /** For `console.log` and `JSON.stringify`: the content itself. */
  toJSON(): { content: readonly ContentItem[]; structuredContent?: unknown } {
    return this.structuredContent === undefined
      ? { content: this.content }
      : { content: this.content, structuredContent: this.structuredContent };
  }
}
