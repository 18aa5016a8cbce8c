/**
 * Output types the config gives tools that declare no `outputSchema` (`servers.<name>.outputs`):
 * a JSON Schema, kept as the tool's output schema for its types, or a type exported by a file
 * of the project, written as a type-only `import("…")` relative to the tool's file.
 */
import * as path from "node:path";
import type { ResolvedToolOutput } from "../config/types.js";
import type { JsonObject, ServerSnapshot } from "../introspect/snapshot.js";
import type { Warning } from "../log.js";
import type { ConfiguredOutputType } from "./schema/types-document.js";

/** By MCP tool name: the output type of each listed tool the config gives one. */
export function configuredOutputs(
  snapshot: ServerSnapshot,
  outputs: Readonly<Record<string, ResolvedToolOutput>> | undefined,
  serverDir: string | undefined,
  warnings: Warning[],
): Map<string, ConfiguredOutputType> {
  const result = new Map<string, ConfiguredOutputType>();
  if (!outputs) return result;
  const listed = new Map(snapshot.tools.map((tool) => [tool.name, tool]));
  for (const [name, output] of Object.entries(outputs)) {
    const warn = (message: string) =>
      warnings.push({ server: snapshot.name, tool: name, field: `outputs.${name}`, message });
    const tool = listed.get(name);
    if (!tool) {
      warn("the config gives an output type to a tool the server does not list; it is unused");
    } else if (tool.outputSchema !== undefined) {
      warn("the server declares an outputSchema for this tool; it is used, not the config's");
    } else if (output.kind === "schema") {
      result.set(name, { schema: output.schema as JsonObject });
    } else if (serverDir === undefined) {
      warn("an output type from a file needs the tree's folder; the tool returns a ContentResult");
    } else {
      result.set(name, {
        tsType: `import(${JSON.stringify(importSpecifier(serverDir, output.file))}).${output.type}`,
      });
    }
  }
  return result;
}

/**
 * The module specifier for `file` from a tool file in `serverDir`: relative, POSIX, with the
 * extension TypeScript resolves to it (`types.ts` → `types.js`, `.mts` → `.mjs`).
 */
function importSpecifier(serverDir: string, file: string): string {
  const relative = path.relative(serverDir, file).split(path.sep).join("/");
  const specifier = relative.startsWith(".") ? relative : `./${relative}`;
  return specifier
    .replace(/\.d\.ts$/, ".js")
    .replace(/\.ts$/, ".js")
    .replace(/\.mts$/, ".mjs")
    .replace(/\.cts$/, ".cjs");
}
