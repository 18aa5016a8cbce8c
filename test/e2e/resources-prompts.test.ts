/**
 * Resources, resource templates and prompts in the tree, end to end: generated from the official
 * server-everything and the `extras` fixture (names and text chosen to break naive rules),
 * type-checked under strict, and called from a program through `mcp-codegen run`.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, runCli, tempProject, type CliResult } from "./cli.js";
import { officialServer } from "../connect/servers.js";

const config = `import { defineConfig } from "mcp-codegen";

export default defineConfig({
  servers: {
    extras: ${JSON.stringify(fixture("extras"))},
    everything: ${JSON.stringify({ command: "node", args: [officialServer("everything"), "stdio"] })},
  },
});
`;

const program = `import { readDynamicTextResource, readArchitectureMd } from "./servers/everything/resources.js";
import { argsPrompt, simplePrompt } from "./servers/everything/prompts.js";
import * as extras from "./servers/extras/resources.js";
import * as extraPrompts from "./servers/extras/prompts.js";

const text = (contents: { text?: string; blob?: string }[]) => contents.map((c) => c.text ?? c.blob).join("");
console.log(JSON.stringify({
  dynamic: text(await readDynamicTextResource({ resourceId: "7" })),
  architecture: text(await readArchitectureMd()).slice(0, 20),
  args: (await argsPrompt({ city: "Paris" })).messages.length,
  simple: (await simplePrompt()).messages.length,
  files: text(await extras.readFiles({ path: ["a b", "c"], q: "x&y" })),
  filesNoQuery: text(await extras.readFiles({ path: "one" })),
  user: text(await extras.readByConstructor({ constructor: "u/1" })),
  prompt: (await extraPrompts.getPrompt_${"$"}{HASH}({ "not an identifier": "v" })).messages[0],
  greet: (await extraPrompts.greet({ who: "Ada" })).messages[0],
  optional: (await extraPrompts.optionalOnly()).messages[0],
}));
`;

describe("resources, templates and prompts", () => {
  let dir: string;
  let generated: CliResult;
  const read = (file: string) => readFileSync(path.join(dir, "servers", file), "utf8");

  beforeAll(async () => {
    dir = tempProject({ "codegen.config.ts": config }, true);
    generated = await runCli(["generate"], { cwd: dir });
  });

  it("writes resources.ts and prompts.ts for the servers that offer them", () => {
    expect(generated.code, generated.stderr).toBe(0);
    const manifest = JSON.parse(read("manifest.json")) as {
      files: Record<string, string>;
      servers: Record<
        string,
        { resources?: Record<string, string>; prompts?: Record<string, string> }
      >;
    };
    for (const file of [
      "everything/resources.ts",
      "everything/prompts.ts",
      "extras/resources.ts",
      "extras/prompts.ts",
    ]) {
      expect(Object.keys(manifest.files)).toContain(file);
    }
    expect(Object.keys(manifest.servers.everything!.prompts!)).toEqual([
      "args-prompt",
      "completable-prompt",
      "resource-prompt",
      "simple-prompt",
    ]);
    expect(Object.keys(manifest.servers.extras!.resources!)).toContain(
      "extras://files{/path*}{?q,limit}",
    );
  });

  it("names each function once, never as an import, and types a template's variables", () => {
    const resources = read("extras/resources.ts");
    // Two resources called README: one keeps the name, the other is told apart by its URI.
    expect(resources.match(/export function readReadme\w*\(/g)).toHaveLength(2);
    expect(resources).toMatch(/export function readResource_[0-9a-f]{6}\(options\?: CallOptions\)/);
    expect(resources).toContain('"extras://resource"');
    expect(resources).toMatch(
      /export type ReadFilesParams = \{\n  path: string \| readonly string\[\];\n  q\?: string;\n  limit\?: string;\n\};/,
    );
    expect(resources).toMatch(
      /export type ReadByConstructorParams = \{\n  constructor: string;\n\};/,
    );
    // Server text stays text: the comment is not closed, the tag is escaped.
    expect(resources).toContain("Closes *\\/ the comment");
    expect(resources).toContain("\\@deprecated");
    const prompts = read("extras/prompts.ts");
    expect(prompts).toMatch(/export function getPrompt_[0-9a-f]{6}\(/);
    expect(prompts).toContain('"not an identifier": string;');
    expect(prompts).toContain("args: OptionalOnlyArguments = {}");
  });

  it("lists them in the server's catalog and summary", () => {
    const catalog = read("everything/README.md");
    expect(catalog).toContain("9 resources in `resources.ts`");
    expect(catalog).toContain(
      "- `readDynamicTextResource({ resourceId })`: Plaintext dynamic resource",
    );
    expect(catalog).toContain("- `argsPrompt({ city, state? })`: A prompt with two arguments");
    expect(read("everything/summary.d.ts")).toContain(
      "Besides tools: 9 resources in `resources.ts`, 4 prompts in `prompts.ts`, one function each.",
    );
  });

  it("type-checks under strict and calls them from a program", async () => {
    const prompts = read("extras/prompts.ts");
    const hash = /export function getPrompt_([0-9a-f]{6})\(/.exec(prompts)![1]!;
    const file = path.join(dir, "program.ts");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, program.replace("${HASH}", hash));
    const run = await runCli(["run", "--typecheck", "program.ts"], { cwd: dir, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      dynamic: expect.stringContaining("7") as unknown,
      architecture: expect.stringContaining("#") as unknown,
      args: 1,
      simple: 1,
      files: "extras://files/a%20b/c?q=x%26y",
      filesNoQuery: "extras://files/one",
      user: "extras://user/u%2F1",
      prompt: {
        role: "user",
        content: { type: "text", text: 'get-prompt {"not an identifier":"v"}' },
      },
      greet: { role: "user", content: { type: "text", text: 'greet {"who":"Ada"}' } },
      optional: { role: "user", content: { type: "text", text: "optional only {}" } },
    });
  });
});
