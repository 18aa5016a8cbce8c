/**
 * `listResources`, `readResource`, `listPrompts` and `getPrompt` against real servers: the
 * official server-everything (resources and prompts), the `flaky` fixture (resources in pages
 * of five, no prompts) and the `schemas` fixture (tools only).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import {
  closeConnections,
  getPrompt,
  McpProtocolError,
  listPrompts,
  listResources,
  readResource,
  RuntimeError,
  setRuntimeConfig,
} from "../../src/runtime/index.js";
import { FIXTURES, officialServer, rejection, ROOT } from "../connect/servers.js";

beforeAll(() => {
  setRuntimeConfig(
    resolveConfig(
      {
        servers: {
          everything: { command: process.execPath, args: [officialServer("everything"), "stdio"] },
          flaky: { command: process.execPath, args: [join(FIXTURES, "flaky.mjs")] },
          schemas: { command: process.execPath, args: [join(FIXTURES, "schemas.mjs")] },
        },
      },
      { root: ROOT, cwd: ROOT, env: {} },
    ),
  );
});

afterAll(() => closeConnections());

describe("resources", () => {
  it("lists and reads server-everything's documents", async () => {
    const resources = await listResources("everything");
    const uri = "demo://resource/static/document/architecture.md";
    expect(resources).toContainEqual({
      uri,
      name: "architecture.md",
      description: "Static document file exposed from /docs: architecture.md",
      mimeType: "text/markdown",
    });
    const contents = await readResource("everything", uri);
    expect(contents).toHaveLength(1);
    expect(contents[0]).toMatchObject({ uri, mimeType: "text/markdown" });
    expect("text" in contents[0]! && contents[0].text).toContain("# Everything Server");
  });

  it("follows nextCursor through every page", async () => {
    const resources = await listResources("flaky");
    expect(resources.map((r) => r.uri)).toEqual(
      Array.from({ length: 12 }, (_, i) => `flaky://item/${i + 1}`),
    );
  });

  it("passes an unknown URI's protocol error on, with its code", async () => {
    const error = await rejection(readResource("flaky", "flaky://item/99"));
    expect(error).toBeInstanceOf(McpProtocolError);
    expect(error).toMatchObject({ rpcCode: -32002, method: "resources/read", tool: undefined });
    expect(error.message).toContain(
      'resources/read flaky://item/99 of server "flaky" failed with JSON-RPC error -32002: Resource not found: flaky://item/99',
    );
  });

  it("says clearly when a server has no resources", async () => {
    const error = await rejection(listResources("schemas"));
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toBe(
      'server "schemas" offers no resources (its answer to initialize does not announce the ' +
        '"resources" capability), so listResources cannot be used with it. Check the server ' +
        "name, or look for a tool that does the same.",
    );
  });
});

describe("prompts", () => {
  it("lists server-everything's prompts with their arguments", async () => {
    const prompts = await listPrompts("everything");
    expect(prompts.map((p) => p.name)).toEqual(
      expect.arrayContaining(["simple-prompt", "args-prompt"]),
    );
    expect(prompts.find((p) => p.name === "args-prompt")).toMatchObject({
      title: "Arguments Prompt",
      arguments: [
        { name: "city", description: "Name of the city", required: true },
        { name: "state", required: false },
      ],
    });
  });

  it("fills a prompt in with its arguments", async () => {
    expect(await getPrompt("everything", "args-prompt", { city: "Porto" })).toEqual({
      messages: [{ role: "user", content: { type: "text", text: "What's weather in Porto?" } }],
    });
  });

  it("passes an unknown prompt's protocol error on", async () => {
    const error = await rejection(getPrompt("everything", "no-such-prompt"));
    expect(error).toBeInstanceOf(McpProtocolError);
    expect(error).toMatchObject({ method: "prompts/get" });
    expect(error.message).toContain("no-such-prompt");
  });

  it("says clearly when a server has no prompts", async () => {
    const error = await rejection(listPrompts("flaky"));
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toContain('server "flaky" offers no prompts');
  });
});

describe("options", () => {
  it("rejects with the reason of an aborted signal, starting nothing", async () => {
    const reason = new Error("stop");
    const error = await rejection(listPrompts("everything", { signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
  });
});
