/**
 * `servers/<server>/summary.d.ts`: the whole server's API in one short file: each function's
 * signature with a one-line doc. The types themselves stay in the tool files.
 *
 * Written in prettier's output form rather than run through it: prettier needs a second for a
 * thousand declarations, and these have one shape (a test holds the two to the same bytes).
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
  // One namespace import of the server's barrel, not one import per tool: an agent reads this
  // file to see every signature, and a thousand import lines would cost it as much again.
  // `Types` cannot clash with a function: generated identifiers start with a lower-case letter.
  const runtimeTypes = server.tools.some((t) => !t.hasOutput)
    ? "CallOptions, ContentResult"
    : "CallOptions";
  const imports = [
    `import type { ${runtimeTypes} } from ${stringLiteral(RUNTIME_MODULE)};`,
    `import type * as Types from "./index.js";`,
  ];
  const declarations: string[] = [];
  for (const tool of server.tools) {
    const names = typesDocumentNames(tool.typeName);
    const output = tool.hasOutput ? `Types.${names.output}` : "ContentResult";
    const doc = tool.summary || tool.title || "";
    // The same signature as the tool file's function, where the input defaults to `{}`.
    const input = takesNoRequiredInput(tool) ? "input?" : "input";
    declarations.push(
      docComment([doc]) +
        declaration(
          tool.identifier,
          [`${input}: Types.${names.input}`, "options?: CallOptions"],
          output,
        ),
    );
  }
  return [HEADER, head + imports.join("\n"), "", declarations.join("\n"), ""].join("\n");
}

const PRINT_WIDTH = 100;

/**
 * `export declare function f(input: I, options?: CallOptions): Promise<O>;`, broken as
 * prettier breaks it when long: one parameter a line.
 */
function declaration(name: string, parameters: readonly string[], output: string): string {
  const line = `export declare function ${name}(${parameters.join(", ")}): Promise<${output}>;`;
  if (line.length <= PRINT_WIDTH) return line;
  const each = parameters.map((parameter) => `  ${parameter},\n`).join("");
  return `export declare function ${name}(\n${each}): Promise<${output}>;`;
}
