import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  fixture,
  listTree,
  readTree,
  runCli,
  tempProject,
  writeFiles,
  type CliResult,
} from "./cli.js";

const config = (count: number) => ({
  "codegen.json": { mcpServers: { tools: fixture("many-tools", ["--count", String(count)]) } },
});
// Files people wrote, inside and beside the generated tree.
const personal = {
  "servers/notes.md": "# my notes\n",
  "servers/tools/custom.ts": "export const mine = 1;\n",
  "src/app.ts": "console.log('app');\n",
  "skills/saved.ts": "export const skill = 2;\n",
};
const TOOLS = [
  "tool0000FetchRecords.ts",
  "tool0001CreateRecords.ts",
  "tool0002UpdateRecords.ts",
  "tool0003DeleteRecords.ts",
  "tool0004ListRecords.ts",
];
const generated = (tools: number) => [
  "servers/README.md",
  "servers/index.ts",
  "servers/manifest.json",
  "servers/search-index.json",
  "servers/tools/README.md",
  "servers/tools/index.ts",
  "servers/tools/summary.d.ts",
  ...TOOLS.slice(0, tools).map((tool) => `servers/tools/${tool}`),
];
const expectedListing = (tools: number) =>
  [
    "codegen.json",
    ...Object.keys(personal),
    ...generated(tools),
    "servers/",
    "servers/tools/",
    "skills/",
    "src/",
    "workspace/",
  ].sort();

describe("generate leaves people's files alone", () => {
  let dir: string;
  let listingBefore: string[];
  let five: CliResult;
  let listingFive: string[];
  let three: CliResult;

  beforeAll(async () => {
    dir = tempProject({ ...config(5), ...personal });
    listingBefore = listTree(dir);
    five = await runCli(["--config", "codegen.json"], { cwd: dir });
    listingFive = listTree(dir);
    writeFiles(dir, config(3));
    three = await runCli(["--config", "codegen.json"], { cwd: dir });
  });

  it("adds only the generated files and the agent folders", () => {
    expect(five.code).toBe(0);
    expect(listingBefore).toEqual(
      [
        "codegen.json",
        ...Object.keys(personal),
        "servers/",
        "servers/tools/",
        "skills/",
        "src/",
      ].sort(),
    );
    expect(listingFive).toEqual(expectedListing(5));
  });

  it("deletes the files of tools the server no longer lists, and only those", () => {
    expect(three.code).toBe(0);
    expect(three.stderr).toContain(
      "servers: 3 tools from 1 server; 0 created, 6 updated, 2 deleted",
    );
    expect(listTree(dir)).toEqual(expectedListing(3));
  });

  it("keeps every file a person wrote byte for byte", () => {
    const files = readTree(dir);
    for (const [name, contents] of Object.entries(personal)) expect(files[name]).toBe(contents);
    // Not in the catalog, the barrel or the manifest either: the generator does not own them.
    const servers = readTree(path.join(dir, "servers"));
    for (const file of ["README.md", "index.ts", "tools/index.ts", "manifest.json"]) {
      expect(servers[file]).not.toContain("custom");
      expect(servers[file]).not.toContain("notes");
    }
  });
});
