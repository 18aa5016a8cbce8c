/**
 * `servers/<server>/summary.d.ts`: the whole server's API in one short file: each function's
 * signature with a one-line doc. The types themselves stay in the tool files.
 */
import { typesDocumentNames } from "../model/schema/types-document.js";
import type { ServerModel } from "../model/types.js";
import { docComment, HEADER, RUNTIME_MODULE, stringLiteral } from "./header.js";
import { takesNoRequiredInput } from "./tool-file.js";

export function renderSummary(server: ServerModel): string {
  const about = [server.info.title ?? server.info.name, server.info.version]
    .filter(Boolean)
    .join(" ");
  const head = docComment([
    `${server.name}: ${server.tools.length} tool${server.tools.length === 1 ? "" : "s"} (${about}).`,
    ...(server.instructions ? [server.instructions] : []),
  ]);
  const imports: string[] = [];
  if (server.tools.some((t) => !t.hasOutput)) {
    imports.push(`import type { ContentResult } from ${stringLiteral(RUNTIME_MODULE)};`);
  }
  const declarations: string[] = [];
  for (const tool of server.tools) {
    const names = typesDocumentNames(tool.typeName);
    const types = tool.hasOutput ? [names.input, names.output] : [names.input];
    imports.push(
      `import type { ${types.join(", ")} } from ${stringLiteral(`./${tool.fileBase}.js`)};`,
    );
    const output = tool.hasOutput ? names.output : "ContentResult";
    const doc = tool.summary || tool.title || "";
    // The same signature as the tool file's function, where the input defaults to `{}`.
    const input = takesNoRequiredInput(tool) ? "input?" : "input";
    declarations.push(
      `${docComment([doc])}export declare function ${tool.identifier}(${input}: ${names.input}): Promise<${output}>;`,
    );
  }
  return [HEADER, head + imports.join("\n"), "", declarations.join("\n"), ""].join("\n");
}
