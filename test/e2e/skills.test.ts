/**
 * Skills end to end: saved from a sandboxed program (the host writes them) and from the
 * command line, listed, and imported by a later program, in a project generated from a
 * fixture server.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture, runCli, tempProject } from "./cli.js";

const CODE = [
  'import { ping } from "./servers/echo/index.js";',
  "",
  "/** Pings the echo server twice. */",
  "export async function pingTwice(): Promise<string> {",
  "  return `${await ping()} ${await ping()}`;",
  "}",
  "",
].join("\n");

const saveProgram = (skill: Record<string, unknown>) =>
  [
    'import { saveSkill } from "mcp-codegen/runtime";',
    `console.log(JSON.stringify(await saveSkill(${JSON.stringify(skill)})));`,
  ].join("\n");

describe("skills", () => {
  let dir: string;
  const run = (file: string, source: string, ...flags: string[]) => {
    writeFileSync(path.join(dir, file), source);
    return runCli(["run", ...flags, file], { cwd: dir, timeoutMs: 60_000 });
  };

  beforeAll(async () => {
    dir = tempProject(
      {
        "codegen.config.ts": `export default ${JSON.stringify({ servers: { echo: fixture("echo") } })};\n`,
      },
      true,
    );
    const generated = await runCli(["generate"], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
  }, 60_000);

  it("a program saves one through the host: SKILL.md in the Agent Skills format, the code re-rooted, the catalog updated", async () => {
    const saved = await run(
      "save.ts",
      saveProgram({
        name: "ping-twice",
        description: "Pings the echo server twice; use to check it answers.",
        code: CODE,
      }),
    );
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toEqual({
      name: "ping-twice",
      description: "Pings the echo server twice; use to check it answers.",
      path: "skills/ping-twice",
      replaced: false,
    });
    const skill = path.join(dir, "skills/ping-twice");
    expect(readdirSync(skill).sort()).toEqual(["SKILL.md", "index.ts"]);
    const skillFile = readFileSync(path.join(skill, "SKILL.md"), "utf8");
    expect(skillFile).toMatch(
      /^---\nname: ping-twice\ndescription: Pings the echo server twice; use to check it answers.\nmetadata:\n  generator: mcp-codegen\n---\n/,
    );
    expect(skillFile).toContain('import { pingTwice } from "./skills/ping-twice/index.js";');
    expect(skillFile).toContain("export async function pingTwice(): Promise<string>;");
    expect(readFileSync(path.join(skill, "index.ts"), "utf8")).toBe(
      CODE.replace("./servers/echo/index.js", "../../servers/echo/index.js"),
    );
    expect(readFileSync(path.join(dir, "skills/README.md"), "utf8")).toContain(
      "- [`ping-twice`](ping-twice/SKILL.md): Pings the echo server twice; use to check it answers.",
    );

    const used = await run(
      "use.ts",
      'import { pingTwice } from "./skills/ping-twice/index.js";\nconsole.log(await pingTwice());\n',
      "--typecheck",
    );
    expect(used.code, used.stderr).toBe(0);
    expect(used.stdout.trim()).not.toBe("");
  }, 120_000);

  it("never overwrites a skill without force, and refuses bad names, text and code in the host", async () => {
    const again = await run(
      "again.ts",
      saveProgram({ name: "ping-twice", description: "Another.", code: "export const x = 1;" }),
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('SkillError: skill "ping-twice" exists already');
    expect(readFileSync(path.join(dir, "skills/ping-twice/index.ts"), "utf8")).toContain(
      "pingTwice",
    );

    for (const [skill, message] of [
      [
        { name: "../../escape", description: "x", code: "1" },
        'the name "../../escape" may hold only',
      ],
      [{ name: "a--b", description: "x", code: "1" }, 'may not start or end with "-" or hold "--"'],
      [{ name: "readme", description: "x", code: "1" }, "is the catalog's (skills/README.md)"],
      [{ name: "ok", description: "two\nlines", code: "1" }, "must be one line of text"],
      [
        { name: "ok", description: "x", code: "export const = ;" },
        'the code of skill "ok" does not parse (line 1)',
      ],
      [{ name: "ok", description: "x", code: 42 }, "saveSkill(skill): skill.code must be a string"],
    ] as const) {
      const refused = await run("bad.ts", saveProgram(skill));
      expect(refused.code, JSON.stringify(skill)).toBe(1);
      expect(refused.stderr).toContain(message);
    }
    expect(readdirSync(path.join(dir, "skills")).sort()).toEqual(["README.md", "ping-twice"]);
    expect(existsSync(path.join(dir, "escape"))).toBe(false);

    const forced = await run(
      "force.ts",
      saveProgram({ name: "ping-twice", description: "Replaced.", code: CODE, force: true }),
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ replaced: true, description: "Replaced." });
  }, 120_000);

  it("the command line saves a file and lists the skills", async () => {
    writeFileSync(
      path.join(dir, "hello.ts"),
      "export function hello(name: string): string {\n  return `hi ${name}`;\n}\n",
    );
    const saved = await runCli(
      [
        "skill",
        "save",
        "hello.ts",
        "--name",
        "say-hello",
        "--description",
        "Greets someone by name.",
      ],
      { cwd: dir },
    );
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stderr).toContain('Saved skill "say-hello" in skills/say-hello/');
    const refused = await runCli(
      ["skill", "save", "hello.ts", "--name", "say-hello", "--description", "Again."],
      { cwd: dir },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("--force");
    const found = await runCli(["search", "greet", "--json"], { cwd: dir });
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout).skills).toEqual({
      total: 1,
      hits: [
        {
          kind: "skill",
          skill: "say-hello",
          importPath: "./skills/say-hello/index.js",
          description: "Greets someone by name.",
          score: expect.any(Number),
        },
      ],
    });
    const text = await runCli(["search", "ping twice"], { cwd: dir });
    expect(text.stdout).toContain('skill ping-twice: import from "./skills/ping-twice/index.js"');
    expect(text.stdout).toMatch(/echo\.ping: import \{ ping \}/);
    const listed = await runCli(["skill", "list", "--json"], { cwd: dir });
    expect(JSON.parse(listed.stdout).map((s: { name: string }) => s.name)).toEqual([
      "ping-twice",
      "say-hello",
    ]);
  }, 60_000);

  it("check fails when a server's change breaks a saved skill, naming the skill, the line and the tool", async () => {
    const project = tempProject(
      {
        "schema.json": { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
        "codegen.config.ts": `export default ${JSON.stringify({
          servers: { records: fixture("schema-file", ["--schema-file", "schema.json"]) },
        })};\n`,
        "find.ts": [
          'import { lookup } from "./servers/records/index.js";',
          "",
          "export async function find(id: string) {",
          "  return lookup({ id });",
          "}",
          "",
        ].join("\n"),
      },
      true,
    );
    expect((await runCli(["generate"], { cwd: project })).code).toBe(0);
    const saved = await runCli(
      [
        "skill",
        "save",
        "find.ts",
        "--name",
        "find-record",
        "--description",
        "Finds a record by id.",
      ],
      { cwd: project },
    );
    expect(saved.code, saved.stderr).toBe(0);
    const before = await runCli(["check"], { cwd: project });
    expect(before.code, before.stdout + before.stderr).toBe(0);

    writeFileSync(
      path.join(project, "schema.json"),
      JSON.stringify({ type: "object", properties: { id: { type: "number" } }, required: ["id"] }),
    );
    const after = await runCli(["check"], { cwd: project });
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(
      /^skill "find-record" no longer type-checks: skills\/find-record\/index\.ts:4:19 \(calls records tool "lookup"\): Type 'string' is not assignable to type 'number'\.$/m,
    );
    expect(after.stderr).toContain(
      "A saved skill does not type-check against the servers as they are now",
    );

    // Once generated, the tree is current and the skill still breaks: check keeps failing on it.
    expect((await runCli(["generate"], { cwd: project })).code).toBe(0);
    const generated = await runCli(["check"], { cwd: project });
    expect(generated.code).toBe(1);
    expect(generated.stdout).toContain('skill "find-record" no longer type-checks');
    expect(generated.stderr).not.toContain("The servers no longer match");
  }, 90_000);
});
