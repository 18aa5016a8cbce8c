import { describe, expect, it } from "vitest";
import { secretShapes } from "../../src/config/secret-shapes.js";
import { collectSecrets, isSecretName, secretOrigin } from "../../src/config/secrets.js";
import type { SecretSources } from "../../src/config/secrets.js";
import { fixture } from "../connect/servers.js";

type Case = [title: string, { given: SecretSources; want: string[] }];

const GHP = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
const cases: Case[] = [
  ["nothing", { given: {}, want: [] }],
  [
    "env values whose names say secret; ordinary ones are not secrets",
    {
      given: {
        env: {
          API_TOKEN: "abcdef",
          MODE: "directory",
          GREETING: "Returns",
          ROOT: "/home/me/projects",
          MODEL: "claude-3-5-sonnet-20241022",
          DEBUG: "1",
          PGPASSWORD: "hunter22",
          apiKey: "camel-key-1",
        },
      },
      want: ["camel-key-1", "hunter22", "abcdef"],
    },
  ],
  [
    "short values are dropped even with a secret name",
    { given: { env: { TOKEN: "abc12" } }, want: [] },
  ],
  [
    "header values and the bearer token alone; headers that carry no credentials are not secrets",
    {
      given: {
        headers: {
          Authorization: "Bearer sk-live-1234",
          "X-Tenant-Name": "acme-corp",
          Accept: "text/event-stream",
          "Notion-Version": "2022-06-28",
          "User-Agent": "my-agent/1.0",
        },
      },
      want: ["Bearer sk-live-1234", "sk-live-1234", "acme-corp"],
    },
  ],
  [
    "a lowercase authorization header with another scheme",
    {
      given: { headers: { authorization: "Basic dXNlcjpwYXNz" } },
      want: ["Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"],
    },
  ],
  [
    "values read from ${VAR} count when the variable's name says secret",
    {
      given: {
        substituted: [
          { name: "HOST", value: "mcp.example.test" },
          { name: "GITHUB_TOKEN", value: "tok-123456" },
        ],
      },
      want: ["tok-123456"],
    },
  ],
  [
    "secret-looking args in every form",
    {
      given: {
        args: [
          "--token",
          "tok-aaaaaa",
          "--api-key=key-bbbbbb",
          "--github-token",
          "tok-cccccc",
          "-e",
          "GITHUB_PERSONAL_ACCESS_TOKEN=pat-dddddd",
          "--password",
          "pw-eeeeee",
          "--secret",
          "sec-ffffff",
          "--key",
          "key-gggggg",
          "--header",
          "Authorization: Bearer hdr-hhhhhh",
          "X-Api-Key: hdr-iiiiii",
        ],
      },
      want: [
        "Bearer hdr-hhhhhh",
        "hdr-hhhhhh",
        "hdr-iiiiii",
        "key-bbbbbb",
        "key-gggggg",
        "pat-dddddd",
        "sec-ffffff",
        "tok-aaaaaa",
        "tok-cccccc",
        "pw-eeeeee",
      ],
    },
  ],
  [
    "ordinary args are not secrets",
    {
      given: {
        args: [
          "-y",
          "@scope/server-filesystem",
          "/home/user/projects",
          "--port",
          "3000",
          "--keyboard",
          "layout",
          "--key-file",
          "/etc/key.pem",
          "MODE=directory",
          "localhost:3000",
        ],
      },
      want: [],
    },
  ],
  [
    "a secret flag followed by another flag has no value",
    { given: { args: ["--token", "--verbose"] }, want: [] },
  ],
  [
    "URL password and secret query parameters, in the url, an argument or an env value",
    {
      given: {
        url: "https://user:hunter22@h.test/mcp?api_key=qwerty123&page=123456",
        args: ["postgresql://app:pg-pass-1@localhost/db"],
        env: { DATABASE_URL: "mysql://root:my-pass-2@db/x" },
      },
      want: ["my-pass-2", "pg-pass-1", "qwerty123", "hunter22"],
    },
  ],
  [
    "shapes count whatever the name: a token in an argument, inside a JSON env value",
    {
      given: {
        args: [GHP],
        env: {
          OPENAPI_MCP_HEADERS:
            '{"Authorization": "Bearer ntn_4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b"}',
        },
      },
      want: ["ntn_4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b", GHP],
    },
  ],
  [
    "names the config marks: env, header, ${VAR} and flag",
    {
      given: {
        env: { CONNECTION: "host=db user=app" },
        headers: { Accept: "application/x-custom" },
        args: ["--db", "postgres-db-1"],
        substituted: [{ name: "TENANT", value: "tenant-42" }],
        marked: ["CONNECTION", "accept", "--db", "TENANT"],
      },
      want: ["application/x-custom", "host=db user=app", "postgres-db-1", "tenant-42"],
    },
  ],
  [
    "unique, longest first, then code-unit order",
    {
      given: {
        env: { A_TOKEN: "bbbbbb", B_TOKEN: "aaaaaa" },
        substituted: [
          { name: "A_TOKEN", value: "bbbbbb" },
          { name: "C_SECRET", value: "ccccccc" },
        ],
      },
      want: ["ccccccc", "aaaaaa", "bbbbbb"],
    },
  ],
];

describe("collectSecrets", () => {
  it.each(cases)("%s", (_title, { given, want }) => {
    expect(collectSecrets(given)).toEqual(want);
  });
});

describe("isSecretName", () => {
  it.each([
    ["--token", true],
    ["--api-key", true],
    ["--apikey", true],
    ["--client_secret", true],
    ["--password", true],
    ["GITHUB_TOKEN", true],
    ["PGPASSWORD", true],
    ["apiKey", true],
    ["authToken", true],
    ["GOOGLE_APPLICATION_CREDENTIALS", true],
    ["DB_PASS", true],
    ["--key", true],
    ["--key-file", false],
    ["--keyboard", false],
    ["--monkey", false],
    ["--port", false],
    ["MAX_TOKENS", false],
    ["TOKEN_PATH", false],
    ["AUTH_ENABLED", false],
    ["AWS_ACCESS_KEY_ID", false],
    ["MODE", false],
  ] as const)("%s → %s", (name, want) => {
    expect(isSecretName(name)).toBe(want);
  });
});

describe("secretShapes", () => {
  it.each([
    ["a GitHub token", GHP, [GHP]],
    [
      "an OpenAI-style key",
      "sk-proj-abcDEF1234567890ghijklmnop",
      ["sk-proj-abcDEF1234567890ghijklmnop"],
    ],
    [
      "a Slack token",
      "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
      ["xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"],
    ],
    ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE", ["AKIAIOSFODNN7EXAMPLE"]],
    [
      "a JWT, once",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      [
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      ],
    ],
    ["Bearer credentials", "Bearer abcdefgh1234", ["abcdefgh1234"]],
    ["a random run", "key=Zx8Qm2Lw9Rt4Vy7Np3Ks6Hd1", ["Zx8Qm2Lw9Rt4Vy7Np3Ks6Hd1"]],
    [
      "a 40-character hex digest",
      "a3f5c9d2e1b7a8c4d6e0f2a1b3c5d7e9f1a2b3c4",
      ["a3f5c9d2e1b7a8c4d6e0f2a1b3c5d7e9f1a2b3c4"],
    ],
    ["a word", "directory", []],
    ["a sentence start", "Returns", []],
    ["a path", "/home/user/projects/my-app2", []],
    ["a URL", "https://mcp.example.test/mcp", []],
    ["a model name", "claude-3-5-sonnet-20241022", []],
    ["a dated model name", "gpt-4o-mini-2024-07-18", []],
    ["a slug", "my-project-name-with-many-words-2024", []],
    ["an identifier", "XMLHttpRequest2Level3Handler", []],
    ["camel case with a digit", "ThisIsACamelCaseIdentifierName2", []],
    ["a prefix without a token after it", "sk-learn-tutorial-example", []],
    ["a long number", "20241022153045123456789", []],
    ["an email", "user@example.com", []],
  ] as const)("%s", (_title, value, want) => {
    expect(secretShapes(value)).toEqual(want);
  });
});

describe("secretOrigin", () => {
  it("names the place of a secret in the config, never the value", () => {
    const server = fixture("hostile", ["--token", "tok-aaaaaa"], { env: { MODE: "directory" } });
    expect(secretOrigin(server, "directory")).toBe("env.MODE");
    expect(secretOrigin(server, "tok-aaaaaa")).toBe("args.2");
    expect(secretOrigin(server, "nowhere")).toBeUndefined();
  });
});
