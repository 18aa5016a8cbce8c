/** What the catalogs share: server text made plain Markdown, and one line a tool. */
import type { ServerOutline } from "./outline.js";

/**
 * Server text is shown, never interpreted: no HTML, links, headings or emphasis sneak into a
 * catalog (prettier would also rewrite `*emphasis*` to `_emphasis_`, changing the text). An
 * underscore inside a word (`snake_case`) cannot start emphasis and stays as it is.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\\`*[\]<>]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (c) => `\\${c}`)
    .replace(/^([#>+-])/, "\\$1");
}

/** `- \`getDocument\`: Read a document from Google Drive.` */
export function toolLine(tool: ServerOutline["tools"][number]): string {
  return `- \`${tool.identifier}\`${tool.summary ? `: ${markdownText(tool.summary)}` : ""}`;
}
