/**
 * The code caches of the CLI's bundles (src/cli/compiled-bundle.ts) in the private folder:
 * a cache replaces its bundle's older ones, and caches nothing wrote for a fortnight go.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cacheNamePrefix, removeStaleCaches } from "../../src/cli/compiled-bundle.js";

const DAY = 24 * 3600 * 1000;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folderWith(files: Record<string, number>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mcp-codegen-test-caches-"));
  dirs.push(dir);
  for (const [name, ageDays] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), "x");
    const when = new Date(Date.now() - ageDays * DAY);
    utimesSync(path.join(dir, name), when, when);
  }
  return dir;
}

describe("removeStaleCaches", () => {
  it("removes the bundle's other versions and caches unwritten for a fortnight, nothing else", () => {
    const prefix = cacheNamePrefix(
      "/project/node_modules/mcp-codegen/dist/cli/cli.cjs",
      "generate",
    );
    const other = cacheNamePrefix("/other/node_modules/mcp-codegen/dist/cli/cli.cjs", "generate");
    const dir = folderWith({
      [`${prefix}new.v8`]: 0,
      [`${prefix}old.v8`]: 1,
      [`${other}recent.v8`]: 3,
      [`${other}stale.v8`]: 20,
      "0123456789abcdef.token": 40,
      "node-libraries-0123.json": 40,
    });
    removeStaleCaches(dir, `${prefix}new.v8`, Date.now());
    expect(readdirSync(dir).sort()).toEqual(
      [
        `${prefix}new.v8`,
        `${other}recent.v8`,
        "0123456789abcdef.token",
        "node-libraries-0123.json",
      ].sort(),
    );
  });

  it("keeps each command's cache of one bundle apart", () => {
    const bundle = "/p/dist/cli/cli.cjs";
    expect(cacheNamePrefix(bundle, "generate")).not.toBe(cacheNamePrefix(bundle, "check"));
    expect(cacheNamePrefix(bundle, "generate")).toMatch(/^compiled-[0-9a-f]{16}-$/);
  });
});
