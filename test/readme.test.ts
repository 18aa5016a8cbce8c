/**
 * README's sample of a generated tool file is the real thing: it starts with the header every
 * generated file starts with, and it is, byte for byte, the committed file of the tool it shows
 * (which `mcp-codegen check`, in `npm test`, keeps in step with that server). Its client
 * entries are what `init --client` writes, and parse as the strict JSON their files are.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { HEADER } from "../src/emit/header.js";
import type { ClientName } from "../src/init/client-names.js";
import { planClientEdits } from "../src/init/clients.js";
import { REPO } from "./emit/tree.js";

const INTRO = "A generated tool file reads like hand-written code:";
/** The file the sample shows: server `everything`, tool `get-structured-content`. */
const SHOWN = "out/servers/everything/getStructuredContent.ts";

/** The first ```ts block after the sentence that introduces the sample. */
function readmeSample(): string {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const at = readme.indexOf(INTRO);
  expect(at, `README.md no longer says "${INTRO}"`).toBeGreaterThanOrEqual(0);
  const block = /```ts\n([\s\S]*?)```\n/.exec(readme.slice(at));
  expect(block, "no ```ts block follows the sentence").not.toBeNull();
  return block![1]!;
}

describe("README's sample of a generated file", () => {
  it("starts with the generator's header line", () => {
    expect(readmeSample().split("\n")[0]).toBe(HEADER);
  });

  it(`is ${SHOWN} as generated`, () => {
    expect(readmeSample()).toBe(readFileSync(path.join(REPO, SHOWN), "utf8"));
  });
});

/** The text of README's section `## <title>`, up to the next section. */
function readmeSection(title: string): string {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const at = readme.indexOf(`\n## ${title}\n`);
  expect(at, `README.md has no section "${title}"`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", at + 1);
  return readme.slice(at, end === -1 ? undefined : end);
}

/** The ```json blocks of a text, parsed (strict JSON: the files they go into are). */
const jsonBlocks = (text: string): unknown[] =>
  [...text.matchAll(/```json\n([\s\S]*?)```\n/g)].map((block) => JSON.parse(block[1]!));

describe("README's entries for clients", () => {
  const section = readmeSection("Using it from clients");
  const subsections = Object.fromEntries(
    section
      .split("\n### ")
      .slice(1)
      .map((part) => [part.slice(0, part.indexOf("\n")), part]),
  );

  it("has a subsection per client, and every JSON snippet in it parses", () => {
    expect(Object.keys(subsections)).toEqual([
      "Claude Code",
      "Cursor",
      "VS Code",
      "Claude Desktop",
      "Any other client",
    ]);
    expect(jsonBlocks(section).length).toBeGreaterThanOrEqual(4);
  });

  it.each<[string, ClientName]>([
    ["Claude Code", "claude-code"],
    ["Cursor", "cursor"],
    ["VS Code", "vscode"],
  ])("%s's snippet is what init --client %s writes", async (title, client) => {
    const cwd = mkdtempSync(path.join(tmpdir(), "readme-"));
    try {
      const [edit] = await planClientEdits([client], {
        cwd,
        force: false,
        claudeDesktopFile: path.join(cwd, "none.json"),
        configFile: path.join(cwd, "codegen.config.ts"),
      });
      expect(jsonBlocks(subsections[title]!)).toEqual([JSON.parse(edit!.text)]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("Claude Desktop's is the entry init prints, and `claude mcp add` runs the same command", async () => {
    const configFile = "/path/to/project/codegen.config.ts";
    const [edit] = await planClientEdits(["claude-desktop"], {
      cwd: "/path/to/project",
      force: false,
      claudeDesktopFile: path.join(tmpdir(), "no-such-claude-desktop-config.json"),
      configFile,
    });
    expect(jsonBlocks(subsections["Claude Desktop"]!)).toEqual([
      { mcpServers: { "mcp-codegen": edit!.outcome.entry } },
    ]);
    const { command, args } = edit!.outcome.entry as { command: string; args: string[] };
    const served = [command, ...args.slice(0, args.indexOf("--config"))].join(" ");
    expect(subsections["Claude Code"]).toContain(
      `claude mcp add --scope project mcp-codegen -- ${served}\n`,
    );
  });
});
