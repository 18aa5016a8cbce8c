/**
 * A tool's input or output as a TypeScript type written out, for the summary: the fields and
 * their types, read from the lowered schema that the tool file's types are compiled from.
 *
 * Only what reads the same in both is written out: primitives, literal unions, arrays, objects
 * with plain keys, `anyOf`/`oneOf`. Everything else (references, `allOf`, tuples, any keyword
 * this does not know, parts nested past the depth asked for) is written as an indexed access
 * into the tool's own type, `Types.SearchInput["filters"]`, which is exact by construction.
 * A test holds every summary's functions mutually assignable with the tool files' own.
 */
import { isRecord } from "./manifest.js";

export type Shape =
  | { readonly kind: "text"; readonly text: string; readonly ref?: Ref }
  | { readonly kind: "union"; readonly members: readonly Shape[]; readonly ref?: Ref }
  | { readonly kind: "array"; readonly element: Shape; readonly ref?: Ref }
  | { readonly kind: "object"; readonly members: readonly Member[]; readonly ref?: Ref };

export interface Member {
  /** As written: `id`, `"a b"`, or `[k: string]` for an index signature. */
  readonly key: string;
  readonly optional: boolean;
  readonly shape: Shape;
}

/** The type at a shape's place, as an indexed access into the tool's declared type. */
export interface Ref {
  readonly text: string;
  /** An optional property's type includes `undefined`: index it through `NonNullable`. */
  readonly undefinable: boolean;
}

/** Keywords the lowered schema may hold that this module reads; any other means "refer". */
const KNOWN = new Set([
  "type",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "anyOf",
  "oneOf",
  "tsType",
  "title",
  "description",
  "deprecated",
]);
const PRIMITIVES: Readonly<Record<string, string>> = {
  string: "string",
  number: "number",
  integer: "number",
  boolean: "boolean",
  null: "null",
};
/** Longer literal unions are left to the tool file: the summary is for a glance. */
const MAX_LITERALS = 16;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The shape of `schema`, written out to `depth` levels of objects (0: the root's own type by
 * name). `ref` is the root's type, `Types.<T>Input`.
 */
export function shapeOf(schema: unknown, ref: string, depth: number): Shape {
  const root = { text: ref, undefinable: false };
  return build(schema, root, depth) ?? { kind: "text", text: ref, ref: root };
}

function build(schema: unknown, ref: Ref | undefined, depth: number): Shape | undefined {
  const refer = (): Shape | undefined => ref && { kind: "text", text: ref.text, ref };
  const text = (value: string): Shape => ({ kind: "text", text: value, ...(ref ? { ref } : {}) });
  if (!isRecord(schema) || Object.keys(schema).some((key) => !KNOWN.has(key))) return refer();
  const at = ref ? { ref } : {};
  const has = (key: string) => schema[key] !== undefined;
  const structured = has("properties") || has("additionalProperties") || has("items");

  if (has("tsType")) {
    const only = !structured && !has("type") && !has("enum") && !has("anyOf") && !has("oneOf");
    return only && (schema.tsType === "unknown" || schema.tsType === "never")
      ? text(schema.tsType)
      : refer();
  }
  if (has("enum")) {
    if (structured || !Array.isArray(schema.enum) || schema.enum.length > MAX_LITERALS) {
      return refer();
    }
    const literals = schema.enum.map(literal);
    if (literals.some((l) => l === undefined)) return refer();
    const members = (literals as string[]).map((l): Shape => ({ kind: "text", text: l }));
    return members.length === 1 ? text(literals[0]!) : { kind: "union", members, ...at };
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) {
    if (structured || has("type") || (has("anyOf") && has("oneOf"))) return refer();
    if (!Array.isArray(alternatives) || alternatives.length === 0) return refer();
    const members = alternatives.map((s) => build(s, undefined, depth));
    if (members.some((m) => m === undefined)) return refer();
    const flat = (members as Shape[]).flatMap((m) => (m.kind === "union" ? m.members : [m]));
    return flat.length === 1 ? { ...flat[0]!, ...at } : { kind: "union", members: flat, ...at };
  }

  const types = Array.isArray(schema.type) ? schema.type : has("type") ? [schema.type] : [];
  if (types.length > 1) {
    const names = types.map((t) => (typeof t === "string" ? PRIMITIVES[t] : undefined));
    if (structured || names.some((n) => n === undefined)) return refer();
    const members = [...new Set(names as string[])].map((n): Shape => ({ kind: "text", text: n }));
    return members.length === 1 ? text(names[0]!) : { kind: "union", members, ...at };
  }
  const [type] = types;
  if (type === "array") return buildArray(schema.items, ref, depth) ?? refer();
  if (
    type === "object" ||
    (type === undefined && (has("properties") || has("additionalProperties")))
  ) {
    return buildObject(schema, ref, depth) ?? refer();
  }
  if (structured) return refer();
  if (type === undefined) return text("unknown");
  return typeof type === "string" && PRIMITIVES[type] ? text(PRIMITIVES[type]) : refer();
}

function buildArray(items: unknown, ref: Ref | undefined, depth: number): Shape | undefined {
  const at = ref ? { ref } : {};
  if (items === undefined)
    return { kind: "array", element: { kind: "text", text: "unknown" }, ...at };
  if (Array.isArray(items)) return undefined;
  const element = build(items, step(ref, "[number]", false), depth);
  return element && { kind: "array", element, ...at };
}

function buildObject(
  schema: Record<string, unknown>,
  ref: Ref | undefined,
  depth: number,
): Shape | undefined {
  if (depth <= 0) return undefined;
  const properties = schema.properties ?? {};
  if (!isRecord(properties)) return undefined;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const members: Member[] = [];
  for (const [name, value] of Object.entries(properties)) {
    const key = propertyKey(name);
    if (key === undefined) return undefined;
    const optional = !required.has(name);
    const keyRef = quoted(name);
    const shape = build(value, keyRef ? step(ref, `[${keyRef}]`, optional) : undefined, depth - 1);
    if (shape === undefined) return undefined;
    members.push({ key, optional, shape });
  }
  const additional = schema.additionalProperties;
  if (additional !== undefined && additional !== false) {
    // An index signature beside properties must admit their types too: left to the tool file
    // unless it admits anything.
    const index =
      additional === true
        ? ({ kind: "text", text: "unknown" } as const)
        : members.length === 0
          ? build(additional, step(ref, "[string]", false), depth - 1)
          : undefined;
    if (index === undefined) return undefined;
    members.push({ key: "[k: string]", optional: false, shape: index });
  }
  return { kind: "object", members, ...(ref ? { ref } : {}) };
}

/** The ref one step further in, or none: a union member has no path of its own. */
function step(ref: Ref | undefined, access: string, undefinable: boolean): Ref | undefined {
  if (ref === undefined) return undefined;
  const base = ref.undefinable ? `NonNullable<${ref.text}>` : ref.text;
  return { text: `${base}${access}`, undefinable };
}

/** A key written as prettier leaves it: bare when an ASCII identifier, else double-quoted. */
function propertyKey(name: string): string | undefined {
  return IDENTIFIER.test(name) ? name : quoted(name);
}

/**
 * A string literal that prettier keeps as it is and that needs no escape: printable ASCII
 * without quotes or backslashes. Other text stays in the tool file, where it is escaped.
 */
function quoted(value: string): string | undefined {
  return /^[\x20-\x7e]*$/.test(value) && !/["\\]/.test(value) ? `"${value}"` : undefined;
}

function literal(value: unknown): string | undefined {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "string") return quoted(value);
  if (typeof value === "number") {
    const text = String(value);
    return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(text) ? text : undefined;
  }
  return undefined;
}

/** The shape on one line. */
export function flatText(shape: Shape): string {
  switch (shape.kind) {
    case "text":
      return shape.text;
    case "union":
      return shape.members.map(flatText).join(" | ");
    case "array": {
      const element = flatText(shape.element);
      return shape.element.kind === "union" ? `(${element})[]` : `${element}[]`;
    }
    case "object":
      if (shape.members.length === 0) return "{}";
      return `{ ${shape.members.map((m) => `${memberHead(m)}${flatText(m.shape)}`).join("; ")} }`;
  }
}

export function memberHead(member: Member): string {
  return `${member.key}${member.optional ? "?" : ""}: `;
}
