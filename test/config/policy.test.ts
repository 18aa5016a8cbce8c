import { describe, expect, it } from "vitest";
import { callPolicy } from "../../src/config/policy.js";
import type { ResolvedServer } from "../../src/config/types.js";
import { tempProject } from "../e2e/cli.js";
import { typeErrors } from "./typecheck.js";

type Server = Parameters<typeof callPolicy>[0];

function server(fields: {
  include?: string[];
  exclude?: string[];
  allow?: string[];
  deny?: string[];
  approveTools?: string[];
  approveDestructive?: boolean;
  name?: string;
}): Server {
  const policy: ResolvedServer["policy"] = {
    allow: fields.allow ?? [],
    deny: fields.deny ?? [],
    approveTools: fields.approveTools ?? [],
    approveDestructive: fields.approveDestructive ?? false,
  };
  return {
    name: fields.name ?? "fs",
    include: fields.include ?? [],
    exclude: fields.exclude ?? [],
    policy,
  };
}

/** [title, server, tool, the refusing field and glob (undefined: callable)]. */
const refusals: [string, Server, string, { field: string; glob?: string } | undefined][] = [
  ["no rule: every tool", server({}), "write_file", undefined],
  ["allow lets through what it matches", server({ allow: ["read_*"] }), "read_file", undefined],
  [
    "allow refuses what it does not match",
    server({ allow: ["read_*"] }),
    "write_file",
    { field: "servers.fs.allow" },
  ],
  [
    "deny refuses what it matches",
    server({ deny: ["write_*"] }),
    "write_file",
    { field: "servers.fs.deny", glob: "write_*" },
  ],
  [
    "deny beats allow",
    server({ allow: ["*"], deny: ["write_*", "edit_*"] }),
    "edit_file",
    { field: "servers.fs.deny", glob: "edit_*" },
  ],
  [
    "a tool include leaves out is refused whatever allow says",
    server({ include: ["read_*"], allow: ["*"] }),
    "write_file",
    { field: "servers.fs.include" },
  ],
  [
    "a tool exclude leaves out is refused whatever allow says",
    server({ exclude: ["write_*"], allow: ["write_file"] }),
    "write_file",
    { field: "servers.fs.exclude", glob: "write_*" },
  ],
  [
    "globs match whole names, as include does",
    server({ deny: ["write"] }),
    "write_file",
    undefined,
  ],
  [
    "a tool name is not a path: * matches a leading dot",
    server({ deny: ["*"] }),
    ".admin",
    { field: "servers.fs.deny", glob: "*" },
  ],
  [
    "a tool name is not a path: * matches a slash",
    server({ deny: ["admin*"] }),
    "admin/delete",
    { field: "servers.fs.deny", glob: "admin*" },
  ],
  [
    "a slash in a glob matches a slash in the name",
    server({ allow: ["admin/*"] }),
    "admin/list",
    undefined,
  ],
  [
    "a backslash escapes, on every platform",
    server({ deny: ["a\\*"] }),
    "a*",
    { field: "servers.fs.deny", glob: "a\\*" },
  ],
  ["an escaped star is no wildcard", server({ deny: ["a\\*"] }), "ab", undefined],
  [
    "a server name that is not a plain key is quoted in the field",
    server({ name: "my.fs", deny: ["*"] }),
    "x",
    { field: 'servers["my.fs"].deny', glob: "*" },
  ],
];

const readOnly = { annotations: { readOnlyHint: true } };
const destructive = { annotations: { readOnlyHint: false, destructiveHint: true } };
const additive = { annotations: { readOnlyHint: false, destructiveHint: false } };
const silent = { annotations: undefined };
const titleOnly = { annotations: { title: "Write" } };

/** [title, server, how the tool was listed, the field asking for a yes (undefined: none)]. */
const approvals: [
  string,
  Server,
  Parameters<ReturnType<typeof callPolicy>["approval"]>[1],
  string | undefined,
][] = [
  ["no approve: nothing asked", server({}), destructive, undefined],
  [
    "a tools glob asks, whatever the annotations",
    server({ approveTools: ["write_*"] }),
    readOnly,
    "servers.fs.approve.tools",
  ],
  [
    "destructive: destructiveHint true asks",
    server({ approveDestructive: true }),
    destructive,
    "servers.fs.approve.destructive",
  ],
  [
    "destructive: readOnlyHint true does not ask",
    server({ approveDestructive: true }),
    readOnly,
    undefined,
  ],
  [
    "destructive: destructiveHint false does not ask",
    server({ approveDestructive: true }),
    additive,
    undefined,
  ],
  [
    "destructive: no annotations asks (MCP's default: not read-only, destructive)",
    server({ approveDestructive: true }),
    silent,
    "servers.fs.approve.destructive",
  ],
  [
    "destructive: annotations without either hint ask",
    server({ approveDestructive: true }),
    titleOnly,
    "servers.fs.approve.destructive",
  ],
  [
    "destructive: readOnlyHint true wins over destructiveHint true (the hint means nothing then)",
    server({ approveDestructive: true }),
    { annotations: { readOnlyHint: true, destructiveHint: true } },
    undefined,
  ],
  [
    "destructive: a tool the server did not list asks",
    server({ approveDestructive: true }),
    "unlisted",
    "servers.fs.approve.destructive",
  ],
];

describe("callPolicy", () => {
  it.each(refusals)("%s", (_title, given, tool, want) => {
    const rule = callPolicy(given).refusal(tool);
    if (want === undefined) return expect(rule).toBeUndefined();
    expect({ field: rule?.field, glob: rule?.glob }).toEqual({
      field: want.field,
      glob: want.glob,
    });
  });

  it.each(approvals)("%s", (_title, given, listed, want) => {
    expect(callPolicy(given).approval("write_file", listed)?.field).toBe(want);
  });

  it("says why and what to change, in words a message can carry", () => {
    const policy = callPolicy(server({ allow: ["read_*"], deny: ["write_*"] }));
    expect(policy.refusal("write_file")).toEqual({
      field: "servers.fs.deny",
      glob: "write_*",
      because: 'it matches "write_*" in servers.fs.deny',
      change: 'remove "write_*" from servers.fs.deny',
    });
    expect(policy.refusal("edit_file")).toEqual({
      field: "servers.fs.allow",
      because: "no glob of servers.fs.allow matches it",
      change: 'add "edit_file" to servers.fs.allow',
    });
    const excluded = callPolicy(server({ exclude: ["edit_*"] })).refusal("edit_file");
    expect(excluded?.because).toBe(
      'it matches "edit_*" in servers.fs.exclude, so the stubs were generated without it',
    );
    expect(excluded?.change).toBe(
      'remove "edit_*" from servers.fs.exclude (and run `npx mcp-codegen generate`)',
    );
    const asked = callPolicy(server({ approveDestructive: true })).approval("x", silent);
    expect(asked?.because).toMatch(
      /^servers\.fs\.approve\.destructive is true and its annotations do not say readOnlyHint: true or destructiveHint: false/,
    );
  });
});

describe("defineConfig", () => {
  // Through a typed constant: defineConfig's overloads would report only "no overload matches".
  const config = (fs: string) => `import { defineConfig, type UserConfig } from "mcp-codegen";
const config: UserConfig = { servers: { fs: { command: "node", ${fs} } } };
export default defineConfig(config);
`;

  it("types allow, deny and approve (the built declarations, as a user's editor sees them)", () => {
    // Under test/.tmp, where \`mcp-codegen\` resolves to this repo as an installed package would.
    const good = tempProject(
      {
        "codegen.config.ts": config(
          'allow: ["read_*"], deny: ["write_*"], approve: { tools: ["move_*"], destructive: true }',
        ),
      },
      true,
    );
    expect(typeErrors(good, ["codegen.config.ts"])).toEqual([]);
    const bad = tempProject(
      { "codegen.config.ts": config('deny: "write_*", approve: { destructive: "yes" }') },
      true,
    );
    expect(typeErrors(bad, ["codegen.config.ts"]).map((e) => e.replace(/\(\d+,\d+\)/, ""))).toEqual(
      [
        "codegen.config.ts: Type 'string' is not assignable to type 'string[]'.",
        "codegen.config.ts: Type 'string' is not assignable to type 'boolean | undefined'.",
      ],
    );
  });
});
