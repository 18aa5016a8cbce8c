import { describe, expect, it } from "vitest";
import { collectSecrets, isSecretName } from "../../src/config/secrets.js";
import type { SecretSources } from "../../src/config/secrets.js";

type Case = [title: string, { given: SecretSources; want: string[] }];

const cases: Case[] = [
  ["nothing", { given: {}, want: [] }],
  [
    "env values, short ones dropped",
    { given: { env: { TOKEN: "abcdef", DEBUG: "1", MODE: "short" } }, want: ["abcdef"] },
  ],
  [
    "header values and the bearer token alone",
    {
      given: { headers: { Authorization: "Bearer sk-live-1234", Accept: "text/event-stream" } },
      want: ["Bearer sk-live-1234", "text/event-stream", "sk-live-1234"],
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
    "values read from the environment",
    { given: { substituted: ["mcp.example.test", "abc"] }, want: ["mcp.example.test"] },
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
        ],
      },
      want: [
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
    "URL password and secret query parameters",
    {
      given: { url: "https://user:hunter22@h.test/mcp?api_key=qwerty123&page=123456" },
      want: ["qwerty123", "hunter22"],
    },
  ],
  [
    "unique, longest first, then code-unit order",
    {
      given: { env: { A: "bbbbbb", B: "aaaaaa" }, substituted: ["bbbbbb", "ccccccc"] },
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
    ["--key", true],
    ["--key-file", false],
    ["--keyboard", false],
    ["--monkey", false],
    ["--port", false],
  ] as const)("%s → %s", (name, want) => {
    expect(isSecretName(name)).toBe(want);
  });
});
