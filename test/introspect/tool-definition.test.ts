import { describe, expect, it } from "vitest";
import { checkTool, MAX_SCHEMA_DEPTH } from "../../src/introspect/index.js";

const input = { type: "object", properties: { q: { type: "string" } } };

describe("checkTool", () => {
  const skipped: Array<[string, unknown, { name?: string; reason: string }]> = [
    ["not an object", "tool", { reason: 'a tool must be an object, got a string ("tool")' }],
    ["an array", [], { reason: "a tool must be an object, got an array" }],
    [
      "a number name",
      { name: 42, inputSchema: input },
      { reason: "name must be a non-empty string, got 42" },
    ],
    [
      "an empty name",
      { name: "", inputSchema: input },
      { reason: 'name must be a non-empty string, got ""' },
    ],
    ["no name", { inputSchema: input }, { reason: "name must be a non-empty string, got nothing" }],
    ["no inputSchema", { name: "t" }, { name: "t", reason: "inputSchema is missing" }],
    [
      "a string inputSchema type",
      { name: "t", inputSchema: { type: "string" } },
      { name: "t", reason: 'inputSchema.type must be "object", got "string"' },
    ],
    [
      "an inputSchema without type",
      { name: "t", inputSchema: {} },
      { name: "t", reason: 'inputSchema.type must be "object", got no type' },
    ],
    [
      "a boolean inputSchema",
      { name: "t", inputSchema: true },
      { name: "t", reason: "inputSchema must be an object, got a boolean (true)" },
    ],
    [
      "an array outputSchema type",
      { name: "t", inputSchema: input, outputSchema: { type: "array" } },
      { name: "t", reason: 'outputSchema.type must be "object", got "array"' },
    ],
    [
      "a numeric description",
      { name: "t", inputSchema: input, description: 7 },
      { name: "t", reason: "description must be a string, got a number (7)" },
    ],
    [
      "an object title",
      { name: "t", inputSchema: input, title: {} },
      { name: "t", reason: "title must be a string, got an object" },
    ],
    [
      "string annotations",
      { name: "t", inputSchema: input, annotations: "ro" },
      { name: "t", reason: 'annotations must be an object, got a string ("ro")' },
    ],
  ];
  it.each(skipped)("skips a tool with %s", (_title, raw, want) => {
    expect(checkTool(raw)).toEqual({ ok: false, ...want });
  });

  it("keeps the snapshot fields and drops _meta, icons and unknown fields", () => {
    const raw = {
      name: "search",
      title: "Search",
      description: "Find things.",
      inputSchema: { ...input, $defs: { x: { type: "string" } } },
      outputSchema: { type: "object", properties: {} },
      annotations: { title: "Search!", readOnlyHint: true, destructiveHint: "no", custom: 1 },
      _meta: { secret: true },
      icons: [{ src: "x.png" }],
      execution: { taskSupport: "optional" },
    };
    expect(checkTool(raw)).toEqual({
      ok: true,
      tool: {
        name: "search",
        title: "Search",
        description: "Find things.",
        inputSchema: { ...input, $defs: { x: { type: "string" } } },
        outputSchema: { type: "object", properties: {} },
        annotations: { title: "Search!", readOnlyHint: true },
      },
    });
  });

  it("treats null in optional fields as absent", () => {
    const raw = {
      name: "t",
      inputSchema: input,
      description: null,
      title: null,
      outputSchema: null,
      annotations: null,
    };
    expect(checkTool(raw)).toEqual({ ok: true, tool: { name: "t", inputSchema: input } });
  });

  it("copies the schemas: nothing in the result is shared with the input", () => {
    const raw = { name: "t", inputSchema: { type: "object", properties: { a: { enum: ["x"] } } } };
    const checked = checkTool(raw);
    if (!checked.ok) throw new Error(checked.reason);
    expect(checked.tool.inputSchema).toEqual(raw.inputSchema);
    expect(checked.tool.inputSchema).not.toBe(raw.inputSchema);
    expect(checked.tool.inputSchema["properties"]).not.toBe(raw.inputSchema.properties);
  });

  it("keeps a property named __proto__ as data", () => {
    const raw = JSON.parse(
      '{"name":"t","inputSchema":{"type":"object","properties":{"__proto__":{"type":"string"}}}}',
    );
    const checked = checkTool(raw);
    if (!checked.ok) throw new Error(checked.reason);
    const properties = checked.tool.inputSchema["properties"] as Record<string, unknown>;
    expect(Object.keys(properties)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
  });

  it("keeps a tool whose schema nests past the limit, the deep part cut to any value", () => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < MAX_SCHEMA_DEPTH; i++)
      schema = { type: "object", properties: { next: schema } };
    const checked = checkTool({ name: "deep", inputSchema: schema });
    expect(checked).toMatchObject({
      ok: true,
      truncated: `its schema nests more than ${MAX_SCHEMA_DEPTH} levels deep; 1 part was cut and typed as unknown`,
    });
    // The innermost levels are gone: what is left is at most the limit deep.
    let depth = 0;
    let at = (checked as { tool: { inputSchema: Record<string, unknown> } }).tool.inputSchema;
    for (;;) {
      const next = (at.properties as { next?: Record<string, unknown> } | undefined)?.next;
      if (next === undefined) break;
      at = next;
      depth += 2;
    }
    expect(depth).toBeLessThanOrEqual(MAX_SCHEMA_DEPTH);
    expect(at.properties ?? at).toEqual({});
  });
});
