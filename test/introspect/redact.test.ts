import { describe, expect, it } from "vitest";
import { redactText } from "../../src/connect/index.js";
import {
  introspectServer,
  redactSnapshot,
  type ServerSnapshot,
} from "../../src/introspect/index.js";
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
  it("replaces the secret in every string, keys included, and counts the replacements", () => {
    const { snapshot: redacted, redactions } = redactSnapshot(snapshot, [SECRET]);
    const json = JSON.stringify(redacted);
    expect(json).not.toContain(SECRET);
    expect(redactions).toBe(JSON.stringify(snapshot).split(SECRET).length - 1);
    expect(redacted.tools[0]?.name).toBe("lookup_[REDACTED]");
    expect(redacted.tools[0]?.inputSchema).toEqual({
      type: "object",
      properties: {
        "key_[REDACTED]": {
          type: "string",
          enum: ["a", "[REDACTED]"],
          default: "[REDACTED]",
          examples: [["[REDACTED]"]],
        },
        n: { type: "number", default: 3 },
      },
      required: ["key_[REDACTED]"],
    });
    expect(redacted.instructions).toBe("Use token [REDACTED] twice: [REDACTED].");
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
    expect(redactSnapshot(snapshot, [])).toEqual({ snapshot, redactions: 0 });
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
