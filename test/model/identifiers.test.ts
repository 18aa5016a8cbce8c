/**
 * Tool names → identifiers and type names. Every identifier must be valid TypeScript, never a
 * reserved word, and its PascalCase type name must come out of json-schema-to-typescript
 * unchanged (the compiler rewrites names it does not like, which would break our references).
 */
import { compile } from "json-schema-to-typescript";
import { describe, expect, it } from "vitest";
import {
  MAX_IDENTIFIER_LENGTH,
  toIdentifier,
  toSafeTypeName,
  toTypeName,
  toWords,
} from "../../src/model/identifiers.js";

const LONG_A = "a".repeat(300);
const LONG_A_B = `${"a".repeat(299)}b`;

const cases: Array<[string, { given: string; want: string }]> = [
  ["snake_case", { given: "get_document", want: "getDocument" }],
  ["kebab-case", { given: "get-user", want: "getUser" }],
  ["camelCase stays", { given: "getUser", want: "getUser" }],
  ["PascalCase", { given: "GetUser", want: "getUser" }],
  ["an acronym", { given: "HTTPServer", want: "httpServer" }],
  ["dots", { given: "fs.read_file", want: "fsReadFile" }],
  ["a slash", { given: "files/list", want: "filesList" }],
  ["reserved word delete", { given: "delete", want: "deleteTool" }],
  ["reserved word class", { given: "class", want: "classTool" }],
  ["the runtime's own callMcpTool", { given: "callMcpTool", want: "callMcpToolTool" }],
  ["then, which would make the barrel a thenable", { given: "then", want: "thenTool" }],
  ["a leading digit", { given: "123start", want: "tool123Start" }],
  ["device name CON", { given: "CON", want: "conTool" }],
  ["device name nul", { given: "nul", want: "nulTool" }],
  ["device name com1", { given: "com1", want: "com1Tool" }],
  ["accents, and letters spelled out (ø → o)", { given: "ünïcødé_tool", want: "unicodeTool" }],
  ["an emoji", { given: "emoji_🚀_launch", want: "emojiLaunch" }],
  ["a space", { given: "with space", want: "withSpace" }],
  ["the empty string", { given: "", want: "tool" }],
  ["only symbols", { given: "!@#$%^&*()", want: "tool" }],
  ["__proto__", { given: "__proto__", want: "proto" }],
  ["a 300-character name", { given: LONG_A, want: `${"a".repeat(51)}X9835FA6B` }],
];

// Words no identifier may be: reserved (also in strict mode and modules) or names the generated
// files bind themselves.
const FORBIDDEN = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends " +
    "false finally for function if import in instanceof new null return super switch this throw " +
    "true try typeof var void while with implements interface let package private protected " +
    "public static yield await arguments eval undefined NaN Infinity callMcpTool ContentResult"
  ).split(" "),
);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The names of the interfaces json-schema-to-typescript emits for a schema titled `name`. */
async function emittedNames(name: string): Promise<string[]> {
  const schema = {
    title: name,
    type: "object" as const,
    properties: { input: { $ref: "#/$defs/input" } },
    additionalProperties: false,
    $defs: { input: { title: `${name}Input`, type: "object" as const } },
  };
  const code = await compile(schema, "Fallback", { bannerComment: "", format: false });
  return [...code.matchAll(/^export interface (\S+) /gm)].map((m) => m[1]!);
}

describe("toIdentifier", () => {
  it.each(cases)("%s", (_title, { given, want }) => {
    expect(toIdentifier(given)).toBe(want);
  });

  it.each(cases)("%s: a valid, unreserved identifier", (_title, { given }) => {
    const id = toIdentifier(given);
    expect(id).toMatch(IDENTIFIER);
    expect(FORBIDDEN.has(id)).toBe(false);
    expect(id.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
  });

  it.each(cases)("%s: its type name survives json-schema-to-typescript", async (_t, { given }) => {
    const typeName = toTypeName(toIdentifier(given));
    expect(typeName).toMatch(/^[A-Z]/);
    expect(await emittedNames(typeName)).toEqual([typeName, `${typeName}Input`]);
  });

  it("keeps a collision's hash suffix through json-schema-to-typescript", async () => {
    for (const identifier of ["getUser_bf1e2a", "getUser_5a42f9", "tool_0a1b2c3d"]) {
      const typeName = toTypeName(identifier);
      expect(typeName).toMatch(/^[A-Z][A-Za-z0-9]*_[0-9A-F]+$/);
      expect(await emittedNames(typeName)).toEqual([typeName, `${typeName}Input`]);
    }
  });

  it("caps long names with a hash of the whole: stable, and distinct when the tails differ", () => {
    expect(toIdentifier(LONG_A)).toHaveLength(MAX_IDENTIFIER_LENGTH);
    expect(toIdentifier(LONG_A)).toBe(toIdentifier("a".repeat(300)));
    expect(toIdentifier(LONG_A_B)).toHaveLength(MAX_IDENTIFIER_LENGTH);
    expect(toIdentifier(LONG_A_B)).not.toBe(toIdentifier(LONG_A));
    expect(toIdentifier(LONG_A_B).slice(0, 51)).toBe("a".repeat(51));
  });

  it("uses the fallback word it is given", () => {
    expect(toIdentifier("", "server")).toBe("server");
    expect(toIdentifier("9lives", "server")).toBe("server9Lives");
    expect(toIdentifier("class", "server")).toBe("classServer");
  });
});

describe("toWords", () => {
  const words: Array<[string, { given: string; want: string[] }]> = [
    ["acronym then word", { given: "HTTPServer", want: ["HTTP", "Server"] }],
    ["digits split off", { given: "v2Api", want: ["v", "2", "Api"] }],
    ["accents folded", { given: "café_crème", want: ["cafe", "creme"] }],
    ["symbols only", { given: "*/-", want: [] }],
  ];
  it.each(words)("%s", (_title, { given, want }) => {
    expect(toWords(given)).toEqual(want);
  });
});

describe("toSafeTypeName", () => {
  const names: Array<[string, { given: string; want: string | undefined }]> = [
    ["a kebab-case key", { given: "my-type", want: "MyType" }],
    ["a comment closer", { given: "a*/b", want: "AB" }],
    ["nothing usable", { given: "*/", want: undefined }],
    ["a leading digit", { given: "123", want: "T123" }],
    ["a global type", { given: "Promise", want: "PromiseType" }],
    ["the runtime's ContentResult", { given: "ContentResult", want: "ContentResultType" }],
    ["__proto__", { given: "__proto__", want: "Proto" }],
  ];
  it.each(names)("%s", async (_title, { given, want }) => {
    const name = toSafeTypeName(given);
    expect(name).toBe(want);
    if (name !== undefined) expect(await emittedNames(name)).toEqual([name, `${name}Input`]);
  });
});
