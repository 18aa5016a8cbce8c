/**
 * One schema document per tool that holds its input type and, when there is one, its output
 * type, so that a single compile names every nested type once and the two never clash.
 *
 *   { title: <T>Types, properties: { input: $ref <T>Input, output: $ref <T>Output },
 *     $defs: { <T>Input, <T>Output, …the definitions of both, renamed } }
 *
 * The emitter drops the `<T>Types` container after compiling.
 */
import type { JsonObject, ToolDefinition } from "../../introspect/snapshot.js";
import { lowerSchema, nothing, type LowerContext } from "./lower.js";
import type { SchemaLimits } from "./limits.js";
import { buildRefTable, readDefinitions, type RefTable } from "./refs.js";

export interface TypesDocumentNames {
  readonly container: string;
  readonly input: string;
  readonly output: string;
}

export function typesDocumentNames(typeName: string): TypesDocumentNames {
  return { container: `${typeName}Types`, input: `${typeName}Input`, output: `${typeName}Output` };
}

export function buildTypesDocument(
  tool: ToolDefinition,
  typeName: string,
  limits: SchemaLimits,
  warn: (path: string, message: string) => void,
): JsonObject {
  const names = typesDocumentNames(typeName);
  const taken = new Set(Object.values(names).map((n) => n.toLowerCase()));
  const inputRefs = buildRefTable(tool.inputSchema, `#/$defs/${names.input}`, taken);
  const outputRefs = tool.outputSchema
    ? buildRefTable(tool.outputSchema, `#/$defs/${names.output}`, taken)
    : undefined;
  // Nested titles must not take a name the document already uses.
  const reservedNames: ReadonlySet<string> = taken;

  const defs: JsonObject = {};
  const lowerDocument = (schema: JsonObject, field: string, refs: RefTable, rootName: string) => {
    const ctx: LowerContext = { refs, limits, reservedNames, warn };
    const root = lowerSchema(schema, field, ctx);
    // The tool's input and output are always objects with a fixed name. An output that lists
    // no properties stays an open record: the server may return anything in it.
    const closed = field === "inputSchema" ? closedWhenEmpty(schema, root) : {};
    defs[rootName] = { ...root, type: "object", title: rootName, ...closed };
    const definitions = new Map(readDefinitions(schema));
    for (const { key, name } of refs.definitions) {
      const lowered = lowerSchema(definitions.get(key), `${field}.$defs.${key}`, ctx, 1);
      defs[name] = { ...lowered, title: name };
    }
  };
  lowerDocument(tool.inputSchema, "inputSchema", inputRefs, names.input);
  if (tool.outputSchema && outputRefs) {
    lowerDocument(tool.outputSchema, "outputSchema", outputRefs, names.output);
  }

  const properties: JsonObject = { input: { $ref: `#/$defs/${names.input}` } };
  if (tool.outputSchema) properties.output = { $ref: `#/$defs/${names.output}` };
  return {
    title: names.container,
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
    $defs: defs,
  };
}

/**
 * A tool that takes no arguments says `{ type: "object" }`: its input is an empty, closed
 * interface, not an open record, so that a stray argument is a type error. An object whose
 * properties were over the limit is not empty: it stays the open record it was lowered to.
 */
function closedWhenEmpty(original: JsonObject, root: JsonObject): JsonObject {
  const saysOpen =
    original.additionalProperties !== undefined || original.patternProperties !== undefined;
  const listed = original.properties;
  const hadProperties =
    typeof listed === "object" && listed !== null && Object.keys(listed).length > 0;
  const hasShape =
    root.properties !== undefined || root.anyOf || root.oneOf || root.allOf || hadProperties;
  return hasShape || saysOpen ? {} : { additionalProperties: nothing() };
}
