import { describe, expect, it } from "vitest";
import { redactText } from "../../src/connect/index.js";
import {
  introspectServer,
  redactSnapshot,
  type ServerSnapshot,
} from "../../src/introspect/index.js";
import { IntrospectionError } from "../../src/errors.js";
import type { Warning } from "../../src/log.js";
import { fixture } from "../connect/servers.js";

const SECRET = "tok-3f9a";

const snapshot: ServerSnapshot = {
  name: "acme",
  info: { name: `acme-${SECRET}`, version: "1.0.0", title: "Acme" },
  instructions: `Use token ${SECRET} twice: ${SECRET}.`,
  tools: [
    {
      name: `lookup_${SECRET}`,
      title: `Lookup ${SECRET}`,
      description: `Calls the API with ${SECRET}.`,
      inputSchema: {
        type: "object",
        properties: {
          [`key_${SECRET}`]: {
            type: "string",
            enum: ["a", SECRET],
            default: SECRET,
            examples: [[SECRET]],
          },
          n: { type: "number", default: 3 },
        },
        required: [`key_${SECRET}`],
      },
      outputSchema: {
        type: "object",
        properties: { ok: { type: "boolean", description: SECRET } },
      },
      annotations: { title: `t ${SECRET}`, readOnlyHint: true },
    },
  ],
  skipped: [
    { name: SECRET, index: 1, reason: `inputSchema.type must be "object", got "${SECRET}"` },
  ],
};

describe("redactSnapshot", () => {
  it("replaces the secret in free text and counts the replacements", () => {
    const { snapshot: redacted, redactions } = redactSnapshot(snapshot, [SECRET]);
    const [tool] = redacted.tools;
    expect(redacted.info).toEqual({ name: "acme-[REDACTED]", version: "1.0.0", title: "Acme" });
    expect(redacted.instructions).toBe("Use token [REDACTED] twice: [REDACTED].");
    expect(tool?.title).toBe("Lookup [REDACTED]");
    expect(tool?.description).toBe("Calls the API with [REDACTED].");
    expect(tool?.annotations).toEqual({ title: "t [REDACTED]", readOnlyHint: true });
    expect(tool?.outputSchema).toEqual({
      type: "object",
      properties: { ok: { type: "boolean", description: "[REDACTED]" } },
    });
    expect(redacted.skipped).toEqual([
      {
        name: "[REDACTED]",
        index: 1,
        reason: 'inputSchema.type must be "object", got "[REDACTED]"',
      },
    ]);
    // info 1, instructions 2, title, description, default, examples, annotations, output 1 each, skipped 2
    expect(redactions).toBe(11);
  });

  it("never rewrites names, keys or wire values, and says where a secret sits in them", () => {
    const { snapshot: redacted, inNames } = redactSnapshot(snapshot, [SECRET]);
    const [tool] = redacted.tools;
    expect(tool?.name).toBe(`lookup_${SECRET}`);
    expect(tool?.inputSchema).toEqual({
      type: "object",
      properties: {
        [`key_${SECRET}`]: {
          type: "string",
          enum: ["a", SECRET],
          default: "[REDACTED]",
          examples: [["[REDACTED]"]],
        },
        n: { type: "number", default: 3 },
      },
      required: [`key_${SECRET}`],
    });
    expect(inNames.map(({ tool, field }) => `${tool} ${field}`)).toEqual([
      "lookup_[REDACTED] name",
      'lookup_[REDACTED] inputSchema.properties["key_[REDACTED]"]',
      'lookup_[REDACTED] inputSchema.properties["key_[REDACTED]"].enum.1',
      "lookup_[REDACTED] inputSchema.required.0",
    ]);
    expect(inNames.every((found) => found.secret === SECRET)).toBe(true);
  });

  it("tells property names from keywords: a property called like a keyword is still a schema", () => {
    const tool = {
      name: "t",
      inputSchema: {
        type: "object",
        properties: { enum: { type: "string", description: `uses ${SECRET}` }, default: {} },
      },
    };
    const { snapshot: redacted, inNames } = redactSnapshot(
      { ...snapshot, tools: [tool], skipped: [] },
      [SECRET],
    );
    expect(redacted.tools[0]?.inputSchema).toEqual({
      type: "object",
      properties: { enum: { type: "string", description: "uses [REDACTED]" }, default: {} },
    });
    expect(inNames).toEqual([]);
  });

  it("does not modify its input and keeps the config's server name", () => {
    const before = structuredClone(snapshot);
    const { snapshot: redacted } = redactSnapshot({ ...snapshot, name: SECRET }, [SECRET]);
    expect(snapshot).toEqual(before);
    expect(redacted.name).toBe(SECRET);
  });

  it("replaces a longer secret whole when a shorter one is inside it, and ignores empty ones", () => {
    expect(redactText("abc-abcdef", ["", "abc", "abcdef"])).toEqual({
      text: "[REDACTED]-[REDACTED]",
      count: 2,
    });
    expect(redactText("a.c abc", ["a.c"])).toEqual({ text: "[REDACTED] abc", count: 1 });
  });

  it("returns the snapshot unchanged without secrets", () => {
    expect(redactSnapshot(snapshot, [])).toEqual({ snapshot, redactions: 0, inNames: [] });
  });

  it("keeps a secret a server echoes out of the snapshot introspectServer returns", async () => {
    const secret = "fixture-secret-8c1e";
    const warnings: Warning[] = [];
    const reporter = {
      serverStatus() {},
      info() {},
      warn: (warning: Warning) => warnings.push(warning),
    };
    const server = fixture("hostile", [], { env: { FIXTURE_SECRET: secret }, secrets: [secret] });
    const result = await introspectServer(server, reporter);
    expect(JSON.stringify(result)).not.toContain(secret);
    const tool = result.tools.find((t) => t.name === "env_secret");
    expect(tool?.description).toBe("Connects with token [REDACTED] to the backend.");
    expect(warnings.map((w) => w.message)).toEqual([
      "the server sent 2 occurrence(s) of secret values from the config (env, headers, arguments); they were replaced with [REDACTED]",
    ]);
  });
});

describe("introspectServer and secrets in names", () => {
  const TOKEN = "tok-5e1f-9a2b";
  const echo = (...places: string[]) =>
    fixture(
      "echo",
      places.flatMap((place) => ["--in", place]),
      { env: { ECHO_TOKEN: TOKEN }, secrets: [TOKEN] },
    );

  it.each([
    ["a tool's name", ["name"], "its name"],
    ["a property name", ["property"], 'inputSchema.properties["key_[REDACTED]"]'],
    ["an enum member", ["enum"], "inputSchema.properties.mode.enum.1"],
  ])(
    "fails the server when a secret is in %s, naming the tool and the place",
    async (_t, places, where) => {
      const error = await introspectServer(echo(...places)).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(IntrospectionError);
      const message = (error as Error).message;
      expect(message).not.toContain(TOKEN);
      const tool = places[0] === "name" ? "lookup_[REDACTED]" : "lookup";
      expect(message).toBe(
        `server "echo": tool "${tool}" has a value the config counts as secret (env.ECHO_TOKEN) in ${where}. ` +
          "Names are never rewritten, so nothing of this server was generated. If the value is no secret, " +
          'give it a name that does not say token, key, secret, password or credentials, and leave it out of "secrets"; ' +
          "if it is one, this server shows it in its tool list: stop giving it to this server.",
      );
    },
  );

  it("still redacts a secret in a description", async () => {
    const result = await introspectServer(echo("description"));
    expect(result.tools.map((t) => [t.name, t.description])).toEqual([
      ["ping", "Returns pong."],
      ["lookup", "Looks things up with token [REDACTED]."],
    ]);
  });
});

describe("redactSnapshot on resources, templates and prompts", () => {
  const extras: ServerSnapshot = {
    name: "acme",
    info: { name: "acme", version: "1" },
    tools: [],
    skipped: [],
    resources: [
      { uri: "acme://doc", name: "doc", description: `Read with ${SECRET}.`, title: SECRET },
      { uri: `acme://doc?token=${SECRET}`, name: "leaky" },
    ],
    resourceTemplates: [{ uriTemplate: "acme://{id}", name: `by ${SECRET}` }],
    prompts: [
      {
        name: "ask",
        description: `Uses ${SECRET}`,
        arguments: [{ name: `arg_${SECRET}`, description: SECRET, required: true }],
      },
    ],
  };

  it("redacts their text and reports a secret in a URI, a name or an argument's name", () => {
    const { snapshot: redacted, inNames } = redactSnapshot(extras, [SECRET]);
    expect(redacted.resources?.[0]).toEqual({
      uri: "acme://doc",
      name: "doc",
      description: "Read with [REDACTED].",
      title: "[REDACTED]",
    });
    // What goes on the wire or names a function is left as sent, and reported.
    expect(redacted.resources?.[1]?.uri).toBe(`acme://doc?token=${SECRET}`);
    expect(redacted.prompts?.[0]?.arguments?.[0]).toEqual({
      name: `arg_${SECRET}`,
      description: "[REDACTED]",
      required: true,
    });
    expect(inNames.map(({ kind, tool, field }) => ({ kind, tool, field }))).toEqual([
      { kind: "resource", tool: "leaky", field: "uri" },
      { kind: "resource template", tool: "by [REDACTED]", field: "name" },
      { kind: "prompt", tool: "ask", field: "arguments.0.name" },
    ]);
  });
});
