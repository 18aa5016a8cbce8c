import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { configIssues, validateConfig } from "../../src/config/validate.js";

type Case = [title: string, { given: unknown; want: string[] }];

/** Each case lists every issue expected, as `path: message` lines. */
const cases: Case[] = [
  [
    "a valid stdio and http server",
    { given: { servers: { a: { command: "npx" }, b: { url: "https://x.test/mcp" } } }, want: [] },
  ],
  [
    "no servers field",
    { given: { outDir: "out" }, want: ["servers: is required: an object of servers by name"] },
  ],
  [
    "an empty servers object",
    { given: { servers: {} }, want: ["servers: must name at least one server"] },
  ],
  [
    "not an object at all",
    {
      given: 42,
      want: ["config: must be an object with a `servers` field (the config file's default export)"],
    },
  ],
  [
    "several problems at once, across servers and the top level",
    {
      given: {
        concurrency: 0,
        servers: {
          github: { url: "ftp://x", headers: { Authorization: 1 } },
          fs: { command: "", args: ["a", 2], timeout: 1.5 },
          slow: { command: "x", timeout: 600_001 },
        },
      },
      want: [
        "concurrency: must be a whole number from 1 to 32",
        "servers.github.url: must be a URL (http or https)",
        "servers.github.headers.Authorization: must be a string",
        "servers.fs.command: must not be empty",
        "servers.fs.args.1: must be a string",
        "servers.fs.timeout: must be a positive whole number of milliseconds, at most 600000 (10 minutes)",
        "servers.slow.timeout: must be a positive whole number of milliseconds, at most 600000 (10 minutes)",
      ],
    },
  ],
  [
    "a typo in a field name is caught and the right name suggested",
    {
      given: { servers: { a: { comand: "npx" } } },
      want: [
        'servers.a.comand: unknown field; did you mean "command"?',
        'servers.a: needs "command" (to start a stdio server) or "url" (to reach an http server)',
      ],
    },
  ],
  [
    "an unknown top-level field",
    {
      given: { outdir: "x", servers: { a: { command: "x" } } },
      want: ['outdir: unknown field; did you mean "outDir"?'],
    },
  ],
  [
    "both command and url",
    {
      given: { servers: { a: { command: "x", url: "http://h" } } },
      want: ['servers.a: has both "command" (a stdio server) and "url" (an http server); keep one'],
    },
  ],
  [
    "fields of the other kind of server",
    {
      given: {
        servers: {
          s: { command: "x", headers: {}, transport: "sse" },
          h: { url: "http://h", args: [], cwd: "." },
        },
      },
      want: [
        'servers.s.headers: applies only to http servers (with "url")',
        'servers.s.transport: applies only to http servers (with "url")',
        'servers.h.args: applies only to stdio servers (with "command")',
        'servers.h.cwd: applies only to stdio servers (with "command")',
      ],
    },
  ],
  [
    "client-style type is accepted and must agree",
    {
      given: {
        servers: {
          ok1: { type: "stdio", command: "x" },
          ok2: { type: "sse", url: "http://h" },
          bad: { type: "stdio", url: "http://h" },
          odd: { type: "ws", url: "http://h" },
        },
      },
      want: [
        'servers.bad.type: is "stdio" but the server has "url": use "http" or "sse", or remove it',
        'servers.odd.type: must be "stdio", "http" or "sse"',
      ],
    },
  ],
  [
    "server names become folders",
    {
      given: {
        servers: {
          "my server": { command: "x" },
          "..": { command: "x" },
          ["a".repeat(65)]: { command: "x" },
          "google-drive": { command: "x" },
          "v1.2": { command: "x" },
        },
      },
      want: [
        `servers["my server"]: a server name must be 1 to 64 letters, digits, '-', '_' or '.' (not only dots): it becomes a folder name`,
        `servers[".."]: a server name must be 1 to 64 letters, digits, '-', '_' or '.' (not only dots): it becomes a folder name`,
        `servers.${"a".repeat(65)}: a server name must be 1 to 64 letters, digits, '-', '_' or '.' (not only dots): it becomes a folder name`,
      ],
    },
  ],
  [
    "names that differ only in case",
    {
      given: { servers: { github: { command: "x" }, GitHub: { command: "x" } } },
      want: [
        'servers.GitHub: differs from "github" only in letter case; they would share one folder',
      ],
    },
  ],
  [
    "wrong types for the remaining fields",
    {
      given: {
        servers: {
          a: { command: "x", env: ["A=1"], include: "x*", exclude: [1], disabled: "yes", cwd: 3 },
        },
      },
      want: [
        "servers.a.env: must be an object whose values are strings",
        "servers.a.cwd: must be a string",
        "servers.a.include: must be an array of strings",
        "servers.a.exclude.0: must be a string",
        "servers.a.disabled: must be true or false",
      ],
    },
  ],
  [
    "a URL holding a variable is left for after interpolation",
    { given: { servers: { a: { url: "${MCP_URL}" } } }, want: [] },
  ],
  [
    "envFile and secrets are accepted",
    {
      given: { servers: { a: { command: "x", envFile: ".env", secrets: ["A"] } } },
      want: [],
    },
  ],
  [
    "envFile is for stdio servers; secrets are names",
    {
      given: { servers: { a: { url: "https://h/mcp", envFile: ".env", secrets: [1, ""] } } },
      want: [
        "servers.a.secrets.0: must be a string",
        "servers.a.secrets.1: must not be empty",
        'servers.a.envFile: applies only to stdio servers (with "command")',
      ],
    },
  ],
  [
    "an OAuth auth field with every option",
    {
      given: {
        servers: {
          a: {
            url: "https://h/mcp",
            auth: {
              grant: "authorization_code",
              clientId: "${CLIENT_ID}",
              clientSecret: "${CLIENT_SECRET}",
              scopes: ["notes:read", "offline_access"],
              clientMetadataUrl: "https://app.example/client.json",
              redirectPort: 8765,
            },
          },
        },
      },
      want: [],
    },
  ],
  [
    "a call policy of globs and flags",
    {
      given: {
        servers: {
          fs: {
            command: "x",
            allow: ["read_*"],
            deny: ["write_*"],
            approve: { tools: ["move_*"], destructive: true },
          },
        },
      },
      want: [],
    },
  ],
  [
    "auth mistakes are named by field",
    {
      given: {
        servers: {
          a: {
            url: "https://h/mcp",
            auth: {
              grant: "password",
              scope: ["x"],
              scopes: ["a b"],
              clientMetadataUrl: "https://app.example/",
              redirectPort: 80,
            },
          },
          b: { url: "https://h/mcp", auth: { grant: "client_credentials" } },
          c: { command: "x", auth: {} },
        },
      },
      want: [
        'servers.a.auth.grant: must be "authorization_code" or "client_credentials"',
        "servers.a.auth.scopes.0: must be a scope name: printable characters without spaces, quotes or backslashes",
        "servers.a.auth.clientMetadataUrl: must be an https URL with a path (where the client's metadata document is)",
        "servers.a.auth.redirectPort: must be a port number from 1024 to 65535",
        'servers.a.auth.scope: unknown field; did you mean "scopes"?',
        'servers.b.auth.clientId: is required with grant "client_credentials"',
        'servers.b.auth.issuer: is required with grant "client_credentials": the authorization server the credentials are for, so that no other is sent them',
        'servers.b.auth.clientSecret: is required with grant "client_credentials" (or "privateKey")',
        'servers.c.auth: applies only to http servers (with "url")',
      ],
    },
  ],
  [
    "a call policy of the wrong shapes, each named by its field, nested fields suggested from their own object",
    {
      given: {
        servers: {
          fs: {
            command: "x",
            allow: "read_*",
            deny: [1],
            approve: { tools: "move_*", destructive: "yes", destrutive: true },
          },
          other: { command: "x", approve: { globs: ["*"] } },
          gh: { url: "https://x.test/mcp", approve: ["delete_*"] },
        },
      },
      want: [
        "servers.fs.allow: must be an array of strings",
        "servers.fs.deny.0: must be a string",
        "servers.fs.approve.tools: must be an array of strings",
        "servers.fs.approve.destructive: must be true or false",
        'servers.fs.approve.destrutive: unknown field; did you mean "destructive"?',
        "servers.other.approve.globs: unknown field; known fields: tools, destructive",
        'servers.gh.approve: must be an object: { tools?: ["glob", …], destructive?: true }',
      ],
    },
  ],
  [
    "privacy on for all, per server, or off for one",
    {
      given: {
        privacy: true,
        servers: {
          crm: {
            command: "x",
            privacy: { detect: ["email", "card"], patterns: { STAFF_ID: "E\\d{6}" } },
          },
          logs: { command: "x", privacy: false },
        },
      },
      want: [],
    },
  ],
  [
    "privacy settings of the wrong shapes, each at its own path",
    {
      given: {
        privacy: "yes",
        servers: {
          crm: {
            command: "x",
            privacy: {
              detect: ["mail", "ip"],
              patterns: { staff: "E\\d+", EMAIL: "x", OPEN: "(", ANY: "a*", NUM: 5 },
              detct: [],
            },
          },
          other: { command: "x", privacy: { detect: "email" } },
        },
      },
      want: [
        'privacy: must be true, false or { detect?: ["email", …], patterns?: { NAME: "regex" } }',
        'servers.crm.privacy.detect.0: must be one of "email", "phone", "card", "iban", "ip"',
        "servers.crm.privacy.patterns.OPEN: is not a regular expression: Invalid regular expression: /(/: Unterminated group",
        "servers.crm.privacy.patterns.ANY: matches an empty string: it must match at least one character",
        "servers.crm.privacy.patterns.NUM: must be a string",
        'servers.crm.privacy.detct: unknown field; did you mean "detect"?',
        "servers.crm.privacy.patterns.staff: must be a token name: 1 to 32 capital letters, digits and _, starting with a letter",
        "servers.crm.privacy.patterns.EMAIL: is a built-in kind's token (EMAIL, PHONE, CARD, IBAN, IP): name the pattern otherwise",
        'servers.other.privacy.detect: must be an array of "email", "phone", "card", "iban", "ip"',
      ],
    },
  ],
];

describe("configIssues", () => {
  it.each(cases)("%s", (_title, { given, want }) => {
    expect(configIssues(given).map((issue) => `${issue.path}: ${issue.message}`)).toEqual(want);
  });
});

describe("validateConfig", () => {
  it("throws one ConfigError listing every problem and the file", () => {
    const error = catchError(() =>
      validateConfig({ servers: { a: {}, b: { url: "nope" } } }, "/p/codegen.config.ts"),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe(
      "The config has 2 problems in /p/codegen.config.ts:\n" +
        '  servers.a: needs "command" (to start a stdio server) or "url" (to reach an http server)\n' +
        "  servers.b.url: must be a URL (http or https)",
    );
  });

  it("returns a valid config unchanged", () => {
    const config = { servers: { a: { command: "x" } } };
    expect(validateConfig(config)).toBe(config);
  });
});

function catchError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}
