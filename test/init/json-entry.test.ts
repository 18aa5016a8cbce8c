/**
 * Adding the `mcp-codegen` entry to a client's JSON config as text: everything else in the file
 * stays byte for byte (entries, unknown keys, comments, indentation, line endings), a rerun
 * changes nothing, and a file that cannot be edited safely is an error naming it.
 */
import { describe, expect, it } from "vitest";
import { parseJsonWithComments } from "../../src/config/json.js";
import { ConfigError } from "../../src/errors.js";
import { addServerEntry, type EntryRequest } from "../../src/init/json-entry.js";

const ENTRY = { command: "npx", args: ["mcp-codegen", "serve"] };
const request = (more: Partial<EntryRequest> = {}): EntryRequest => ({
  file: "/p/.mcp.json",
  key: "mcpServers",
  name: "mcp-codegen",
  entry: ENTRY,
  force: false,
  ...more,
});

describe("addServerEntry", () => {
  it.each<[string, { given: string | undefined; key?: "mcpServers" | "servers"; want: string }]>([
    [
      "no file: a new one",
      {
        given: undefined,
        want: `{
  "mcpServers": {
    "mcp-codegen": {
      "command": "npx",
      "args": [
        "mcp-codegen",
        "serve"
      ]
    }
  }
}
`,
      },
    ],
    [
      "after the last server, at its indentation, keeping comments, trailing commas and other keys",
      {
        given: `// mine
{
    "mcpServers": {
        "memory": { "command": "npx" }, // a note
    },
    "theme": "dark",
}
`,
        want: `// mine
{
    "mcpServers": {
        "memory": { "command": "npx" },
        "mcp-codegen": {
            "command": "npx",
            "args": [
                "mcp-codegen",
                "serve"
            ]
        }, // a note
    },
    "theme": "dark",
}
`,
      },
    ],
    [
      "into an empty servers object, with the file's tabs (VS Code's key)",
      {
        given: '{\n\t"inputs": [],\n\t"servers": {}\n}\n',
        key: "servers",
        want: '{\n\t"inputs": [],\n\t"servers": {\n\t\t"mcp-codegen": {\n\t\t\t"command": "npx",\n\t\t\t"args": [\n\t\t\t\t"mcp-codegen",\n\t\t\t\t"serve"\n\t\t\t]\n\t\t}\n\t}\n}\n',
      },
    ],
    [
      "a file without the servers key gets it, on the line the file is written on",
      {
        given: '{ "globalShortcut": "Ctrl+Space" }',
        want: '{ "globalShortcut": "Ctrl+Space", "mcpServers": {"mcp-codegen":{"command":"npx","args":["mcp-codegen","serve"]}} }',
      },
    ],
    [
      "CRLF line endings and a byte-order mark stay",
      {
        given: '\uFEFF{\r\n  "mcpServers": {\r\n    "a": {}\r\n  }\r\n}\r\n',
        want: '\uFEFF{\r\n  "mcpServers": {\r\n    "a": {},\r\n    "mcp-codegen": {\r\n      "command": "npx",\r\n      "args": [\r\n        "mcp-codegen",\r\n        "serve"\r\n      ]\r\n    }\r\n  }\r\n}\r\n',
      },
    ],
  ])("%s", (_title, { given, key, want }) => {
    const result = addServerEntry(given, request(key ? { key } : {}));
    expect(result.text).toBe(want);
    expect(result.outcome).toBe(given === undefined ? "created" : "added");
    // The result parses, holds the entry, and a second run leaves it as it is.
    const servers = (parseJsonWithComments(want.replace(/^\uFEFF/, ""), "f") as never)[
      key ?? "mcpServers"
    ];
    expect(servers["mcp-codegen"]).toEqual(ENTRY);
    expect(addServerEntry(want, request(key ? { key } : {}))).toEqual({
      text: want,
      outcome: "unchanged",
    });
  });

  it("leaves an entry of that name that differs, unless forced, and then replaces only it", () => {
    const given = `{
  "mcpServers": {
    "mcp-codegen": { "command": "node", "args": ["old.js"] },
    "b": {}
  }
}
`;
    expect(() => addServerEntry(given, request())).toThrow(
      /^It has a "mcp-codegen" entry that differs from the one init writes .*; it was left as it is\. Run init with --force to replace it in \/p\/\.mcp\.json$/,
    );
    const forced = addServerEntry(given, request({ force: true }));
    expect(forced.outcome).toBe("replaced");
    expect(forced.text).toBe(`{
  "mcpServers": {
    "mcp-codegen": {
      "command": "npx",
      "args": [
        "mcp-codegen",
        "serve"
      ]
    },
    "b": {}
  }
}
`);
  });

  it.each([
    ["does not parse", '{ "mcpServers": { ', /^Invalid JSON \(.*\) in \/p\/\.mcp\.json$/],
    ["is not an object", "[1, 2]", /^It is not a JSON object; nothing was written in /],
    [
      "has servers that are not an object",
      '{ "mcpServers": [] }',
      /^Its "mcpServers" is not an object of servers; nothing was written in /,
    ],
  ])("a file that %s is a ConfigError naming it", (_title, given, message) => {
    const error = (() => {
      try {
        return addServerEntry(given, request());
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it("an entry under __proto__ or other inherited names is not taken for ours", () => {
    const given = '{ "mcpServers": { "__proto__": { "command": "x" } } }';
    const result = addServerEntry(given, request());
    expect(result.outcome).toBe("added");
    expect(result.text).toContain('"__proto__": { "command": "x" }');
  });
});
