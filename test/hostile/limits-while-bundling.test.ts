/**
 * Bundling and type-checking are part of the run: they happen in the host, before the
 * program's Node starts, and must end within the run's time limit (plus a small margin) and
 * its memory, whatever the program makes them read or compute.
 */
import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, openSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PID_PROGRAM,
  expectDaemonServes,
  expectNoCanary,
  hostileProject,
  makeCanaries,
  runHostile,
  startDaemon,
  type RunResult,
  type TestDaemon,
} from "./harness.js";

const canaries = makeCanaries();
const project = hostileProject(canaries);
execFileSync("mkfifo", [path.join(project, "tasks/fifo.ts")]);
execFileSync("mkfifo", [path.join(project, "servers/fifo.ts")]);
// 600 MB of nothing (sparse): a size cap must refuse it before esbuild reads it.
const huge = openSync(path.join(project, "tasks/huge.ts"), "w");
ftruncateSync(huge, 600 * 1024 * 1024);
closeSync(huge);
// A large but real file: 40 MB of one long line of code.
writeFileSync(
  path.join(project, "tasks/large.ts"),
  `export const s = "${"a".repeat(40 * 1024 * 1024)}";\n`,
);

const LIMIT = 2000;
/** How long past its limit a run may take to end: start-up, the kill, and the closing lines. */
const MARGIN = 8000;
/** The most the run's whole process tree may hold: Node's own, the CLI, esbuild, a server. */
const MEMORY_MB = 400;
/** When the test gives up on a run that did not end (and fails, saying so). */
const HUNG = LIMIT + MARGIN + 3000;

/** Ended within the limit, with exit 124 and the message, or refused at once with exit 1. */
function expectEndedInTime(result: RunResult): void {
  expect(result.ms).toBeLessThan(LIMIT + MARGIN);
  expectNoCanary(result, canaries);
  if (result.code === 124) {
    expect(result.stderr).toContain(`stopped after ${LIMIT} ms, its time limit`);
  } else {
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not be compiled|type error|was not run/);
  }
  expect(result.stdout).not.toContain("RAN");
}

const TEXT = 'with { type: "text" }';
const BUNDLING: [string, string][] = [
  ["/dev/zero as text", `import z from "/dev/zero" ${TEXT};\nconsole.log("RAN", z.length);\n`],
  [
    "/dev/urandom as text",
    `import z from "/dev/urandom" ${TEXT};\nconsole.log("RAN", z.length);\n`,
  ],
  ["/dev/stdin as text", `import z from "/dev/stdin" ${TEXT};\nconsole.log("RAN", z.length);\n`],
  ["/proc/self/fd/0", `import z from "/proc/self/fd/0" ${TEXT};\nconsole.log("RAN", z.length);\n`],
  ["a FIFO in the program's folder", `import { x } from "./fifo.ts";\nconsole.log("RAN", x);\n`],
  ["a FIFO in servers/", `import { x } from "servers/fifo.ts";\nconsole.log("RAN", x);\n`],
  [
    "a sparse 600 MB file in the program's folder",
    `import { x } from "./huge.ts";\nconsole.log("RAN", x);\n`,
  ],
  [
    "a glob matching the huge file and the FIFO",
    'const n = Date.now() > 0 ? "huge" : "fifo";\nconst m = await import(`./${n}.ts`);\nconsole.log("RAN", Object.keys(m));\n',
  ],
];

describe("bundling within the run's limits (no daemon)", () => {
  it.each(BUNDLING)("%s", async (_title, program) => {
    const result = await runHostile(project, canaries, program, ["--timeout", String(LIMIT)], {
      timeoutMs: HUNG,
      measure: true,
    });
    expectEndedInTime(result);
    // The sandboxed Node has its own limit; the host (CLI, esbuild) must not read in bulk.
    expect(result.peakMb).toBeLessThan(MEMORY_MB);
  });

  it("a 40 MB source file is refused or bundled within the limit, with host memory sane", async () => {
    const result = await runHostile(
      project,
      canaries,
      'import { s } from "./large.ts";\nconsole.log("RAN", s.length);\n',
      ["--timeout", String(LIMIT), "--memory", "128"],
      { timeoutMs: HUNG, measure: true },
    );
    expect(result.peakMb).toBeLessThan(MEMORY_MB);
    expect(result.ms).toBeLessThan(LIMIT + MARGIN);
    // A size cap refuses it (exit 1); a run that gets it prints it (0) or passes its memory (137).
    expect([0, 1, 124, 137]).toContain(result.code);
    expect(result.stderr).not.toContain("This is a bug");
  });
});

describe("type-checking within the run's limits", () => {
  it("a type that takes the checker forever is stopped at the time limit", async () => {
    // Exponential instantiation: each level doubles the work.
    const program = `type Twice<T> = [T, T];
type Grow<T, N extends unknown[]> = N extends [unknown, ...infer R] ? Grow<Twice<T>, R> : T;
type Deep = Grow<string, [${Array.from({ length: 40 }, () => "0").join(", ")}]>;
type Flat<T> = T extends [infer A, infer B] ? Flat<A> | Flat<B> : T;
type Keys<T> = T extends readonly unknown[] ? { [K in keyof T]: Keys<T[K]> } : T;
const d: Keys<Deep> = null!;
const f: Flat<Deep> = null!;
type Str<N extends number, A extends string[] = []> = A["length"] extends N ? A : Str<N, [...A, \`\${A["length"]}\${Str<N, A>[0]}\`]>;
const s: Str<900> = null!;
console.log("RAN", d, f, s);
`;
    const result = await runHostile(
      project,
      canaries,
      program,
      ["--typecheck", "--timeout", String(LIMIT)],
      { timeoutMs: HUNG },
    );
    expectEndedInTime(result);
    if (result.code === 124) expect(result.stderr).toContain("(while type-checking)");
  });

  it("a type-check reading /dev/zero through an import is stopped or refused in time", async () => {
    const result = await runHostile(
      project,
      canaries,
      `/// <reference path="/dev/zero" />\nimport z from "/dev/zero" ${TEXT};\nconsole.log("RAN", z);\n`,
      ["--typecheck", "--timeout", String(LIMIT)],
      { timeoutMs: HUNG },
    );
    expectEndedInTime(result);
  });

  it("a type-check of a FIFO is stopped or refused in time", async () => {
    const result = await runHostile(
      project,
      canaries,
      `/// <reference path="./fifo.ts" />\nimport { x } from "./fifo.ts";\nconsole.log("RAN", x);\n`,
      ["--typecheck", "--timeout", String(LIMIT)],
      { timeoutMs: HUNG },
    );
    expectEndedInTime(result);
  });

  it("a type-check cannot read the SSH key through a triple-slash reference", async () => {
    const result = await runHostile(
      project,
      canaries,
      `/// <reference path=${JSON.stringify(canaries.sshKeyFile)} />\nconsole.log("RAN");\n`,
      ["--typecheck", "--timeout", String(LIMIT)],
      { timeoutMs: HUNG },
    );
    expectNoCanary(result, canaries);
  });
});

describe("bundling within the run's limits (through the daemon)", () => {
  let daemon: TestDaemon;
  let daemonPid = "";
  beforeAll(async () => {
    daemon = await startDaemon(project, canaries);
    const first = await runHostile(project, canaries, PID_PROGRAM, [], {
      daemon: true,
      file: "tasks/pid.ts",
    });
    expect(first.code).toBe(0);
    daemonPid = first.stdout;
  });
  afterAll(() => daemon?.stop());

  it.each(BUNDLING.filter(([t]) => /dev\/zero|FIFO in the program/.test(t)))(
    "%s",
    async (_title, program) => {
      const result = await runHostile(project, canaries, program, ["--timeout", String(LIMIT)], {
        daemon: true,
        timeoutMs: HUNG,
      });
      expectEndedInTime(result);
      await expectDaemonServes(project, canaries, daemon, daemonPid);
    },
  );
});
