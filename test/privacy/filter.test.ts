/**
 * The host's privacy filter on its own: requests made real, results and errors tokenized,
 * the shape of structured content kept, binary left alone, and no cost without privacy.
 */
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.js";
import type { UserConfig } from "../../src/config/types.js";
import { privacyFilter } from "../../src/privacy/filter.js";
import { KnownValues } from "../../src/privacy/known.js";
import type { RequestMessage } from "../../src/runner/protocol.js";
import { withPrivacy } from "../../src/runner/private-host.js";
import type { ToolHost } from "../../src/runner/tool-host.js";
import { McpToolError, RuntimeError } from "../../src/runtime/errors.js";

const config = (raw: Omit<UserConfig, "servers">) =>
  resolveConfig(
    { ...raw, servers: { crm: { command: "x", privacy: true }, plain: { command: "x" } } },
    { root: "/p", cwd: "/p", env: {} },
  );
const request = (args: unknown[]): RequestMessage => ({
  type: "request",
  id: 1,
  op: "callTool",
  args,
});

describe("the privacy filter", () => {
  it("tokenizes strings and keys of structured content, keeping its shape and binary data", () => {
    const filter = privacyFilter(config({}));
    const image = {
      type: "image",
      data: "NDExMTExMTExMTExMTExMQ==4111111111111111",
      mimeType: "image/png",
    };
    const shown = filter.hide("crm", {
      kind: "content",
      content: [{ type: "text", text: "mail jane@example.com" }, image],
      structuredContent: {
        people: [{ email: "jane@example.com", age: 41, tags: ["+44 20 7946 0958"] }],
        byAddress: { "jean@example.fr": true, ["__proto__"]: 1 },
      },
    });
    expect(shown).toEqual({
      kind: "content",
      content: [{ type: "text", text: "mail [EMAIL_1]" }, image],
      structuredContent: {
        people: [{ email: "[EMAIL_1]", age: 41, tags: ["[PHONE_1]"] }],
        byAddress: { "[EMAIL_2]": true, ["__proto__"]: 1 },
      },
    });
    const resource = { contents: [{ uri: "x://1", blob: "4111111111111111" }] };
    expect(filter.hide("crm", { kind: "value", value: resource })).toEqual({
      kind: "value",
      value: resource,
    });
  });

  it("makes tokens real anywhere in a request's strings; tokens it did not hand out stay", () => {
    const filter = privacyFilter(config({}));
    filter.hide("crm", { kind: "value", value: "jane@example.com, +44 20 7946 0958" });
    const revealed = filter.reveal(
      request([
        "plain",
        "save",
        { to: "[EMAIL_1]", body: "call [PHONE_1] or [PHONE_2]", "[EMAIL_1]": ["[EMAIL_3]"] },
      ]),
    );
    expect(revealed.args).toEqual([
      "plain",
      "save",
      {
        to: "jane@example.com",
        body: "call +44 20 7946 0958 or [PHONE_2]",
        "jane@example.com": ["[EMAIL_3]"],
      },
    ]);
  });

  it("hides known values in what a server without privacy answers, and detects nothing new there", () => {
    const filter = privacyFilter(config({}));
    filter.hide("crm", { kind: "value", value: "jane@example.com" });
    expect(
      filter.hide("plain", {
        kind: "value",
        value: "echo: jane@example.com, new: jean@example.fr",
      }),
    ).toEqual({ kind: "value", value: "echo: [EMAIL_1], new: jean@example.fr" });
  });

  it("tokenizes an error's message, stack and fields (a tool's error content)", () => {
    const filter = privacyFilter(config({}));
    const error = new McpToolError("crm", "find", [
      { type: "text", text: "no person has the address jane@example.com" },
    ]);
    const shown = filter.hideError("crm", error) as McpToolError;
    expect(shown.message).toBe(
      'tool "find" of server "crm" returned an error: no person has the address [EMAIL_1]',
    );
    expect(shown.stack).not.toContain("jane@example.com");
    expect(shown.content).toEqual([{ type: "text", text: "no person has the address [EMAIL_1]" }]);
  });

  it("refuses a result nested too deep to check rather than passing it on", () => {
    const filter = privacyFilter(config({}));
    let deep: unknown = "jane@example.com";
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(() => filter.hide("crm", { kind: "value", value: deep })).toThrow(RuntimeError);
  });
});

describe("withPrivacy", () => {
  /** What the servers were sent, as the wrapped host saw it. */
  const sent: unknown[] = [];
  const host: ToolHost = {
    handle: async (message) => {
      sent.push(message.args[2]);
      return { kind: "value", value: message.args };
    },
    close: async () => {},
    config: () => config({}),
  };

  it("is the host itself when no server has privacy on: nothing to pay", () => {
    const off = resolveConfig(
      { servers: { plain: { command: "x" } } },
      { root: "/", cwd: "/", env: {} },
    );
    expect(withPrivacy(host, off)).toBe(host);
  });

  it("gives each wrapped host a token map of its own", async () => {
    const signal = new AbortController().signal;
    const [a, b] = [withPrivacy(host, config({})), withPrivacy(host, config({}))];
    const first = await a.handle(request(["crm", "t", "jean@example.fr"]), signal, undefined);
    expect(first).toEqual({ kind: "value", value: ["crm", "t", "[EMAIL_1]"] });
    const other = await b.handle(request(["crm", "t", "[EMAIL_1]"]), signal, undefined);
    expect(other).toEqual({ kind: "value", value: ["crm", "t", "[EMAIL_1]"] });
    const again = await a.handle(request(["plain", "t", "[EMAIL_1]"]), signal, undefined);
    // Made real on the way in, hidden again on the way out: the host echoes it.
    expect(again).toEqual({ kind: "value", value: ["plain", "t", "[EMAIL_1]"] });
    expect(sent).toEqual(["jean@example.fr", "[EMAIL_1]", "jean@example.fr"]);
  });
});

describe("known values", () => {
  it("finds thousands at once, the longer of two starting at one place, short ones too", () => {
    const values = Array.from(
      { length: 5000 },
      (_, i) => `+44 20 7946 ${String(i).padStart(4, "0")}`,
    );
    const known = new KnownValues([...values, "+44 20 7946 0001 ext 9", "E1"]);
    const text = `a +44 20 7946 0001 ext 9, b ${values[4999]}, c E1, d +44 20 7946 00`;
    expect(known.in(text).map(({ start, end }) => text.slice(start, end))).toEqual([
      "+44 20 7946 0001 ext 9",
      "+44 20 7946 4999",
      "E1",
    ]);
  });
});
