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
import { lowerSchema, type LowerContext } from "./lower.js";
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
    const ctx: LowerContext = {
      refs,
      limits,
      reservedNames,
      warn,
      document: schema,
      inlineBudget: { left: 256 },
    };
    const root = lowerSchema(schema, field, ctx);
    // The tool's input and output are always objects with a fixed name. One that lists no
    // properties is an open record, as JSON Schema says (`{ "type": "object" }` accepts any
    // object): every value the schema accepts must type-check; only
    // `additionalProperties: false` closes it.
    // The root is an object whatever it says: "admits any value" means any object here.
    const { tsType, ...rest } = root;
    const shape = tsType === "unknown" ? rest : root;
    const open = shape.properties === undefined && shape.additionalProperties === undefined;
    defs[rootName] = {
      ...shape,
      type: "object",
      title: rootName,
      ...(open ? { additionalProperties: true } : {}),
    };
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
