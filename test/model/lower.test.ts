/**
 * The lowering rules of `src/model/schema/lower.ts`, one row per rule, named by its sentence:
 * a server's JSON Schema (2020-12, OpenAPI-flavoured, or hostile) in, the subset that
 * json-schema-to-typescript understands out, with a warning for everything given up.
 */
import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "../../src/introspect/snapshot.js";
import { DEFAULT_LIMITS, type SchemaLimits } from "../../src/model/schema/limits.js";
import { lowerSchema } from "../../src/model/schema/lower.js";
import { buildRefTable } from "../../src/model/schema/refs.js";

interface Row {
  readonly given: JsonValue;
  readonly want: JsonObject;
  /** Warnings as `path: message`; none when absent. */
  readonly warnings?: readonly string[];
  readonly limits?: Partial<SchemaLimits>;
  /** The document `given` lives in, for `$ref`s (default: `given` itself). */
  readonly root?: JsonObject;
}

/** Lowers `row.given` found at `p` in its document, whose root becomes `#/$defs/Root`. */
function lower(row: Row): { out: JsonObject; warnings: string[] } {
  const warnings: string[] = [];
  const root =
    row.root ??
    (typeof row.given === "object" && !Array.isArray(row.given) && row.given ? row.given : {});
  const refs = buildRefTable(root, "#/$defs/Root", new Set(["root"]));
  const out = lowerSchema(row.given, "p", {
    refs,
    limits: { ...DEFAULT_LIMITS, ...row.limits },
    reservedNames: new Set(["root", "toolinput"]),
    warn: (path, message) => warnings.push(`${path}: ${message}`),
    document: root,
    inlineBudget: { left: 256 },
  });
  return { out, warnings };
}

const deep = (levels: number): JsonObject =>
  levels === 0 ? { type: "string" } : { type: "object", properties: { x: deep(levels - 1) } };

const rules: Array<[string, Row]> = [
  ["A boolean subschema: `true` admits anything", { given: true, want: {} }],
  ["A boolean subschema: `false` admits nothing", { given: false, want: { tsType: "never" } }],
  [
    "something that is not a schema is typed as unknown",
    { given: "string", want: {}, warnings: ["p: is not a schema; typed as unknown"] },
  ],
  ["`const` becomes a one-value enum", { given: { const: "v2" }, want: { enum: ["v2"] } }],
  [
    "enums keep primitive values, once each",
    { given: { enum: ["a", 1, null, true, "a"] }, want: { enum: ["a", 1, null, true] } },
  ],
  [
    "an enum with object values is typed by its type alone",
    {
      given: { type: "string", enum: ["a", { b: 1 }] },
      want: { type: "string" },
      warnings: ["p: has enum values that are objects or arrays; typed by its type alone"],
    },
  ],
  [
    "an enum over the cap is typed by its type alone (inferred when all values share one)",
    {
      given: { enum: ["a", "b", "c", "d"] },
      limits: { maxEnumValues: 3 },
      want: { type: "string" },
      warnings: ["p: has 4 enum values (over 3); typed by its type alone"],
    },
  ],
  [
    "`type` keeps known type names",
    { given: { type: ["string", "date", "string"] }, want: { type: "string" } },
  ],
  [
    "OpenAPI's `nullable: true` adds `null`",
    { given: { type: "string", nullable: true }, want: { type: ["string", "null"] } },
  ],
  [
    "2020-12 `prefixItems` become a draft-04 tuple, its `items` the rest",
    {
      given: {
        type: "array",
        prefixItems: [{ type: "number" }, { type: "string" }],
        items: { type: "boolean" },
      },
      want: {
        type: "array",
        items: [{ type: "number" }, { type: "string" }],
        additionalItems: { type: "boolean" },
      },
    },
  ],
  [
    "`prefixItems` with `items: false` is a closed tuple",
    {
      given: { type: "array", prefixItems: [{ type: "number" }], items: false },
      want: { type: "array", items: [{ type: "number" }], additionalItems: false },
    },
  ],
  [
    "an object over the property cap is typed as a record of unknown",
    {
      given: { type: "object", properties: { a: {}, b: {}, c: {} } },
      limits: { maxProperties: 2 },
      want: { type: "object", additionalProperties: true },
      warnings: ["p: has 3 properties (over 2); typed as a record of unknown"],
    },
  ],
  [
    "a subschema deeper than the depth cap is typed as unknown",
    {
      given: deep(3),
      limits: { maxDepth: 2 },
      want: {
        type: "object",
        properties: {
          x: { type: "object", properties: { x: { type: "object", properties: { x: {} } } } },
        },
      },
      warnings: [
        "p.properties.x.properties.x.properties.x: nests deeper than 2 levels; typed as unknown",
      ],
    },
  ],
  [
    "pattern properties fold into the index signature, with additionalProperties",
    {
      given: {
        type: "object",
        patternProperties: { "^s_": { type: "string" }, "^n_": { type: "number" } },
        additionalProperties: { type: "boolean" },
      },
      want: {
        type: "object",
        additionalProperties: {
          anyOf: [{ type: "boolean" }, { type: "string" }, { type: "number" }],
        },
      },
    },
  ],
  [
    "without additionalProperties, a key no pattern matches may hold anything",
    {
      given: {
        type: "object",
        properties: { a: { type: "number" } },
        patternProperties: { "^s_": { type: "string" } },
      },
      want: {
        type: "object",
        properties: { a: { type: "number" } },
        additionalProperties: true,
      },
    },
  ],
  [
    "keys only a condition names are optional properties of any value",
    {
      given: {
        type: "object",
        properties: { kind: { type: "string" }, a: { type: "string" } },
        if: { properties: { kind: { const: "x" } } },
        // oxlint-disable-next-line unicorn/no-thenable -- JSON Schema's if/then/else keyword
        then: { properties: { extra: { type: "number" } }, required: ["extra"] },
        else: { required: ["other"] },
        dependentRequired: { a: ["b"] },
        dependentSchemas: { a: { properties: { c: { type: "string" } } } },
        dependencies: { kind: ["d"] },
      },
      want: {
        type: "object",
        properties: {
          kind: { type: "string" },
          a: { type: "string" },
          extra: {},
          other: {},
          b: {},
          c: {},
          d: {},
        },
      },
    },
  ],
  [
    "keys only a condition names are not added where other keys are refused or typed",
    {
      given: {
        type: "object",
        properties: { a: { type: "string" } },
        dependentRequired: { a: ["b"] },
        additionalProperties: false,
      },
      want: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
    },
  ],
  [
    "pattern properties are allowed keys even when additionalProperties is false",
    {
      given: {
        type: "object",
        patternProperties: { "^x-": { type: "string" } },
        additionalProperties: false,
      },
      want: { type: "object", additionalProperties: { type: "string" } },
    },
  ],
  [
    "an object schema with no properties at all is an open record",
    { given: { type: "object" }, want: { type: "object", additionalProperties: true } },
  ],
  [
    "a closed object with no properties admits only {}: a `never` index signature",
    {
      given: { type: "object", additionalProperties: false },
      want: { type: "object", additionalProperties: { tsType: "never" } },
    },
  ],
  [
    "keywords the type compiler must not see are dropped",
    {
      given: {
        type: "string",
        tsType: "any",
        tsEnumNames: ["A"],
        $id: "https://x.example/s",
        $schema: "https://json-schema.org/draft/2020-12/schema",
        format: "email",
        default: "a",
        examples: ["a"],
        if: { minLength: 1 },
        // oxlint-disable-next-line unicorn/no-thenable -- JSON Schema's if/then/else keyword
        then: {},
        else: {},
        minLength: 1,
        pattern: "^a",
      },
      want: { type: "string" },
    },
  ],
  [
    "descriptions are made safe for comments",
    {
      given: { description: "a */ b\u202e\u001b[31m!" },
      want: { description: "a *\\/ b[hidden: U+202E]!", tsType: "unknown" },
    },
  ],
  [
    "a title names a type when it makes a safe identifier",
    { given: { title: "my item" }, want: { title: "MyItem", tsType: "unknown" } },
  ],
  [
    "a schema with only a description admits any value, not just objects",
    { given: { description: "any value" }, want: { description: "any value", tsType: "unknown" } },
  ],
  ["a title made of symbols is dropped", { given: { title: "*/ */" }, want: {} }],
  [
    "a title the tool's own declarations use is dropped",
    { given: { title: "Tool Input" }, want: {} },
  ],
  [
    "`required` keeps listed properties, once each",
    {
      given: {
        type: "object",
        properties: { a: { type: "string" } },
        required: ["a", "a", "zzz", 3],
      },
      want: { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
    },
  ],
  [
    "anyOf, oneOf and allOf are lowered branch by branch",
    {
      given: { anyOf: [{ const: 1 }, true], oneOf: [{ type: "null" }], allOf: [] },
      want: { anyOf: [{ enum: [1] }, {}], oneOf: [{ type: "null" }] },
    },
  ],
  [
    "a local $ref is kept, pointing at the renamed definition",
    {
      given: { $ref: "#/$defs/my item" },
      root: { $defs: { "my item": {} } },
      want: { $ref: "#/$defs/MyItem" },
    },
  ],
  ["`#` points at the root", { given: { $ref: "#" }, want: { $ref: "#/$defs/Root" } }],
  [
    "a $ref's sibling description is kept on a one-item allOf",
    {
      given: { $ref: "#", description: "the parent" },
      want: { description: "the parent", allOf: [{ $ref: "#/$defs/Root" }] },
    },
  ],
  [
    "a dangling $ref is typed as unknown",
    {
      given: { $ref: "#/$defs/Missing" },
      want: {},
      warnings: ['p: $ref "#/$defs/Missing" points at nothing in the schema; typed as unknown'],
    },
  ],
  [
    "a $ref into the middle of the schema is the value it points at, inlined",
    {
      root: {
        type: "object",
        properties: {
          next: { type: "boolean", description: "Whether another step is needed", title: "Next" },
          again: { $ref: "#/properties/next" },
        },
      },
      given: { $ref: "#/properties/next", description: "Whether this revises" },
      want: { type: "boolean", description: "Whether this revises" },
    },
  ],
  [
    "a pointer's escapes (~1, ~0, percent) are followed",
    {
      root: { properties: { "a/b": { items: [{ type: "string" }, { type: "integer" }] } } },
      given: { $ref: "#/properties/a~1b/items/1" },
      want: { type: "integer" },
    },
  ],
  [
    "a $ref into a part that contains it is a cycle: unknown",
    {
      root: { properties: { tree: { properties: { child: { $ref: "#/properties/tree" } } } } },
      given: { $ref: "#/properties/tree" },
      want: { properties: { child: {} } },
      warnings: ['p.properties.child: $ref "#/properties/tree" refers to itself; typed as unknown'],
    },
  ],
  [
    "a remote $ref is never resolved",
    {
      given: { $ref: "https://evil.example/s.json" },
      want: {},
      warnings: [
        'p: $ref "https://evil.example/s.json" is not local; remote and file references are never resolved, typed as unknown',
      ],
    },
  ],
  [
    "a file $ref is never resolved",
    {
      given: { $ref: "file:///etc/passwd" },
      want: {},
      warnings: [
        'p: $ref "file:///etc/passwd" is not local; remote and file references are never resolved, typed as unknown',
      ],
    },
  ],
  [
    // (`constructor` is in the golden `inherited-names`: toStrictEqual compares objects'
    // `constructor` properties as their classes.)
    "an optional property named like an inherited member also admits that member's type",
    {
      given: {
        type: "object",
        properties: {
          toString: { type: "string", description: "How to show it" },
          isPrototypeOf: { type: "integer" },
          valueOf: {},
          hasOwnProperty: { type: "boolean" },
        },
        required: ["hasOwnProperty"],
      },
      want: {
        type: "object",
        properties: {
          toString: {
            description: "How to show it",
            anyOf: [{ type: "string" }, { tsType: 'Object["toString"]' }],
          },
          isPrototypeOf: { anyOf: [{ type: "integer" }, { tsType: 'Object["isPrototypeOf"]' }] },
          valueOf: {},
          hasOwnProperty: { type: "boolean" },
        },
        required: ["hasOwnProperty"],
      },
    },
  ],
];

describe("lowerSchema", () => {
  it.each(rules)("%s", (_title, row) => {
    const { out, warnings } = lower(row);
    expect(out).toStrictEqual(row.want);
    expect(warnings).toEqual(row.warnings ?? []);
  });
});
