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
import { isRecord } from "../plain-json.js";

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

/**
 * The type at a shape's place, as an indexed access into the tool's declared type. Its text is
 * spelt out only when used (`refText`): most places never need it.
 */
export interface Ref {
  readonly parent?: Ref;
  /** The root's type name, or the step from the parent: `["id"]`, `[number]`, `[string]`. */
  readonly access: string;
  /** An optional property's type includes `undefined`: index it through `NonNullable`. */
  readonly undefinable: boolean;
}

export function refText(ref: Ref): string {
  if (ref.parent === undefined) return ref.access;
  const base = refText(ref.parent);
  return `${ref.parent.undefinable ? `NonNullable<${base}>` : base}${ref.access}`;
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
const UNKNOWN: Shape = { kind: "text", text: "unknown" };

/**
 * The shape of `schema`, written out to `depth` levels of objects (0: the root's own type by
 * name). `ref` is the root's type, `Types.<T>Input`.
 */
export function shapeOf(schema: unknown, ref: string, depth: number): Shape {
  const root: Ref = { access: ref, undefinable: false };
  return build(schema, root, depth) ?? { kind: "text", text: ref, ref: root };
}

/** The shape that refers to `ref`, or none where there is no path (inside a union). */
function refer(ref: Ref | undefined): Shape | undefined {
  return ref && { kind: "text", text: refText(ref), ref };
}

/** Runs once a node of every tool's schema: written for speed, without closures. */
function build(schema: unknown, ref: Ref | undefined, depth: number): Shape | undefined {
  if (!isRecord(schema)) return refer(ref);
  for (const key in schema) if (!KNOWN.has(key)) return refer(ref);
  const { type, anyOf, oneOf } = schema;
  const structured =
    schema.properties !== undefined ||
    schema.additionalProperties !== undefined ||
    schema.items !== undefined;

  if (schema.tsType !== undefined) {
    const only = !structured && type === undefined && schema.enum === undefined && !anyOf && !oneOf;
    const t = schema.tsType;
    return only && (t === "unknown" || t === "never") ? { kind: "text", text: t, ref } : refer(ref);
  }
  if (schema.enum !== undefined) {
    return (structured ? undefined : buildEnum(schema.enum, ref)) ?? refer(ref);
  }
  const alternatives = anyOf ?? oneOf;
  if (alternatives !== undefined) {
    if (structured || type !== undefined || (anyOf !== undefined && oneOf !== undefined)) {
      return refer(ref);
    }
    if (!Array.isArray(alternatives) || alternatives.length === 0) return refer(ref);
    const members: Shape[] = [];
    for (const alternative of alternatives) {
      const member = build(alternative, undefined, depth);
      if (member === undefined) return refer(ref);
      if (member.kind === "union") members.push(...member.members);
      else members.push(member);
    }
    return members.length === 1 ? { ...members[0]!, ref } : { kind: "union", members, ref };
  }

  if (Array.isArray(type)) {
    if (structured) return refer(ref);
    const names: string[] = [];
    for (const t of type) {
      const name = typeof t === "string" ? PRIMITIVES[t] : undefined;
      if (name === undefined) return refer(ref);
      if (!names.includes(name)) names.push(name);
    }
    if (names.length === 1) return { kind: "text", text: names[0]!, ref };
    return { kind: "union", members: names.map((text): Shape => ({ kind: "text", text })), ref };
  }
  if (type === "array") return buildArray(schema.items, ref, depth) ?? refer(ref);
  if (type === "object" || (type === undefined && structured && schema.items === undefined)) {
    return buildObject(schema, ref, depth) ?? refer(ref);
  }
  if (structured) return refer(ref);
  if (type === undefined) return { kind: "text", text: "unknown", ref };
  const name = typeof type === "string" ? PRIMITIVES[type] : undefined;
  return name === undefined ? refer(ref) : { kind: "text", text: name, ref };
}

/** A literal union, or undefined when a value has no literal type or there are too many. */
function buildEnum(values: unknown, ref: Ref | undefined): Shape | undefined {
  if (!Array.isArray(values) || values.length > MAX_LITERALS) return undefined;
  const members: Shape[] = [];
  for (const value of values) {
    const text = literal(value);
    if (text === undefined) return undefined;
    members.push({ kind: "text", text });
  }
  return members.length === 1
    ? { kind: "text", text: (members[0] as { text: string }).text, ref }
    : { kind: "union", members, ref };
}

function buildArray(items: unknown, ref: Ref | undefined, depth: number): Shape | undefined {
  if (items === undefined) return { kind: "array", element: UNKNOWN, ref };
  if (Array.isArray(items)) return undefined;
  const element = build(
    items,
    ref && { parent: ref, access: "[number]", undefinable: false },
    depth,
  );
  return element && { kind: "array", element, ref };
}

function buildObject(
  schema: Record<string, unknown>,
  ref: Ref | undefined,
  depth: number,
): Shape | undefined {
  if (depth <= 0) return undefined;
  const properties = schema.properties ?? {};
  if (!isRecord(properties)) return undefined;
  const required = Array.isArray(schema.required) ? schema.required : [];
  const members: Member[] = [];
  for (const name of Object.keys(properties)) {
    const key = propertyKey(name);
    if (key === undefined) return undefined;
    const optional = !required.includes(name);
    const access = quoted(name);
    const at =
      ref && access ? { parent: ref, access: `[${access}]`, undefinable: optional } : undefined;
    const shape = build(properties[name], at, depth - 1);
    if (shape === undefined) return undefined;
    members.push({ key, optional, shape });
  }
  const additional = schema.additionalProperties;
  if (additional !== undefined && additional !== false) {
    // An index signature beside properties must admit their types too: left to the tool file
    // unless it admits anything.
    const at = ref && { parent: ref, access: "[string]", undefinable: false };
    const index =
      additional === true
        ? UNKNOWN
        : members.length === 0
          ? build(additional, at, depth - 1)
          : undefined;
    if (index === undefined) return undefined;
    members.push({ key: "[k: string]", optional: false, shape: index });
  }
  return { kind: "object", members, ref };
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
