/**
 * `servers/<server>/summary.d.ts`: the server's API in short, each function with a one-line doc
 * and its input and output fields written out, so that an agent sees how to call a tool without
 * opening its file. A server too large for one file gets parts (`summary-2.d.ts`, …), each
 * under the page budget, in the order of the tools; the server's catalog says which part has
 * which tools.
 *
 * Written in prettier's output form rather than run through it: prettier needs a second for a
 * thousand declarations, and these have a few shapes (a test holds the two to the same bytes).
 */
import { typesDocumentNames } from "../model/schema/types-document.js";
import { plural } from "../plural.js";
import type { ServerModel, ToolModel } from "../model/types.js";
import { estimateTokens, PAGE_TOKENS, paginate } from "./budget.js";
import { docComment, HEADER, RUNTIME_MODULE, stringLiteral } from "./header.js";
import { isRecord } from "../plain-json.js";
import { serverAbout } from "./outline.js";
import { layOut, PRINT_WIDTH } from "./shape-layout.js";
import { flatText, refText, shapeOf, type Shape } from "./shape.js";
import { takesNoRequiredInput } from "./tool-file.js";

/** One file of a server's summary, and the tools it declares (first and last by name). */
export interface SummaryPart {
  /** Relative to the server's folder: `summary.d.ts`, `summary-2.d.ts`, … */
  readonly file: string;
  readonly first: string;
  readonly last: string;
  readonly tools: number;
  readonly contents: string;
}

/** Levels of objects written out, at most; fewer when a tool's declaration would be long. */
const MAX_DEPTH = 3;
/**
 * What one tool's declaration may cost before its deeper parts are referred to instead: about
 * what a short tool definition costs, so that the summary stays well below the definitions.
 */
const MAX_TOOL_TOKENS = 160;
/** Room kept in each part for its header and imports. */
const HEAD_TOKENS = 400;

interface Block {
  readonly identifier: string;
  readonly text: string;
  /** It returns a `ContentResult` (the tool has no output schema). */
  readonly content: boolean;
}

/**
 * The summary's parts. `loose`: identifiers of tools whose files fell back to loose types; their
 * declarations name the types instead of writing out what the schema says.
 */
export function renderSummary(server: ServerModel, loose: ReadonlySet<string>): SummaryPart[] {
  const blocks = server.tools.map((tool) =>
    toolBlock(tool, loose.has(tool.identifier) ? 0 : MAX_DEPTH),
  );
  const pages = paginate(blocks, (b) => estimateTokens(b.text), PAGE_TOKENS - HEAD_TOKENS);
  return pages.map((page, i) => {
    const first = page[0]?.identifier ?? "";
    const last = page[page.length - 1]?.identifier ?? "";
    const where =
      pages.length === 1
        ? "."
        : `, in ${pages.length} parts listed in README.md; part ${i + 1}: ${first} to ${last}.`;
    const text = page.map((b) => b.text).join("\n");
    const contents = [HEADER, head(server, page, text, i === 0, where), "", text, ""].join("\n");
    return { file: summaryFile(i), first, last, tools: page.length, contents };
  });
}

/** `summary.d.ts` for the first part, `summary-<n>.d.ts` for the n-th. */
function summaryFile(index: number): string {
  return index === 0 ? "summary.d.ts" : `summary-${index + 1}.d.ts`;
}

/** The part's doc comment and imports: `ContentResult` and the barrel only where used. */
function head(
  server: ServerModel,
  page: readonly Block[],
  text: string,
  first: boolean,
  where: string,
): string {
  // A literal or key could spell `Types.` too: then the import is only unused, never missing.
  const referring = text.includes("Types.");
  const lines = [
    `${server.name}: ${plural(server.tools.length, "tool")} (${serverAbout(server.info)})${where}`,
    ...(first && server.instructions ? [server.instructions] : []),
    ...(referring
      ? ["A type written `Types.X` is declared in the tool's own file, `<tool>.ts`."]
      : []),
    ...(page.some((b) => b.content)
      ? ["A `ContentResult` has the result's `.text`, `.json()` and `.content`."]
      : []),
    ...(first ? extrasNote(server) : []),
  ];
  const runtime = page.some((b) => b.content) ? "CallOptions, ContentResult" : "CallOptions";
  // One namespace import of the server's barrel, not one import per tool; only where a type is
  // referred to. `Types` cannot clash with a function: identifiers start lower-case.
  const imports = [`import type { ${runtime} } from ${stringLiteral(RUNTIME_MODULE)};`];
  if (referring) imports.push(`import type * as Types from "./index.js";`);
  return docComment(lines) + imports.join("\n");
}

/** Where the server's resources and prompts are, when it has any: they are not declared here. */
function extrasNote(server: ServerModel): string[] {
  const parts = [
    ...(server.resources.length > 0
      ? [`${plural(server.resources.length, "resource")} in \`resources.ts\``]
      : []),
    ...(server.prompts.length > 0
      ? [`${plural(server.prompts.length, "prompt")} in \`prompts.ts\``]
      : []),
  ];
  return parts.length > 0 ? [`Besides tools: ${parts.join(", ")}, one function each.`] : [];
}

function toolBlock(tool: ToolModel, maxDepth: number): Block {
  const doc = docComment([tool.summary || tool.title || ""]);
  let text = "";
  for (let depth = maxDepth; depth >= 0; depth--) {
    text = doc + declaration(tool, depth);
    if (estimateTokens(text) <= MAX_TOOL_TOKENS) break;
  }
  return { identifier: tool.identifier, text, content: !tool.hasOutput };
}

/**
 * `export function f(input: I, options?: CallOptions): Promise<O>;`, broken as prettier breaks
 * it when long: one parameter a line, then the input's and the output's members. In a `.d.ts`
 * every declaration is ambient: `declare` would only cost a token a tool.
 */
function declaration(tool: ToolModel, depth: number): string {
  const names = typesDocumentNames(tool.typeName);
  const defs = isRecord(tool.typesSchema.$defs) ? tool.typesSchema.$defs : {};
  const input = shapeOf(defs[names.input], `Types.${names.input}`, depth);
  const output: Shape = tool.hasOutput
    ? shapeOf(defs[names.output], `Types.${names.output}`, depth)
    : { kind: "text", text: "ContentResult" };
  // The same signature as the tool file's function, where the input defaults to `{}`.
  const parameter = takesNoRequiredInput(tool) ? "input?" : "input";
  const name = `export function ${tool.identifier}(`;
  const line = `${name}${parameter}: ${flatText(input)}, options?: CallOptions): Promise<${flatText(output)}>;`;
  if (line.length <= PRINT_WIDTH) return line;
  const inputLines = layOut(input, 2, `  ${parameter}: `, ",") ?? [
    `  ${parameter}: ${input.ref ? refText(input.ref) : flatText(input)},`,
  ];
  const outputLines = layOut(output, 0, "): Promise<", ">;") ?? [
    `): Promise<${output.ref ? refText(output.ref) : flatText(output)}>;`,
  ];
  return [name, ...inputLines, "  options?: CallOptions,", ...outputLines].join("\n");
}
