/**
 * `buildModel`: snapshots in, the model out. Filters, warnings for what was skipped, and the
 * hashes drift detection compares.
 */
import { describe, expect, it } from "vitest";
import type { ServerSnapshot, ToolDefinition } from "../../src/introspect/snapshot.js";
import { buildModel, hashTool } from "../../src/model/build.js";

const tool = (name: string, extra: Partial<ToolDefinition> = {}): ToolDefinition => ({
  name,
  description: `Does ${name}.`,
  inputSchema: { type: "object", properties: { id: { type: "string" } } },
  ...extra,
});

const snapshot = (name: string, tools: ToolDefinition[], extra: Partial<ServerSnapshot> = {}) =>
  ({
    name,
    info: { name: `${name}-server`, version: "1.0.0" },
    tools,
    skipped: [],
    ...extra,
  }) satisfies ServerSnapshot;

const names = ["create_issue", "delete_issue", "get_issue", "list_issues", "admin_reset"];

describe("buildModel filters", () => {
  const filters: Array<[string, { include?: string[]; exclude?: string[]; want: string[] }]> = [
    [
      "no filter keeps every tool",
      { want: ["admin_reset", "create_issue", "delete_issue", "get_issue", "list_issues"] },
    ],
    [
      "include keeps the matches",
      { include: ["*_issue"], want: ["create_issue", "delete_issue", "get_issue"] },
    ],
    [
      "exclude drops the matches",
      { exclude: ["delete_*", "admin_*"], want: ["create_issue", "get_issue", "list_issues"] },
    ],
    [
      "exclude applies after include",
      {
        include: ["*_issue*"],
        exclude: ["delete_*"],
        want: ["create_issue", "get_issue", "list_issues"],
      },
    ],
    [
      "several include globs add up",
      { include: ["get_*", "list_*"], want: ["get_issue", "list_issues"] },
    ],
  ];
  it.each(filters)("%s", (_title, { include, exclude, want }) => {
    const model = buildModel(
      [
        snapshot(
          "gh",
          names.map((n) => tool(n)),
        ),
        snapshot("other", [tool("admin_reset")]),
      ],
      {
        filters: new Map([
          ["gh", { ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) }],
        ]),
      },
    );
    expect(model.servers.map((s) => s.name)).toEqual(["gh", "other"]);
    expect(model.servers[0]!.tools.map((t) => t.wireName)).toEqual(want);
    // Another server's filter is its own.
    expect(model.servers[1]!.tools.map((t) => t.wireName)).toEqual(["admin_reset"]);
  });

  it("warns about each glob that matches no tool, naming the server and the field", () => {
    const model = buildModel(
      [
        snapshot(
          "gh",
          names.map((n) => tool(n)),
        ),
      ],
      {
        filters: new Map([["gh", { include: ["get", "*_issue"], exclude: ["admin_*", "drop_*"] }]]),
      },
    );
    expect(model.servers[0]!.tools.map((t) => t.wireName)).toEqual([
      "create_issue",
      "delete_issue",
      "get_issue",
    ]);
    expect(model.warnings).toEqual([
      {
        server: "gh",
        field: "include",
        message:
          'the glob "get" matches none of the 5 tools the server lists; a glob matches whole names ("get*" those starting so)',
      },
      {
        server: "gh",
        field: "exclude",
        message: 'the glob "drop_*" matches none of the 5 tools the server lists',
      },
    ]);
  });

  it("warns about the call policy's globs that match no tool too, and keeps every stub for them", () => {
    const model = buildModel(
      [
        snapshot(
          "gh",
          names.map((n) => tool(n)),
        ),
      ],
      {
        filters: new Map([
          [
            "gh",
            {
              policy: {
                allow: ["*_issue", "read_*"],
                deny: ["delete_isue", "getIssue"],
                "approve.tools": ["create_*", "drop_*"],
              },
            },
          ],
        ]),
      },
    );
    expect(model.servers[0]!.tools).toHaveLength(names.length);
    expect(model.warnings.map((w) => `${w.field}: ${w.message}`)).toEqual([
      'allow: the glob "read_*" matches none of the 5 tools the server lists',
      'deny: the glob "delete_isue" matches none of the 5 tools the server lists; did you mean "delete_issue"? Globs match the tool\'s MCP name, as the server spells it, not its stub\'s name',
      'deny: the glob "getIssue" matches none of the 5 tools the server lists; did you mean "get_issue"? Globs match the tool\'s MCP name, as the server spells it, not its stub\'s name',
      'approve.tools: the glob "drop_*" matches none of the 5 tools the server lists',
    ]);
  });
});

describe("buildModel", () => {
  it("turns tools the server listed but that could not be used into warnings", () => {
    const model = buildModel([
      snapshot("s", [tool("ok")], {
        skipped: [
          { name: "bad_input_type", index: 1, reason: 'inputSchema.type must be "object"' },
          { index: 2, reason: "has no name" },
        ],
      }),
    ]);
    expect(model.warnings).toEqual([
      {
        server: "s",
        tool: "bad_input_type",
        message: 'skipped: inputSchema.type must be "object"',
      },
      { server: "s", tool: undefined, message: "skipped: has no name" },
    ]);
    expect(model.servers[0]!.tools.map((t) => t.wireName)).toEqual(["ok"]);
  });

  it("decides names, text and types once, keeping the wire name", () => {
    const model = buildModel([
      snapshot(
        "My Server",
        [
          tool("get-document", {
            description: "Reads a doc.\u202e Then more.\n\nDetails.",
            outputSchema: { type: "object" },
          }),
        ],
        {
          instructions: "Use me.\nWell.",
        },
      ),
    ]);
    const server = model.servers[0]!;
    expect({
      dir: server.dir,
      namespace: server.namespace,
      instructions: server.instructions,
    }).toEqual({
      dir: "My-Server",
      namespace: "myServer",
      instructions: "Use me.",
    });
    const t = server.tools[0]!;
    expect({
      wire: t.wireName,
      id: t.identifier,
      file: t.identifier,
      type: t.typeName,
      summary: t.summary,
      description: t.description,
      hasOutput: t.hasOutput,
    }).toEqual({
      wire: "get-document",
      id: "getDocument",
      file: "getDocument",
      type: "GetDocument",
      summary: "Reads a doc.[hidden: U+202E]",
      description: "Reads a doc.[hidden: U+202E] Then more.\n\nDetails.",
      hasOutput: true,
    });
    expect(Object.keys(t.typesSchema.$defs as object)).toEqual([
      "GetDocumentInput",
      "GetDocumentOutput",
    ]);
  });

  it("keeps the server's name, version and title on one line each", () => {
    const info = { name: "evil\n# Heading\u001b[2J", version: "1.0\r\n\r\n2", title: "A\t*/B" };
    expect(buildModel([snapshot("s", [], { info })]).servers[0]!.info).toEqual({
      name: "evil # Heading",
      version: "1.0 2",
      title: "A *\\/B",
    });
  });

  it("is the same for snapshots in any order, and does not mutate them", () => {
    const a = snapshot("a", [tool("x"), tool("y")]);
    const b = snapshot("b", [tool("z")]);
    const before = structuredClone([a, b]);
    const model = buildModel([a, b]);
    expect(buildModel([b, a])).toEqual(model);
    expect([a, b]).toEqual(before);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });
});

describe("hashTool", () => {
  const base = tool("t", {
    title: "T",
    outputSchema: { type: "object", properties: { a: { type: "string" }, b: { type: "number" } } },
  });

  it("is stable when a server reorders keys", () => {
    const reordered: ToolDefinition = {
      outputSchema: {
        properties: { b: { type: "number" }, a: { type: "string" } },
        type: "object",
      },
      inputSchema: { properties: { id: { type: "string" } }, type: "object" },
      description: base.description!,
      title: "T",
      name: "t",
    };
    expect(hashTool(reordered)).toEqual(hashTool(base));
  });

  it("changes the definition and description hashes, only, when the description changes", () => {
    const before = hashTool(base);
    const after = hashTool({ ...base, description: "Does something else." });
    expect(after.definition).not.toBe(before.definition);
    expect(after.description).not.toBe(before.description);
    expect({ ...after, definition: "", description: "" }).toEqual({
      ...before,
      definition: "",
      description: "",
    });
  });

  it("changes the schema hash when a schema changes, and is 16 hex digits", () => {
    const before = hashTool(base);
    const after = hashTool({
      ...base,
      inputSchema: { type: "object", properties: { id: { type: "number" } } },
    });
    expect(after.inputSchema).not.toBe(before.inputSchema);
    expect(after.outputSchema).toBe(before.outputSchema);
    for (const hash of Object.values(before)) expect(hash).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("tools of different servers that read the same", () => {
  it("are named in one warning, exact, by letter case or by compatibility form", () => {
    const { warnings } = buildModel([
      snapshot("github", [tool("search"), tool("get_issue")]),
      snapshot("jira", [tool("Search"), tool("get_issue")]),
      snapshot("shady", [tool("ｓｅａｒｃｈ"), tool("unique")]),
    ]);
    expect(warnings.filter((w) => w.message.startsWith("tools of different servers"))).toEqual([
      {
        server: "github",
        message:
          'tools of different servers have names that read the same: "github/get_issue", "jira/get_issue"; call them through their servers\' namespaces, and check that each server is the one you meant',
      },
      {
        server: "github",
        message:
          'tools of different servers have names that read the same: "github/search", "jira/Search", "shady/ｓｅａｒｃｈ"; call them through their servers\' namespaces, and check that each server is the one you meant',
      },
    ]);
  });

  it("are named with the characters that differ when they only look alike (UTS #39)", () => {
    const { warnings } = buildModel([
      snapshot("github", [tool("get_user"), tool("delete_repo")]),
      // Cyrillic е (U+0435) for e; digit 0 for o; and a fullwidth ｅ with a Cyrillic о, folded
      // first by compatibility form, then by skeleton.
      snapshot("shady", [tool("get_us\u0435r"), tool("delete_rep0")]),
      snapshot("other", [tool("get_us\uff45r")]),
    ]);
    expect(warnings.filter((w) => w.message.startsWith("tools of different servers"))).toEqual([
      {
        server: "github",
        message:
          'tools of different servers have names that look alike (confusable characters): "github/delete_repo", "shady/delete_rep0"; call them through their servers\' namespaces, and check that each server is the one you meant',
      },
      {
        server: "github",
        message:
          'tools of different servers have names that look alike (confusable characters): "github/get_user", "other/get_us\\uff45r", "shady/get_us\\u0435r"; call them through their servers\' namespaces, and check that each server is the one you meant',
      },
    ]);
  });

  it("are warned about within one server only when they look alike, not by case alone", () => {
    const { warnings } = buildModel([
      snapshot("one", [tool("a_b"), tool("other"), tool("getUser"), tool("getuser")]),
      snapshot("two", [tool("p\u0430y"), tool("pay")]),
    ]);
    expect(warnings.filter((w) => w.message.includes("look alike"))).toEqual([
      {
        server: "two",
        message:
          'tools of this server have names that look alike (confusable characters): "two/pay", "two/p\\u0430y"; an agent may call one for the other: check which is which before use',
      },
    ]);
  });
});
