/**
 * Naming a whole server's tools and the servers' folders at once: collisions (also by letter
 * case) settle the same way whatever order the names come in, and every decision is reported.
 */
import { describe, expect, it } from "vitest";
import type { ToolDefinition } from "../../src/introspect/snapshot.js";
import type { Warning } from "../../src/log.js";
import { nameServers, nameTools } from "../../src/model/naming.js";

const tool = (name: string, description = `the ${name} tool`): ToolDefinition => ({
  name,
  description,
  inputSchema: { type: "object" },
});

function named(names: readonly string[]): { pairs: string[]; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const result = nameTools(
    "s",
    names.map((n) => tool(n)),
    warnings,
  );
  return { pairs: result.map((r) => `${r.tool.name} → ${r.identifier}`), warnings };
}

/** Every ordering of a short list (Heap's algorithm would do; four names make 24 orders). */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe("nameTools", () => {
  const table: Array<[string, { given: string[]; want: string[] }]> = [
    [
      "an exact match wins the plain name, the others a suffix from their own names",
      {
        given: ["get_user", "get-user", "GetUser", "getUser"],
        want: [
          "getUser → getUser",
          "GetUser → getUser_5a42f9",
          "get-user → getUser_5d95c2",
          "get_user → getUser_bf1e2a",
        ],
      },
    ],
    [
      "names that differ only by letter case get distinct identifiers",
      {
        given: ["list_Items", "listItems"],
        want: ["listItems → listItems", "list_Items → listItems_7e9fa4"],
      },
    ],
    [
      "identifiers equal but for case collide too (file names are case-insensitive somewhere)",
      { given: ["ab_c", "abc"], want: ["ab_c → abC_376279", "abc → abc"] },
    ],
    [
      "without an exact match the code-unit first name wins",
      {
        given: ["get_user", "get-user"],
        want: ["get-user → getUser", "get_user → getUser_bf1e2a"],
      },
    ],
    [
      "a suffix never takes a name another tool has exactly",
      {
        given: ["get_user", "getUser_bf1e2a", "getUser"],
        want: ["getUser → getUser", "getUser_bf1e2a → getUserBf1E2A", "get_user → getUser_bf1e2a"],
      },
    ],
    [
      "names that do not collide keep their own identifiers",
      { given: ["b_tool", "a_tool"], want: ["a_tool → aTool", "b_tool → bTool"] },
    ],
  ];

  it.each(table)("%s", (_title, { given, want }) => {
    expect(named(given).pairs).toEqual(want);
  });

  it.each(table)("%s: the same for every input order", (_title, { given }) => {
    const first = named(given);
    for (const order of permutations(given)) expect(named(order)).toEqual(first);
  });

  it("lists each collision in one warning", () => {
    const { warnings } = named(["get_user", "getUser", "GetUser", "other"]);
    expect(warnings).toEqual([
      {
        server: "s",
        message:
          "tool names collide after conversion; resolved as getUser → getUser, GetUser → getUser_5a42f9, get_user → getUser_bf1e2a",
      },
    ]);
  });

  it("a tool the server adds later renames none of the others", () => {
    const before = named(["get_user", "getUser", "list"]).pairs;
    const after = named(["get_user", "getUser", "list", "get-user", "GET_USER"]).pairs;
    for (const pair of before) expect(after).toContain(pair);
  });

  it("keeps the first of exact duplicate names and reports the others", () => {
    const warnings: Warning[] = [];
    const result = nameTools(
      "s",
      [tool("echo", "first"), tool("other"), tool("echo", "second")],
      warnings,
    );
    expect(result.map((r) => [r.identifier, r.tool.description])).toEqual([
      ["echo", "first"],
      ["other", "the other tool"],
    ]);
    expect(warnings).toEqual([
      { server: "s", tool: "echo", message: "listed more than once; kept the first" },
    ]);
  });

  it("returns the tools sorted by identifier, unique case-insensitively", () => {
    const names = ["zeta", "Alpha", "alpha", "ALPHA", "beta", "CON", "class", "callMcpTool"];
    const ids = named(names).pairs.map((p) => p.split(" → ")[1]!);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids.map((id) => id.toLowerCase())).size).toBe(names.length);
  });
});

describe("nameServers", () => {
  const given = [
    "memory",
    "Memory",
    "CON",
    "nul.backup",
    "index.ts",
    "README.md",
    "manifest.json",
    ".",
    "..",
    "a.b",
    "a-b",
    "-edge-",
  ];
  const want: Record<string, { dir: string; namespace: string }> = {
    "-edge-": { dir: "edge", namespace: "edge" },
    ".": { dir: "server", namespace: "server" },
    "..": { dir: "server-2", namespace: "server2" },
    CON: { dir: "CON-server", namespace: "conServer" },
    "README.md": { dir: "README.md-server", namespace: "readmeMd" },
    "a-b": { dir: "a-b", namespace: "aB" },
    "a.b": { dir: "a.b", namespace: "aB2" },
    "index.ts": { dir: "index.ts-server", namespace: "indexTs" },
    "manifest.json": { dir: "manifest.json-server", namespace: "manifestJson" },
    Memory: { dir: "Memory", namespace: "memory" },
    memory: { dir: "memory-2", namespace: "memory2" },
    "nul.backup": { dir: "nul-server.backup", namespace: "nulBackup" },
  };

  it("gives every server a safe folder and namespace", () => {
    expect(Object.fromEntries(nameServers(given))).toEqual(want);
  });

  it("is the same for every input order", () => {
    const reversed = Object.fromEntries(nameServers([...given].reverse()));
    expect(reversed).toEqual(want);
  });

  it("never yields ., .., a device name, a name of the tree's own files, or a case-clash", () => {
    const dirs = [...nameServers(given).values()].map((v) => v.dir);
    expect(new Set(dirs.map((d) => d.toLowerCase())).size).toBe(dirs.length);
    for (const dir of dirs) {
      expect(dir).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
      expect(dir).not.toMatch(/^\.{1,2}$/);
      expect(dir.split(".")[0]).not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i);
      expect(dir).not.toMatch(/^(readme\.md|index\.ts|manifest\.json)$/i);
    }
  });
});
