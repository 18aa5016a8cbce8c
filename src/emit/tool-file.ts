/**
 * `servers/<server>/<tool>.ts`: the tool's types, its doc comment and one async function that
 * calls the runtime with the tool's MCP name. Lean on purpose: an agent pays for every token.
 */
import type { ServerModel, ToolModel } from "../model/types.js";
import { typesDocumentNames } from "../model/schema/types-document.js";
import { docComment, HEADER, RUNTIME_MODULE, stringLiteral } from "./header.js";

/** Assembles the (unformatted) source of a tool file around its compiled types. */
export function renderToolFile(server: ServerModel, tool: ToolModel, types: string): string {
  const names = typesDocumentNames(tool.typeName);
  const output = tool.hasOutput ? names.output : "ContentResult";
  const imports = tool.hasOutput
    ? "callMcpTool, type CallOptions"
    : "callMcpTool, type CallOptions, type ContentResult";
  const parameter = takesNoRequiredInput(tool)
    ? `input: ${names.input} = {}`
    : `input: ${names.input}`;
  // ContentResult is callMcpTool's default result type: no need to spell it out.
  const typeArgument = tool.hasOutput ? `<${output}>` : "";
  const call = `callMcpTool${typeArgument}(${stringLiteral(server.name)}, ${stringLiteral(tool.wireName)}, input, options)`;
  return [
    HEADER,
    `import { ${imports} } from ${stringLiteral(RUNTIME_MODULE)};`,
    "",
    types,
    "",
    docComment(toolDocLines(tool)) +
      // `options`: the call's own timeout, an AbortSignal, and progress notifications.
      `export async function ${tool.identifier}(${parameter}, options?: CallOptions): Promise<${output}> {\n` +
      `  return ${call};\n}`,
    "",
  ].join("\n");
}

/** The function's doc comment: description (or title), then the annotations as plain words. */
function toolDocLines(tool: ToolModel): string[] {
  const lines: string[] = [];
  if (tool.description) lines.push(tool.description);
  else if (tool.title) lines.push(tool.title);
  if (tool.configuredOutput !== undefined) {
    lines.push(
      ...(lines.length ? [""] : []),
      "Returns its text result parsed as JSON, typed as the config's `outputs` says.",
    );
  }
  const hints = describeHints(tool.annotations);
  if (hints) lines.push(...(lines.length ? [""] : []), `Hints: ${hints}.`);
  return lines;
}

const HINT_WORDS: ReadonlyArray<[keyof NonNullable<ToolModel["annotations"]>, string, string]> = [
  ["readOnlyHint", "read-only", "writes"],
  ["destructiveHint", "destructive", "non-destructive"],
  ["idempotentHint", "idempotent", "not idempotent"],
  ["openWorldHint", "open-world", "closed-world"],
];

/** `read-only, idempotent`: only the hints the server actually set. */
function describeHints(annotations: ToolModel["annotations"]): string {
  if (!annotations) return "";
  // A read-only tool destroys nothing: the destructive hint only means something for writers.
  return HINT_WORDS.filter(([key]) => annotations[key] !== undefined)
    .filter(([key]) => !(key === "destructiveHint" && annotations.readOnlyHint === true))
    .map(([key, yes, no]) => (annotations[key] ? yes : no))
    .join(", ");
}

/** True when every input property is optional: the function's input then defaults to `{}`. */
export function takesNoRequiredInput(tool: ToolModel): boolean {
  const defs = tool.typesSchema.$defs as Record<string, { required?: unknown }> | undefined;
  const input = defs?.[typesDocumentNames(tool.typeName).input];
  return !Array.isArray(input?.required) || input.required.length === 0;
}
