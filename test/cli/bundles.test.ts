/**
 * The CLI's three CommonJS bundles (src/cli/entry.ts, scripts/bundle-entry.mjs), as built: what
 * keeps a daemon's run to one Node start-up and a few ms, `run`'s bundles from carrying a
 * second copy of anything, and every command's start short.
 */
import { isAscii } from "node:buffer";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { privateFileKey } from "../../src/private-temp.js";
import { ROOT } from "../e2e/cli.js";

const bundle = (name: string) => path.join(ROOT, "dist/cli", name);
const required = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]!);

describe("run's bundles", () => {
  it("the first needs nothing but Node's own modules, and stays small", () => {
    expect(required(bundle("entry.cjs")).filter((name) => !name.startsWith("node:"))).toEqual([]);
    expect(statSync(bundle("entry.cjs")).size).toBeLessThan(80 * 1024);
  });

  it("the rest requires packages from node_modules, never a file of dist/", () => {
    // (A message in the bundle quotes `require("./lib.js")`, a file that is not there.)
    const own = required(bundle("run.cjs")).filter(
      (name) => name.startsWith(".") && existsSync(path.join(ROOT, "dist/cli", name)),
    );
    expect(own).toEqual([]);
  });

  it("neither carries a package's code", () => {
    for (const name of ["entry.cjs", "run.cjs"]) {
      // esbuild marks each input it bundles with a comment naming its path.
      expect(readFileSync(bundle(name), "utf8")).not.toMatch(/^\s*\/\/ node_modules\//m);
    }
  });
});

describe("the other commands' bundle", () => {
  const carried = (name: string) =>
    new Set(
      [
        ...readFileSync(bundle(name), "utf8").matchAll(
          /^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm,
        ),
      ].map((match) => match[1]!),
    );

  it("carries the packages a command starts with, and leaves native and big ones outside", () => {
    const packages = carried("cli.cjs");
    for (const name of ["commander", "zod", "@modelcontextprotocol/client", "ajv"]) {
      expect(packages).toContain(name);
    }
    for (const name of ["esbuild", "typescript", "prettier", "@prettier/plugin-oxc", "tsx"]) {
      expect(packages).not.toContain(name);
    }
  });

  it("requires nothing of its own beside it (a UMD factory's `require`, say)", () => {
    const own = required(bundle("cli.cjs")).filter(
      (name) => name.startsWith(".") && existsSync(path.join(ROOT, "dist/cli", name)),
    );
    expect(own).toEqual([]);
  });
});

describe("every bundle", () => {
  it("is ASCII, which reads as Latin-1 at a quarter of UTF-8's cost", () => {
    for (const name of ["entry.cjs", "run.cjs", "cli.cjs"]) {
      expect(isAscii(readFileSync(bundle(name))), name).toBe(true);
    }
  });
});

describe("privateFileKey (the daemon's file names, without node:crypto)", () => {
  it("is 16 hex digits, the same for the same key", () => {
    expect(privateFileKey("/home/ada/project/codegen.config.ts")).toMatch(/^[0-9a-f]{16}$/);
    expect(privateFileKey("/a")).toBe(privateFileKey("/a"));
  });

  it("tells 100,000 nearby config paths apart", () => {
    const keys = new Set<string>();
    for (let i = 0; i < 100_000; i++) keys.add(privateFileKey(`/home/user/project-${i}/.mcp.json`));
    expect(keys.size).toBe(100_000);
  });
});
