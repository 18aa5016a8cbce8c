/**
 * `buildTypesDocument`: one tool's input and output schemas lowered into one document, with
 * definitions renamed to safe, unique type names and every pointer to them rewritten.
 */
import { describe, expect, it } from "vitest";
import type { JsonObject, ToolDefinition } from "../../src/introspect/snapshot.js";
import { DEFAULT_LIMITS } from "../../src/model/schema/limits.js";
import { buildTypesDocument } from "../../src/model/schema/types-document.js";

function build(inputSchema: JsonObject, outputSchema?: JsonObject) {
  const warnings: string[] = [];
  const tool: ToolDefinition = {
    name: "t",
    inputSchema,
    ...(outputSchema ? { outputSchema } : {}),
  };
  const doc = buildTypesDocument(tool, "T", DEFAULT_LIMITS, (path, message) =>
    warnings.push(`${path}: ${message}`),
  );
  return { doc, defs: doc.$defs as Record<string, JsonObject>, warnings };
}

const NEVER = { tsType: "never" };

describe("the tool's root input", () => {
  const roots: Array<[string, { given: JsonObject; want: JsonObject }]> = [
    [
      "an object with no properties accepts any object, as the schema does",
      {
        given: { type: "object" },
        want: { type: "object", title: "TInput", additionalProperties: true },
      },
    ],
    [
      "so does an empty schema",
      { given: {}, want: { type: "object", title: "TInput", additionalProperties: true } },
    ],
    [
      "so does an empty properties object",
      {
        given: { type: "object", properties: {} },
        want: { type: "object", title: "TInput", additionalProperties: true },
      },
    ],
    [
      "only additionalProperties: false closes it",
      {
        given: { type: "object", additionalProperties: false },
        want: { type: "object", title: "TInput", additionalProperties: NEVER },
      },
    ],
    [
      "unless it says additionalProperties: true",
      {
        given: { type: "object", additionalProperties: true },
        want: { type: "object", title: "TInput", additionalProperties: true },
      },
    ],
    [
      "or gives additionalProperties a schema",
      {
        given: { type: "object", additionalProperties: { type: "number" } },
        want: { type: "object", title: "TInput", additionalProperties: { type: "number" } },
      },
    ],
    [
      "a root over the property cap stays an open record",
      {
        given: {
          type: "object",
          properties: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`p${i}`, {}])),
        },
        want: { type: "object", title: "TInput", additionalProperties: true },
      },
    ],
  ];
  it.each(roots)("%s", (_title, { given, want }) => {
    expect(build(given).defs.TInput).toEqual(want);
  });
});

describe("the document", () => {
  it("holds the input, the output and their definitions under one container", () => {
    const { doc } = build(
      { type: "object", properties: { q: { type: "string" } } },
      { type: "object", properties: { n: { type: "number" } } },
    );
    expect(doc).toEqual({
      title: "TTypes",
      type: "object",
      properties: { input: { $ref: "#/$defs/TInput" }, output: { $ref: "#/$defs/TOutput" } },
      required: ["input", "output"],
      additionalProperties: false,
      $defs: {
        TInput: { type: "object", title: "TInput", properties: { q: { type: "string" } } },
        TOutput: { type: "object", title: "TOutput", properties: { n: { type: "number" } } },
      },
    });
  });

  it("renames definition keys to safe names and rewrites every pointer form", () => {
    const { defs, warnings } = build({
      type: "object",
      properties: {
        plain: { $ref: "#/$defs/a*/b" },
        escaped: { $ref: "#/$defs/a*~1b" },
        spaced: { $ref: "#/$defs/my key" },
        encoded: { $ref: "#/$defs/my%20key" },
        tilde: { $ref: "#/definitions/x%7E1y" },
        draft7: { $ref: "#/definitions/x~1y" },
        root: { $ref: "#" },
      },
      $defs: { "a*/b": { type: "string" }, "my key": { type: "number" } },
      definitions: { "x/y": { type: "boolean" } },
    });
    expect(defs.TInput!.properties).toEqual({
      plain: { $ref: "#/$defs/AB" },
      escaped: { $ref: "#/$defs/AB" },
      spaced: { $ref: "#/$defs/MyKey" },
      encoded: { $ref: "#/$defs/MyKey" },
      tilde: { $ref: "#/$defs/XY" },
      draft7: { $ref: "#/$defs/XY" },
      root: { $ref: "#/$defs/TInput" },
    });
    expect(Object.keys(defs)).toEqual(["TInput", "AB", "MyKey", "XY"]);
    expect(defs.AB).toEqual({ type: "string", title: "AB" });
    expect(warnings).toEqual([]);
  });

  it("gives the input's and the output's definitions of the same key distinct names", () => {
    const item = (type: string) => ({
      type: "object",
      properties: { x: { $ref: "#/$defs/Item" } },
      $defs: { Item: { type } },
    });
    const { defs } = build(item("string"), item("number"));
    expect(defs.TInput!.properties).toEqual({ x: { $ref: "#/$defs/Item" } });
    expect(defs.TOutput!.properties).toEqual({ x: { $ref: "#/$defs/Item2" } });
    expect(defs.Item).toEqual({ type: "string", title: "Item" });
    expect(defs.Item2).toEqual({ type: "number", title: "Item2" });
  });

  it("never lets a definition take the tool's own type names", () => {
    const { defs } = build({
      type: "object",
      properties: { x: { $ref: "#/$defs/t-input" } },
      $defs: { "t-input": { type: "string" } },
    });
    expect(defs.TInput!.properties).toEqual({ x: { $ref: "#/$defs/TInput2" } });
    expect(defs.TInput2).toEqual({ type: "string", title: "TInput2" });
  });

  it("keeps a property named __proto__ as an own property", () => {
    const input = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}',
    ) as JsonObject;
    const properties = build(input).defs.TInput!.properties as JsonObject;
    expect(Object.hasOwn(properties, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(Object.keys(properties)).toEqual(["__proto__"]);
    // Its comment says how to write it: a bare `__proto__:` in a literal sets the prototype.
    expect(properties.__proto__).toEqual({
      type: "string",
      description:
        'Write it as `["__proto__"]: …` (a bare `__proto__:` sets the prototype instead); ' +
        'present only if `Object.hasOwn(obj, "__proto__")`.',
    });
  });

  it("does not mutate its input, and gives the same document twice", () => {
    const input: JsonObject = {
      type: "object",
      properties: { a: { $ref: "#/$defs/Node" }, b: { type: "object" }, c: { const: 1 } },
      $defs: { Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" } } } },
      patternProperties: { "^x": { type: "string" } },
    };
    const output: JsonObject = {
      type: "object",
      properties: { ok: { type: "boolean", nullable: true } },
    };
    const before = structuredClone({ input, output });
    const first = build(deepFreeze(input), deepFreeze(output));
    expect({ input, output }).toEqual(before);
    expect(build(input, output).doc).toEqual(first.doc);
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
