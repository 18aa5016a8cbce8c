/**
 * `servers/<server>/resources.ts` and `prompts.ts`: a typed function for each resource, resource
 * template and prompt a server offers, with its description as the doc comment, following the
 * tool files' conventions (the header, one runtime import, string literals for what the server
 * sent). Written only for a server that offers them.
 */
import type { PromptModel, ResourceModel, ServerModel } from "../model/types.js";
import { toCommentText } from "../model/text.js";
import { PROMPT_FILE_IMPORTS, RESOURCE_FILE_IMPORTS } from "../model/extras.js";
import { docComment, HEADER, RUNTIME_MODULE, stringLiteral } from "./header.js";

export const RESOURCE_FILE = "resources.ts";
export const PROMPT_FILE = "prompts.ts";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Unformatted TypeScript (the format phase lays it out), or undefined when there are none. */
export function renderResourceFile(server: ServerModel): string | undefined {
  if (server.resources.length === 0) return undefined;
  const [read, readTemplate, callOptions, contents] = RESOURCE_FILE_IMPORTS;
  const usesTemplates = server.resources.some((r) => r.uriTemplate !== undefined);
  const usesStatic = server.resources.some((r) => r.uri !== undefined);
  const imports = [
    ...(usesStatic ? [read] : []),
    ...(usesTemplates ? [readTemplate] : []),
    `type ${callOptions}`,
    `type ${contents}`,
  ];
  const blocks = server.resources.map((resource) => resourceFunction(server.name, resource));
  return fileOf(imports, blocks);
}

function resourceFunction(server: string, resource: ResourceModel): string {
  const returns = "Promise<ResourceContents[]>";
  const where = resource.uri ?? resource.uriTemplate!;
  const doc = docComment([
    ...(resource.description
      ? [resource.description, ""]
      : resource.title
        ? [resource.title, ""]
        : []),
    `${resource.uri !== undefined ? "URI" : "URI template"}: ${toCommentText(where, 2000)}${resource.mimeType ? ` (${resource.mimeType})` : ""}`,
  ]);
  if (resource.uri !== undefined) {
    return (
      `${doc}export function ${resource.identifier}(options?: CallOptions): ${returns} {\n` +
      `  return readResource(${stringLiteral(server)}, ${stringLiteral(resource.uri)}, options);\n}`
    );
  }
  const variables = resource.variables ?? [];
  const members = variables.map(
    (v) =>
      `  ${propertyKey(v.name)}${v.optional ? "?" : ""}: ${v.list ? "string | readonly string[]" : "string"};`,
  );
  const type = `export type ${resource.paramsType} = {\n${members.join("\n")}\n};`;
  const parameter = variables.every((v) => v.optional)
    ? `params: ${resource.paramsType} = {}`
    : `params: ${resource.paramsType}`;
  return (
    `${type}\n\n${doc}export function ${resource.identifier}(${parameter}, options?: CallOptions): ${returns} {\n` +
    `  return readResourceTemplate(${stringLiteral(server)}, ${stringLiteral(resource.uriTemplate!)}, params, options);\n}`
  );
}

/** Unformatted TypeScript, or undefined when the server has no prompts. */
export function renderPromptFile(server: ServerModel): string | undefined {
  if (server.prompts.length === 0) return undefined;
  const [get, callOptions, result] = PROMPT_FILE_IMPORTS;
  const blocks = server.prompts.map((prompt) => promptFunction(server.name, prompt));
  return fileOf([get!, `type ${callOptions}`, `type ${result}`], blocks);
}

function promptFunction(server: string, prompt: PromptModel): string {
  const doc = docComment([prompt.description || prompt.title || ""]);
  const call = (args: string) =>
    `  return getPrompt(${stringLiteral(server)}, ${stringLiteral(prompt.wireName)}, ${args}, options);\n}`;
  if (prompt.arguments.length === 0) {
    return `${doc}export function ${prompt.identifier}(options?: CallOptions): Promise<GetPromptResult> {\n${call("{}")}`;
  }
  const members = prompt.arguments.map(
    (a) =>
      `${docComment([a.description], "  ")}  ${propertyKey(a.name)}${a.required ? "" : "?"}: string;`,
  );
  // A type alias, not an interface: it is assignable to the runtime's record of strings.
  const type = `/** The arguments of \`${prompt.identifier}\` (prompt arguments are strings). */\nexport type ${prompt.argumentsType} = {\n${members.join("\n")}\n};`;
  const parameter = prompt.arguments.some((a) => a.required)
    ? `args: ${prompt.argumentsType}`
    : `args: ${prompt.argumentsType} = {}`;
  return `${type}\n\n${doc}export function ${prompt.identifier}(${parameter}, options?: CallOptions): Promise<GetPromptResult> {\n${call("args")}`;
}

function fileOf(imports: readonly (string | undefined)[], blocks: readonly string[]): string {
  return [
    HEADER,
    `import { ${imports.join(", ")} } from ${stringLiteral(RUNTIME_MODULE)};`,
    "",
    blocks.join("\n\n"),
    "",
  ].join("\n");
}

/** A property name as written in a type: bare when it is an identifier, else a string. */
function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}
