/**
 * Rebuilds one JSON Schema into the subset json-schema-to-typescript understands and nothing
 * more. Keywords are copied by allow-list, so nothing a server adds (its `tsType`, `$id`, a
 * remote `$ref`) reaches the type compiler. Each rule is named by the sentence in its comment.
 */
import type { JsonObject, JsonValue } from "../../introspect/snapshot.js";
import { toCommentText } from "../text.js";
import { toSafeTypeName } from "../identifiers.js";
import type { SchemaLimits } from "./limits.js";
import { resolveRef, type RefTable } from "./refs.js";

export interface LowerContext {
  readonly refs: RefTable;
  readonly limits: SchemaLimits;
  /** Type names the tool's own declarations use: a nested title must not take them. */
  readonly reservedNames: ReadonlySet<string>;
  /** `path` is a dotted path from the tool's schema root, e.g. `inputSchema.properties.id`. */
  readonly warn: (path: string, message: string) => void;
  /** The whole schema document, where a `$ref` into the middle of it (`#/properties/x`) points. */
  readonly document?: JsonObject;
  /** Pointers being inlined right now, outermost first: one met again is a cycle. */
  readonly inlining?: readonly string[];
  /**
   * How many more pointers into the middle of the document may be inlined, shared by the whole
   * document: a hostile schema pointing a thousand times at a big part must not multiply it.
   */
  readonly inlineBudget?: { left: number };
}

const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const UNKNOWN: JsonObject = {};
/** The type that admits no value; a fresh object each time, as the compiler annotates nodes. */
const nothing = (): JsonObject => ({ tsType: "never" });

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isPrimitive = (v: JsonValue): v is string | number | boolean | null =>
  v === null || typeof v !== "object";

/** Lowers `schema` found at `path`; `depth` counts subschemas from the tool's root. */
export function lowerSchema(
  schema: JsonValue | undefined,
  path: string,
  ctx: LowerContext,
  depth = 0,
): JsonObject {
  if (!isObject(schema) || depth > ctx.limits.maxDepth) return lowerNonSchema(schema, path, ctx);
  const out = annotationsOf(schema, ctx);
  if (typeof schema.$ref === "string") return lowerRef(schema.$ref, out, path, ctx, depth);
  lowerType(schema, out);
  lowerEnum(schema, out, path, ctx);
  const sub = (value: JsonValue | undefined, at: string) => lowerSchema(value, at, ctx, depth + 1);
  lowerObject(schema, out, path, ctx, sub);
  lowerArray(schema, out, path, sub);
  lowerCombinations(schema, out, path, sub);
  return withoutShapeUnknown(out);
}

/** What stands for a boolean subschema, a value that is not a schema, or one nested too deep. */
function lowerNonSchema(
  schema: JsonValue | undefined,
  path: string,
  ctx: LowerContext,
): JsonObject {
  // A boolean subschema: `true` admits anything, `false` nothing.
  if (schema === true) return UNKNOWN;
  if (schema === false) return nothing();
  if (!isObject(schema)) ctx.warn(path, "is not a schema; typed as unknown");
  else ctx.warn(path, `nests deeper than ${ctx.limits.maxDepth} levels; typed as unknown`);
  return UNKNOWN;
}

/** A fresh lowered schema holding the annotations every schema keeps: description, title, deprecated. */
function annotationsOf(schema: JsonObject, ctx: LowerContext): JsonObject {
  const out: JsonObject = {};
  copyDescription(schema, out, ctx);
  copyTitle(schema, out, ctx);
  if (schema.deprecated === true) out.deprecated = true;
  return out;
}

/**
 * Only local references survive. A sibling description is kept on a one-item `allOf`: next to
 * the `$ref` itself it would make the type compiler declare a second copy of the target type.
 * A sibling title is dropped: the target already has its name.
 */
function lowerRef(
  ref: string,
  out: JsonObject,
  path: string,
  ctx: LowerContext,
  depth: number,
): JsonObject {
  const target = resolveRef(ref, ctx.refs);
  const inner = target.kind === "dangling" ? pointedAt(ref, ctx) : undefined;
  if (inner !== undefined) return inlinePointedAt(ref, inner, out, path, ctx, depth);
  if (target.kind === "local") {
    const { title: _title, ...annotations } = out;
    const pointer: JsonObject = { $ref: target.pointer };
    return Object.keys(annotations).length > 0 ? { ...annotations, allOf: [pointer] } : pointer;
  }
  ctx.warn(
    path,
    target.kind === "dangling"
      ? `$ref "${clip(ref)}" points at nothing in the schema; typed as unknown`
      : `$ref "${clip(ref)}" is not local; remote and file references are never resolved, typed as unknown`,
  );
  return withoutShapeUnknown(out);
}

/**
 * A pointer into the middle of the schema (`#/properties/nextThoughtNeeded`): the value there,
 * lowered in place. One that leads back into itself is a cycle, and one past the document's
 * inlining budget too many: unknown.
 */
function inlinePointedAt(
  ref: string,
  inner: JsonValue,
  out: JsonObject,
  path: string,
  ctx: LowerContext,
  depth: number,
): JsonObject {
  if (ctx.inlining?.includes(ref)) {
    ctx.warn(path, `$ref "${clip(ref)}" refers to itself; typed as unknown`);
    return withoutShapeUnknown(out);
  }
  if (ctx.inlineBudget && ctx.inlineBudget.left-- <= 0) {
    ctx.warn(path, `$ref "${clip(ref)}": too many references into the schema; typed as unknown`);
    return withoutShapeUnknown(out);
  }
  // Its title is dropped: the part it points at may be typed where it is, under that name.
  const { title: _title, ...inlined } = lowerSchema(
    inner,
    path,
    { ...ctx, inlining: [...(ctx.inlining ?? []), ref] },
    depth + 1,
  );
  return { ...inlined, ...out };
}

/** `anyOf`, `oneOf` and `allOf` keep their non-empty lists, each member lowered. */
function lowerCombinations(schema: JsonObject, out: JsonObject, path: string, sub: Lower): void {
  for (const keyword of ["anyOf", "oneOf", "allOf"] as const) {
    const list = schema[keyword];
    if (Array.isArray(list) && list.length > 0) {
      out[keyword] = list.map((s, i) => sub(s, `${path}.${keyword}[${i}]`));
    }
  }
}

function copyDescription(schema: JsonObject, out: JsonObject, ctx: LowerContext): void {
  if (typeof schema.description !== "string") return;
  const text = toCommentText(schema.description, ctx.limits.maxPropertyDescription);
  if (text) out.description = text;
}

/** A title names a type only when it makes a safe, free identifier; otherwise it is dropped. */
function copyTitle(schema: JsonObject, out: JsonObject, ctx: LowerContext): void {
  if (typeof schema.title !== "string") return;
  const name = toSafeTypeName(schema.title);
  if (name && !ctx.reservedNames.has(name.toLowerCase())) out.title = name;
}

/** `type` keeps known type names; OpenAPI's `nullable: true` adds `null`. */
function lowerType(schema: JsonObject, out: JsonObject): void {
  const raw = schema.type;
  let types = (Array.isArray(raw) ? raw : [raw]).filter(
    (t): t is string => typeof t === "string" && JSON_TYPES.has(t),
  );
  types = [...new Set(types)];
  if (types.length > 0 && schema.nullable === true && !types.includes("null")) types.push("null");
  if (types.length === 1) out.type = types[0]!;
  else if (types.length > 1) out.type = types;
}

/** `const` becomes a one-value enum; enums keep primitive values and are capped in size. */
function lowerEnum(schema: JsonObject, out: JsonObject, path: string, ctx: LowerContext): void {
  const values =
    schema.const !== undefined ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : null;
  if (!values || values.length === 0) return;
  if (!values.every(isPrimitive)) {
    ctx.warn(path, "has enum values that are objects or arrays; typed by its type alone");
    return;
  }
  const unique = [...new Set(values)];
  if (unique.length > ctx.limits.maxEnumValues) {
    ctx.warn(
      path,
      `has ${unique.length} enum values (over ${ctx.limits.maxEnumValues}); typed by its type alone`,
    );
    const kinds = new Set(unique.map((v) => (v === null ? "null" : typeof v)));
    if (out.type === undefined && kinds.size === 1) out.type = [...kinds][0]!;
    return;
  }
  out.enum = unique;
}

/** The value a local JSON pointer (`#/a/b~1c/0`) names in the document, if any. */
function pointedAt(ref: string, ctx: LowerContext): JsonValue | undefined {
  if (ctx.document === undefined || !ref.startsWith("#/")) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(ref.slice(2));
  } catch {
    return undefined;
  }
  let at: JsonValue | undefined = ctx.document;
  for (const raw of decoded.split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(at)) at = /^(0|[1-9][0-9]*)$/.test(key) ? at[Number(key)] : undefined;
    else if (isObject(at) && Object.hasOwn(at, key)) at = at[key];
    else return undefined;
    if (at === undefined) return undefined;
  }
  return at;
}

/** Keywords that give a lowered schema a shape; without any, it admits every value. */
const SHAPE_KEYWORDS = [
  "type",
  "enum",
  "properties",
  "additionalProperties",
  "items",
  "anyOf",
  "oneOf",
  "allOf",
  "$ref",
  "tsType",
] as const;

/**
 * A schema that says nothing of its value's shape (`{ "description": "any value" }`) admits any
 * value: `unknown`, where the type compiler would otherwise make it an object.
 */
function withoutShapeUnknown(out: JsonObject): JsonObject {
  if (SHAPE_KEYWORDS.some((keyword) => out[keyword] !== undefined)) return out;
  return Object.keys(out).length === 0 ? out : { ...out, tsType: "unknown" };
}

type Lower = (value: JsonValue | undefined, path: string) => JsonObject;

/** Objects: properties, what other keys may hold, and the keys only a condition names. */
function lowerObject(
  schema: JsonObject,
  out: JsonObject,
  path: string,
  ctx: LowerContext,
  sub: Lower,
): void {
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  const count = properties ? Object.keys(properties).length : 0;
  if (properties && count > ctx.limits.maxProperties) {
    ctx.warn(
      path,
      `has ${count} properties (over ${ctx.limits.maxProperties}); typed as a record of unknown`,
    );
    out.additionalProperties = true;
    return;
  }
  if (properties) lowerProperties(schema, properties, out, path, sub);
  lowerAdditionalProperties(schema, out, path, sub);
  lowerEmptyObject(schema, out);
  addConditionalKeys(schema, out);
}

/** Each listed property lowered; `required` keeps the names that are listed. */
function lowerProperties(
  schema: JsonObject,
  properties: JsonObject,
  out: JsonObject,
  path: string,
  sub: Lower,
): void {
  const names = Object.keys(properties);
  if (names.length === 0) return;
  const listed = new Set(names);
  const required = new Set(
    Array.isArray(schema.required)
      ? schema.required.filter((r): r is string => typeof r === "string" && listed.has(r))
      : [],
  );
  const lowerProperty = (name: string) => {
    let property = sub(properties[name], `${path}.properties.${name}`);
    if (!required.has(name)) property = admitInherited(name, property);
    return name === "__proto__" ? withProtoKeyNote(property) : property;
  };
  // fromEntries defines own properties: a property named `__proto__` stays a property.
  out.properties = Object.fromEntries(names.map((name) => [name, lowerProperty(name)]));
  if (required.size > 0) out.required = [...required];
}

/**
 * `additionalProperties`, with pattern properties folded into it: TypeScript cannot key by a
 * regex. Keys that match a pattern are allowed even when `additionalProperties` is false.
 * Without `additionalProperties`, a key that matches none may hold anything: the signature is
 * unknown.
 */
function lowerAdditionalProperties(
  schema: JsonObject,
  out: JsonObject,
  path: string,
  sub: Lower,
): void {
  const additional = schema.additionalProperties;
  if (typeof additional === "boolean") out.additionalProperties = additional;
  else if (isObject(additional))
    out.additionalProperties = sub(additional, `${path}.additionalProperties`);

  const patternSchemas = isObject(schema.patternProperties)
    ? Object.values(schema.patternProperties)
    : [];
  if (patternSchemas.length > 0 && out.additionalProperties === undefined) {
    out.additionalProperties = true;
  } else if (patternSchemas.length > 0 && out.additionalProperties !== true) {
    const patterns = patternSchemas.map((s, i) => sub(s, `${path}.patternProperties[${i}]`));
    const existing = isObject(out.additionalProperties) ? [out.additionalProperties] : [];
    const all = [...existing, ...patterns];
    out.additionalProperties = all.length === 1 ? all[0]! : { anyOf: all };
  }
}

/**
 * An object schema with no properties at all is an open record, not `{}`; a closed one admits
 * only `{}`, which TypeScript can say only with a `never` index signature (`{}` takes anything).
 */
function lowerEmptyObject(schema: JsonObject, out: JsonObject): void {
  const isObjectType =
    out.type === "object" || (Array.isArray(out.type) && out.type.includes("object"));
  if (isObjectType && out.properties === undefined && out.additionalProperties === undefined) {
    out.additionalProperties = true;
  }
  const combined = ["anyOf", "oneOf", "allOf"].some((k) => Array.isArray(schema[k]));
  if (isObjectType && !combined && !out.properties && out.additionalProperties === false) {
    out.additionalProperties = nothing();
  }
}

/**
 * Keys that only a condition names (`then`, `else`, `dependentSchemas`, `dependentRequired`,
 * draft-07 `dependencies`) are optional properties of any value: whether they must be there,
 * and what they hold, depends on other keys, which TypeScript cannot say. Needed only where
 * other keys are refused in an object literal (no index signature); where
 * `additionalProperties` is false or a schema, it applies to these keys too.
 */
function addConditionalKeys(schema: JsonObject, out: JsonObject): void {
  if (out.additionalProperties !== undefined || !isObject(out.properties)) return;
  const listed = out.properties;
  const named = new Set<string>();
  const addFrom = (part: JsonValue | undefined) => {
    if (Array.isArray(part)) {
      for (const name of part) if (typeof name === "string") named.add(name);
    } else if (isObject(part)) {
      if (isObject(part.properties))
        for (const name of Object.keys(part.properties)) named.add(name);
      addFrom(part.required);
    }
  };
  addFrom(schema.then);
  addFrom(schema.else);
  for (const keyword of ["dependentSchemas", "dependentRequired", "dependencies"] as const) {
    const map = schema[keyword];
    if (isObject(map)) for (const part of Object.values(map)) addFrom(part);
  }
  const added = [...named].filter((name) => !Object.hasOwn(listed, name));
  if (added.length === 0) return;
  // fromEntries defines own properties: a key named `__proto__` stays a key.
  out.properties = Object.fromEntries([
    ...Object.entries(listed),
    ...added.map((name): [string, JsonValue] => [name, {}]),
  ]);
}

/**
 * Members every object inherits from `Object.prototype`, as TypeScript's `Object` interface
 * declares them. An object literal that leaves out an optional property of such a name is
 * checked against the inherited member instead: with `constructor?: string`, `{}` is rejected
 * (`Function` is not `string`).
 */
const INHERITED_MEMBERS: ReadonlySet<string> = new Set([
  "constructor",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "toString",
  "valueOf",
]);

/**
 * An optional property named like an inherited member also admits that member's type
 * (`constructor?: string | Object["constructor"]`), so that every object the schema accepts
 * without it type-checks, and reading it says what is really there when it is absent. The
 * extra type is only ever a function, which JSON leaves out: what is sent is as if the key
 * were absent, which an optional property allows.
 */
function admitInherited(name: string, property: JsonObject): JsonObject {
  if (!INHERITED_MEMBERS.has(name)) return property;
  if (!SHAPE_KEYWORDS.some((k) => property[k] !== undefined) || property.tsType === "unknown") {
    return property; // unknown already admits it
  }
  const { description, deprecated, ...shape } = property;
  return {
    ...(description !== undefined ? { description } : {}),
    ...(deprecated !== undefined ? { deprecated } : {}),
    anyOf: [shape, { tsType: `Object[${JSON.stringify(name)}]` }],
  };
}

/**
 * `__proto__` is a plain key in JSON but not in a JavaScript object literal, where
 * `{ __proto__: x }` sets the prototype and sends nothing. TypeScript accepts both spellings,
 * so the property's comment says which one works.
 */
function withProtoKeyNote(property: JsonObject): JsonObject {
  const note =
    'Write it as `["__proto__"]: …` (a bare `__proto__:` sets the prototype instead); ' +
    'present only if `Object.hasOwn(obj, "__proto__")`.';
  const description = typeof property.description === "string" ? property.description : "";
  return { ...property, description: description ? `${description}\n\n${note}` : note };
}

/** Arrays: 2020-12 `prefixItems` become a draft-04 tuple, its `items` the rest. */
function lowerArray(schema: JsonObject, out: JsonObject, path: string, sub: Lower): void {
  if (Array.isArray(schema.prefixItems)) {
    out.items = schema.prefixItems.map((s, i) => sub(s, `${path}.prefixItems[${i}]`));
    const rest = schema.items;
    if (rest !== undefined && !Array.isArray(rest))
      out.additionalItems = rest === false ? false : sub(rest, `${path}.items`);
    return;
  }
  if (Array.isArray(schema.items)) {
    out.items = schema.items.map((s, i) => sub(s, `${path}.items[${i}]`));
    const extra = schema.additionalItems;
    if (typeof extra === "boolean") out.additionalItems = extra;
    else if (isObject(extra)) out.additionalItems = sub(extra, `${path}.additionalItems`);
  } else if (schema.items !== undefined) {
    out.items = sub(schema.items, `${path}.items`);
  }
}

function clip(text: string): string {
  return toCommentText(text, 80).replace(/"/g, "'");
}
