/**
 * One schema document per tool that holds its input type and, when there is one, its output
 * type, so that a single compile names every nested type once and the two never clash.
 *
 *   { title: <T>Types, properties: { input: $ref <T>Input, output: $ref <T>Output },
 *     $defs: { <T>Input, <T>Output, …the definitions of both, renamed } }
 *
 * The emitter compiles the `$defs` and `properties` of many tools' documents at once (see
 * `emit/compile-batch.ts`): the `<T>Types` container itself is never declared.
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

/**
 * An output the config gives a tool without an `outputSchema`: a schema whose root may be any
 * JSON (the text result is parsed, not structured content), or a TypeScript type expression.
 */
export type ConfiguredOutputType = { readonly schema: JsonObject } | { readonly tsType: string };

/**
 * The tool's types document (see above): its input and output schemas lowered, their
 * definitions renamed so that no two share a name, under one container. `configured`: the
 * output the config gives a tool without an `outputSchema`.
 */
export function buildTypesDocument(
  tool: ToolDefinition,
  typeName: string,
  limits: SchemaLimits,
  warn: (path: string, message: string) => void,
  configured?: ConfiguredOutputType,
): JsonObject {
  const own = tool.outputSchema;
  // The server's own outputSchema wins over the config's (the model warns about that).
  const parsedText = !own && configured && "schema" in configured ? configured.schema : undefined;
  const tsType = !own && configured && "tsType" in configured ? configured.tsType : undefined;
  const outputSchema = own ?? parsedText;
  const names = typesDocumentNames(typeName);
  const taken = new Set(Object.values(names).map((n) => n.toLowerCase()));
  const inputRefs = buildRefTable(tool.inputSchema, `#/$defs/${names.input}`, taken);
  const outputRefs = outputSchema
    ? buildRefTable(outputSchema, `#/$defs/${names.output}`, taken)
    : undefined;
  // Nested titles must not take a name the document already uses.
  const lowering: Lowering = { limits, reservedNames: taken, warn };

  const defs: JsonObject = {};
  lowerDocument(defs, tool.inputSchema, "inputSchema", inputRefs, names.input, lowering);
  if (outputSchema && outputRefs) {
    // Parsed text may be any JSON, not only an object: its root stays as the schema says.
    const objectRoot = parsedText === undefined;
    const output = [outputSchema, "outputSchema", outputRefs, names.output] as const;
    lowerDocument(defs, ...output, lowering, objectRoot);
  }
  // A type from the project's own files, written as the config says (trusted, unlike servers).
  if (tsType !== undefined) defs[names.output] = { tsType, title: names.output };
  return container(names, outputSchema !== undefined || tsType !== undefined, defs);
}

/** What lowering the input and the output share. */
type Lowering = Pick<LowerContext, "limits" | "reservedNames" | "warn">;

/**
 * Lowers one of the tool's schemas into `defs`: its root as `rootName`, then each of its
 * definitions under the name its ref table gave it.
 */
function lowerDocument(
  defs: JsonObject,
  schema: JsonObject,
  field: string,
  refs: RefTable,
  rootName: string,
  lowering: Lowering,
  objectRoot = true,
): void {
  const ctx: LowerContext = {
    ...lowering,
    refs,
    document: schema,
    inlineBudget: { left: 256 },
  };
  const root = lowerSchema(schema, field, ctx);
  defs[rootName] = objectRoot ? rootObject(root, rootName) : { ...root, title: rootName };
  const definitions = new Map(readDefinitions(schema));
  for (const { key, name } of refs.definitions) {
    const lowered = lowerSchema(definitions.get(key), `${field}.$defs.${key}`, ctx, 1);
    defs[name] = { ...lowered, title: name };
  }
}

/**
 * The tool's input and output are always objects with a fixed name. One that lists no
 * properties is an open record, as JSON Schema says (`{ "type": "object" }` accepts any
 * object): every value the schema accepts must type-check; only `additionalProperties: false`
 * closes it. The root is an object whatever it says: "admits any value" means any object here.
 */
function rootObject(root: JsonObject, rootName: string): JsonObject {
  const { tsType, ...rest } = root;
  const shape = tsType === "unknown" ? rest : root;
  const open = shape.properties === undefined && shape.additionalProperties === undefined;
  return {
    ...shape,
    type: "object",
    title: rootName,
    ...(open ? { additionalProperties: true } : {}),
  };
}

/** The `<T>Types` container: `input` (and `output`) pointing at their definitions. */
function container(names: TypesDocumentNames, hasOutput: boolean, defs: JsonObject): JsonObject {
  const properties: JsonObject = { input: { $ref: `#/$defs/${names.input}` } };
  if (hasOutput) properties.output = { $ref: `#/$defs/${names.output}` };
  return {
    title: names.container,
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
    $defs: defs,
  };
}
