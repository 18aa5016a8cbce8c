/**
 * The host's private folder (`<tmp>/mcp-codegen-<uid>`) holds what the host trusts: the daemon's
 * token and socket, the library list bubblewrap's mounts are built from, and the compiled code
 * of `run`'s second bundle (dist/cli/run.cjs from V8's code cache), which the next run executes
 * with the user's rights. A program that planted code there would run outside the sandbox at
 * the next `run`. None of it may be reached: not imported while bundling, not read, written,
 * listed or even seen at run time, with or without the daemon; the files stay byte for byte,
 * and the next run still works.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheNamePrefix } from "../../src/cli/compiled-bundle.js";
import { privateTempDir } from "../../src/private-temp.js";
import { ROOT } from "../e2e/cli.js";
import {
  expectNoCanary,
  expectNotCompiled,
  hostileProject,
  jsonOut,
  makeCanaries,
  runHostile,
  startDaemon,
  type TestDaemon,
} from "./harness.js";

const canaries = makeCanaries();
const project = hostileProject(canaries);
const dir = privateTempDir()!;
const q = JSON.stringify;

let daemon: TestDaemon;
/** The files that matter, by kind. */
let targets: Record<string, string>;
let token: string;
const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
let before: Record<string, string>;

beforeAll(async () => {
  // A first run writes the compiled cache of run.cjs (when the run is over).
  const first = await runHostile(project, canaries, 'console.log("RAN");\n');
  expect(first.stdout).toBe("RAN\n");
  daemon = await startDaemon(project, canaries);
  const names = readdirSync(dir);
  const pick = (test: (name: string) => boolean, what: string) => {
    const name = names.find(test);
    if (name === undefined) throw new Error(`no ${what} in ${dir}: ${names.join(", ")}`);
    return path.join(dir, name);
  };
  const runBundle = path.join(ROOT, "dist/cli/run.cjs");
  targets = {
    "compiled code": pick((n) => n.startsWith(cacheNamePrefix(runBundle, "run")), "cache"),
    "daemon token": pick((n) => n.endsWith(".token"), "token"),
    "library list": pick((n) => n.startsWith("node-libraries-"), "library list"),
  };
  token = readFileSync(targets["daemon token"]!, "utf8");
  before = Object.fromEntries(Object.values(targets).map((file) => [file, digest(file)]));
});
afterAll(async () => {
  await daemon?.stop();
});

/** A program that tries each of read, write, stat and realpath on each file, and lists `dir`. */
function probe(): string {
  return `import * as fs from "node:fs";
const seen: Record<string, string> = {};
const attempt = (what: string, f: () => unknown) => {
  try {
    const value = f();
    seen[what] = "ok " + String(value).slice(0, 80);
  } catch (error) {
    seen[what] = "failed " + String((error as { code?: string }).code ?? (error as Error).message);
  }
};
for (const [kind, file] of Object.entries(${q(targets)})) {
  attempt("read " + kind, () => fs.readFileSync(file, "utf8"));
  attempt("write " + kind, () => fs.writeFileSync(file, "planted"));
  attempt("append " + kind, () => fs.appendFileSync(file, "planted"));
  attempt("stat " + kind, () => fs.statSync(file).size);
  attempt("realpath " + kind, () => fs.realpathSync(file));
}
attempt("list the folder", () => fs.readdirSync(${q(dir)}).join(","));
attempt("make a file in the folder", () => fs.writeFileSync(${q(path.join(dir, "compiled-planted.v8"))}, "x"));
console.log(JSON.stringify(seen));
`;
}

function expectAllRefused(result: Awaited<ReturnType<typeof runHostile>>): void {
  expect(result.code, result.stderr).toBe(0);
  const seen = jsonOut<Record<string, string>>(result);
  expect(Object.keys(seen)).toHaveLength(3 * 5 + 2);
  for (const [what, outcome] of Object.entries(seen)) {
    expect(outcome, what).toMatch(/^failed /);
  }
  expectNoCanary(result, canaries, [token]);
}

function expectUntouched(): void {
  for (const [file, hash] of Object.entries(before)) expect(digest(file), file).toBe(hash);
  expect(readdirSync(dir)).not.toContain("compiled-planted.v8");
}

describe("the host's private folder", () => {
  it("is out of reach at run time, without the daemon", async () => {
    expectAllRefused(await runHostile(project, canaries, probe()));
    expectUntouched();
  });

  it("is out of reach at run time, through the daemon", async () => {
    expectAllRefused(await runHostile(project, canaries, probe(), [], { daemon: true }));
    expectUntouched();
  });

  it.each(["compiled code", "daemon token", "library list"])(
    "cannot be imported while bundling: the %s",
    async (kind) => {
      const program = `import k from ${q(targets[kind])} with { type: "text" };\nconsole.log("RAN", k);\n`;
      const result = await runHostile(project, canaries, program);
      expectNotCompiled(result, canaries);
      expect(result.stdout + result.stderr).not.toContain(token);
    },
  );

  it("cannot be imported through a glob either", async () => {
    const program = `const name = Date.now() > 0 ? ${q(path.basename(targets["daemon token"]!))} : "";
const m = await import(\`${dir}/\${name}\`, { with: { type: "text" } });
console.log("RAN", m.default);
`;
    const result = await runHostile(project, canaries, program);
    expectNotCompiled(result, canaries);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it("still serves the next run, from the same compiled code", async () => {
    const result = await runHostile(project, canaries, 'console.log("RAN again");\n');
    expect(result.stdout).toBe("RAN again\n");
    expectUntouched();
  });
});
