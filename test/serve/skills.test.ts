/**
 * Skills through serve: saved with `save_skill`, listed with `list_skills`, found by
 * `search_tools`, imported by a later `execute_code`, and served over the MCP skills extension
 * (`skills/list`, `skills/get`, the SKILL.md read and verified) to the SDK's v2 client.
 */
import { SkillsClient } from "@modelcontextprotocol/client/ext/skills";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStdio, execute, serveProject, type ServeProject } from "./harness.js";

const CODE = `import { echo } from "./servers/flaky/index.js";

/** Says hello through the flaky server's echo. */
export async function hello(name: string): Promise<string> {
  return String(await echo({ message: "hello " + name }));
}
`;

describe("serve: skills", () => {
  let project: ServeProject;
  let connected: Awaited<ReturnType<typeof connectStdio>>;
  const text = (result: { content?: unknown }) =>
    (result.content as { text?: string }[]).map((b) => b.text ?? "").join("\n");

  beforeAll(async () => {
    project = await serveProject();
    connected = await connectStdio(project);
  }, 120_000);
  afterAll(() => connected?.close());

  it("saves, lists, finds and imports a skill; never over one without force", async () => {
    const { client } = connected;
    const saved = await client.callTool({
      name: "save_skill",
      arguments: { name: "say-hello", description: "Greets someone through echo.", code: CODE },
    });
    expect(saved.isError, text(saved)).toBeFalsy();
    expect(text(saved)).toContain('import it from "./skills/say-hello/index.js"');
    const again = await client.callTool({
      name: "save_skill",
      arguments: { name: "say-hello", description: "Other.", code: "export const x = 1;" },
    });
    expect(again.isError).toBe(true);
    expect(text(again)).toContain('skill "say-hello" exists already');
    const bad = await client.callTool({
      name: "save_skill",
      arguments: { name: "../up", description: "x", code: "1" },
    });
    expect(bad.isError).toBe(true);

    expect(text(await client.callTool({ name: "list_skills", arguments: {} }))).toBe(
      'say-hello: Greets someone through echo. (import from "./skills/say-hello/index.js")',
    );
    const found = await client.callTool({ name: "search_tools", arguments: { query: "greet" } });
    expect(text(found)).toContain('skill say-hello: import from "./skills/say-hello/index.js"');

    const used = await execute(
      client,
      'import { hello } from "./skills/say-hello/index.js";\nconsole.log(await hello("Ada"));',
    );
    expect(used.isError, used.text).toBe(false);
    expect(used.text).toContain("hello Ada");
  }, 120_000);

  it("serves the skills over the skills extension, to the SDK's client", async () => {
    const skills = new SkillsClient(connected.client);
    expect(skills.supported).toBe(true);
    const { skills: listed } = await skills.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]!.uri).toMatch(/^skill:\/\/.*say-hello\/SKILL\.md$/);
    const { skill } = await skills.get(listed[0]!.uri);
    const file = await skills.read(skill);
    expect(file.text).toContain("description: Greets someone through echo.");
  }, 60_000);

  it("lists the client's own workspace", async () => {
    const { client } = connected;
    await execute(
      client,
      'import { writeFileSync } from "node:fs";\nwriteFileSync("workspace/n.txt", "12345");',
    );
    const listed = text(await client.callTool({ name: "list_workspace", arguments: {} }));
    expect(listed).toMatch(/^workspace\/: 1 file, 5 B; a run may add up to \d+ MB/);
    expect(listed).not.toContain(project.dir);
    expect(listed).toContain("n.txt");
  }, 60_000);
});
