/** `servers/<server>/index.ts`: explicit, sorted re-exports, so nested type names never clash. */
import { typesDocumentNames } from "../model/schema/types-document.js";
import type { ServerModel } from "../model/types.js";
import { HEADER, stringLiteral } from "./header.js";

export function renderServerIndex(server: ServerModel): string {
  const lines = server.tools.map((tool) => {
    const names = typesDocumentNames(tool.typeName);
    const types = tool.hasOutput ? [names.input, names.output] : [names.input];
    const exported = [tool.identifier, ...types.map((t) => `type ${t}`)].join(", ");
    return `export { ${exported} } from ${stringLiteral(`./${tool.identifier}.js`)};`;
  });
  if (lines.length === 0) lines.push("export {};");
  return `${HEADER}\n${lines.join("\n")}\n`;
}
