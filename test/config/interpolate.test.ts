import { describe, expect, it } from "vitest";
import { interpolateServer, interpolateString } from "../../src/config/interpolate.js";

const env = { TOKEN: "tok-123456", EMPTY: "", HOST: "mcp.example.test" };

/** `substituted` as `NAME=value`; `unfilled`: what this environment lacks; `issues`: mistakes. */
type StringCase = [
  title: string,
  {
    given: string;
    want: { value: string; substituted?: string[]; unfilled?: string[]; issues?: string[] };
  },
];

const MISSING = (name: string) =>
  `environment variable ${name} is not set: set it where mcp-codegen and your programs run, or write \${${name}:-default}`;

const stringCases: StringCase[] = [
  ["no reference", { given: "plain", want: { value: "plain" } }],
  [
    "one variable",
    {
      given: "Bearer ${TOKEN}",
      want: { value: "Bearer tok-123456", substituted: ["TOKEN=tok-123456"] },
    },
  ],
  [
    "several variables",
    {
      given: "https://${HOST}/${TOKEN}",
      want: {
        value: "https://mcp.example.test/tok-123456",
        substituted: ["HOST=mcp.example.test", "TOKEN=tok-123456"],
      },
    },
  ],
  [
    "VS Code's env: form",
    { given: "${env:TOKEN}", want: { value: "tok-123456", substituted: ["TOKEN=tok-123456"] } },
  ],
  ["default for an unset variable", { given: "${PORT:-3000}", want: { value: "3000" } }],
  [
    "default for an empty variable, as in the shell",
    { given: "${EMPTY:-x}", want: { value: "x" } },
  ],
  [
    "a set variable ignores its default",
    { given: "${TOKEN:-x}", want: { value: "tok-123456", substituted: ["TOKEN=tok-123456"] } },
  ],
  ["an empty default", { given: "a${NOPE:-}b", want: { value: "ab" } }],
  [
    "an empty variable without default is used as is",
    { given: "[${EMPTY}]", want: { value: "[]", substituted: ["EMPTY="] } },
  ],
  ["$VAR without braces is literal", { given: "$TOKEN", want: { value: "$TOKEN" } }],
  ["a predefined name", { given: "${workspaceFolder}/x", want: { value: "/proj/x" } }],
  [
    "a missing variable",
    {
      given: "${GITHUB_TOKEN}",
      want: {
        value: "${GITHUB_TOKEN}",
        unfilled: [`p: ${MISSING("GITHUB_TOKEN")}`],
      },
    },
  ],
  [
    "every missing variable in one string",
    {
      given: "${A}-${B}",
      want: {
        value: "${A}-${B}",
        unfilled: [`p: ${MISSING("A")}`, `p: ${MISSING("B")}`],
      },
    },
  ],
  [
    "VS Code inputs are named, with the ${env:…} to write instead",
    {
      given: "${input:github-token}",
      want: {
        value: "${input:github-token}",
        unfilled: [
          "p: ${input:github-token} is a VS Code input, which only VS Code can ask for: set an environment variable and write ${env:GITHUB_TOKEN} instead",
        ],
      },
    },
  ],
  [
    "a malformed reference",
    {
      given: "${not a name}",
      want: {
        value: "${not a name}",
        issues: ["p: ${not a name} is not a variable reference: write ${NAME} or ${NAME:-default}"],
      },
    },
  ],
];

describe("interpolateString", () => {
  it.each(stringCases)("%s", (_title, { given, want }) => {
    const result = interpolateString(given, ["p"], { env, vars: { workspaceFolder: "/proj" } });
    expect(result.value).toBe(want.value);
    expect(result.substituted.map((s) => `${s.name}=${s.value}`)).toEqual(want.substituted ?? []);
    expect(result.unfilled.map((i) => `${i.path}: ${i.message}`)).toEqual(want.unfilled ?? []);
    expect(result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual(want.issues ?? []);
  });

  it("leaves what it cannot fill when lenient, without issues", () => {
    const result = interpolateString("${NOPE} ${input:x} ${bad name}", ["p"], {
      env,
      lenient: true,
    });
    expect(result).toEqual({
      value: "${NOPE} ${input:x} ${bad name}",
      substituted: [],
      variables: ["NOPE"],
      issues: [],
      unfilled: [],
    });
  });
});

describe("interpolateServer", () => {
  it("fills every string field and reports every missing variable with its path", () => {
    const server = {
      command: "${BIN:-npx}",
      args: ["--host", "${HOST}", "${MISSING_ARG}"],
      env: { API_TOKEN: "${TOKEN}", OTHER: "${MISSING_ENV}" },
      cwd: "${MISSING_CWD}",
      include: ["${NOT_TOUCHED}"],
    };
    const result = interpolateServer(server, ["servers", "github"], { env });
    expect(result.value).toEqual({
      command: "npx",
      args: ["--host", "mcp.example.test", "${MISSING_ARG}"],
      env: { API_TOKEN: "tok-123456", OTHER: "${MISSING_ENV}" },
      cwd: "${MISSING_CWD}",
      include: ["${NOT_TOUCHED}"],
    });
    expect(result.substituted).toEqual([
      { name: "HOST", value: "mcp.example.test" },
      { name: "TOKEN", value: "tok-123456" },
    ]);
    expect(result.variables).toEqual([
      "BIN",
      "MISSING_CWD",
      "HOST",
      "MISSING_ARG",
      "TOKEN",
      "MISSING_ENV",
    ]);
    expect(result.issues).toEqual([]);
    expect(result.unfilled.map((i) => `${i.path}: ${i.message}`)).toEqual([
      `servers.github.cwd: ${MISSING("MISSING_CWD")}`,
      `servers.github.args.2: ${MISSING("MISSING_ARG")}`,
      `servers.github.env.OTHER: ${MISSING("MISSING_ENV")}`,
    ]);
  });

  it("names header paths, quoting keys that are not plain", () => {
    const result = interpolateServer(
      {
        url: "https://${HOST}/mcp",
        headers: { Authorization: "Bearer ${GITHUB_TOKEN}", "X-Api-Key": "${KEY}" },
      },
      ["servers", "github"],
      { env },
    );
    expect(result.value.url).toBe("https://mcp.example.test/mcp");
    expect(result.unfilled.map((i) => `${i.path}: ${i.message}`)).toEqual([
      `servers.github.headers.Authorization: ${MISSING("GITHUB_TOKEN")}`,
      `servers.github.headers.X-Api-Key: ${MISSING("KEY")}`,
    ]);
  });

  it("does not mutate its input and skips fields of the wrong type", () => {
    const server = { command: 5, args: "x", env: { A: "${TOKEN}" } };
    const copy = structuredClone(server);
    const result = interpolateServer(server, ["s"], { env });
    expect(server).toEqual(copy);
    expect(result.value).toEqual({ command: 5, args: "x", env: { A: "tok-123456" } });
  });
});
