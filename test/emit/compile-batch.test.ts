/**
 * Types compiled in a batch must be exactly what compiling each tool alone gives: the batch only
 * shares the compiler's fixed cost. Also: a tool the compiler rejects fails alone.
 */
import { describe, expect, it } from "vitest";
import type { Declaration } from "../../src/emit/declarations.js";
import { compileTypes, joinDeclarations } from "../../src/emit/schema-types.js";
import type { ToolDefinition } from "../../src/introspect/snapshot.js";
import { buildModel } from "../../src/model/build.js";
import { manyTools } from "../../fixtures/servers/lib/many-tools-list.mjs";

const recursive: ToolDefinition = {
  name: "tree",
  inputSchema: {
    type: "object",
    properties: { root: { $ref: "#/$defs/Node" } },
    $defs: {
      Node: {
        type: "object",
        title: "Node",
        properties: { children: { type: "array", items: { $ref: "#/$defs/Node" } } },
      },
    },
  },
  outputSchema: {
    type: "object",
    properties: {
      node: { $ref: "#/$defs/Node" },
      item: { title: "Item", type: "object", properties: { a: { type: "string" } } },
    },
    $defs: { Node: { type: "object", properties: { id: { type: "string" } } } },
  },
};
const tools = [...(manyTools(40) as ToolDefinition[]), recursive, { ...recursive, name: "tree_2" }];
const model = buildModel([{ name: "s", info: { name: "s", version: "1" }, tools, skipped: [] }]);
const jobs = model.servers[0]!.tools;

describe("compileTypes", () => {
  it("gives each tool of a batch exactly the types it gets alone", async () => {
    const batched = await compileTypes(jobs);
    const alone = (await Promise.all(jobs.map((job) => compileTypes([job])))).flat();
    expect(batched).toHaveLength(jobs.length);
    expect(batched).toEqual(alone);
    // Nested names stay the tool's own: both trees declare their own `Node`.
    const trees = jobs.flatMap((job, i) =>
      job.wireName.startsWith("tree") ? [joinDeclarations(batched[i] as Declaration[])] : [],
    );
    expect(trees).toHaveLength(2);
    for (const types of trees) expect(types).toMatch(/^export interface Node \{/m);
  });

  it("fails only the tool the compiler rejects, the others of its batch still compile", async () => {
    const broken = {
      ...jobs[0]!,
      typesSchema: { ...jobs[0]!.typesSchema, $defs: { X: { $ref: "#/$defs/Y" } } },
    };
    const results = await compileTypes([jobs[1]!, broken, jobs[2]!]);
    expect(results[0]).toBeInstanceOf(Array);
    expect(results[1]).toBeInstanceOf(Error);
    expect(results[2]).toBeInstanceOf(Array);
  });
});
