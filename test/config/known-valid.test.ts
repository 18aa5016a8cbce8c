/**
 * Skipping validation for a config already seen to be valid: only valid configs are
 * remembered, a changed config is validated again, and data that cannot be hashed faithfully
 * is always validated.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validationIssues } from "../../src/config/known-valid.js";

let temp: string;
let savedTmpdir: string | undefined;
const cacheFile = () =>
  path.join(temp, `mcp-codegen-${process.getuid?.() ?? "user"}`, "valid-configs.txt");
const remembered = () => {
  try {
    return readFileSync(cacheFile(), "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

beforeEach(() => {
  temp = mkdtempSync(path.join(tmpdir(), "known-valid-"));
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = temp;
});
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  rmSync(temp, { recursive: true, force: true });
});

describe("validationIssues", () => {
  const valid = { servers: { fs: { command: "npx", args: ["-y", "server"] } } };

  it("remembers a valid config and finds it again", async () => {
    expect(await validationIssues(valid)).toEqual([]);
    expect(remembered()).toHaveLength(1);
    expect(await validationIssues(structuredClone(valid))).toEqual([]);
    expect(remembered()).toHaveLength(1);
  });

  it("never remembers an invalid config, and validates a changed one again", async () => {
    expect(await validationIssues(valid)).toEqual([]);
    const broken = { servers: { fs: { command: "npx", timeout: -1 } } };
    const issues = await validationIssues(broken);
    expect(issues.map((issue) => issue.path)).toEqual(["servers.fs.timeout"]);
    expect(await validationIssues(broken)).toHaveLength(1);
    expect(remembered()).toHaveLength(1);
  });

  it("always validates what cannot be hashed faithfully", async () => {
    const withFunction = { servers: { fs: { command: "npx", args: [() => "x"] } } };
    expect((await validationIssues(withFunction)).length).toBeGreaterThan(0);
    expect(remembered()).toEqual([]);
  });
});
