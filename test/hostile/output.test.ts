/**
 * `--max-output` bounds what a run prints, the runner's own messages included: only the
 * runner's short closing lines pass it. Nothing a program controls (a request's strings, an
 * error's message, file names, type errors) may make the runner print past the limit by more
 * than a few hundred bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FD3_WRITER,
  PID_PROGRAM,
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
const LIMIT = 2048;
/** The runner's closing lines: why it stopped, what happened to the workspace, the markers. */
const SLACK = 600;

function expectBounded(result: RunResult): void {
  expect(Buffer.byteLength(result.stderr)).toBeLessThan(LIMIT + SLACK);
  expect(Buffer.byteLength(result.stdout)).toBeLessThan(LIMIT + SLACK);
  expect(result.stderr).not.toContain("This is a bug");
  expectNoCanary(result, canaries);
}

const MB = 1024 * 1024;

const CASES: [string, string, (r: RunResult) => void][] = [
  [
    "a request whose type is 15 MB",
    `${FD3_WRITER}await send(frame(JSON.stringify({ type: "t".repeat(15 * ${MB}), id: 1 })));\nawait forever();\n`,
    (r) => expect(r.stderr).toContain("a message of unknown type"),
  ],
  [
    "a request whose type is 20 MB",
    `${FD3_WRITER}await send(frame(JSON.stringify({ type: "t".repeat(20 * ${MB}), id: 1 })));\nawait forever();\n`,
    (r) => expect(r.stderr).toMatch(/a message of \d+ bytes, over the limit/),
  ],
  [
    "a request whose op is 15 MB",
    `${FD3_WRITER}await send(frame(JSON.stringify({ type: "request", id: 1, op: "o".repeat(15 * ${MB}), args: [] })));\nawait forever();\n`,
    (r) => expect(r.stderr).toContain("a request for unknown operation"),
  ],
  [
    "a request whose type is a 15 MB object",
    `${FD3_WRITER}await send(frame(JSON.stringify({ type: { k: "t".repeat(15 * ${MB}) }, id: 1 })));\nawait forever();\n`,
    (r) => expect(r.stderr).toContain("a message of unknown type"),
  ],
  [
    "a tool error of 6 MB, uncaught",
    `import { callMcpTool } from "mcp-codegen/runtime";\nawait callMcpTool("flaky", "fail", { message: "e".repeat(6 * ${MB}) });\n`,
    (r) => expect(r.code).toBe(1),
  ],
  [
    "an unknown server named with 6 MB, uncaught",
    `import { callMcpTool } from "mcp-codegen/runtime";\nawait callMcpTool("s".repeat(6 * ${MB}), "t", {});\n`,
    (r) => expect(r.code).toBe(1),
  ],
  [
    "an unknown tool named with 6 MB, uncaught",
    `import { callMcpTool } from "mcp-codegen/runtime";\nawait callMcpTool("flaky", "t".repeat(6 * ${MB}), {});\n`,
    (r) => expect(r.code).toBe(1),
  ],
  [
    "an error the program throws, with a 6 MB message and name",
    `const e = new Error("m".repeat(6 * ${MB}));\ne.name = "N".repeat(${MB});\nthrow e;\n`,
    (r) => expect(r.code).toBe(1),
  ],
  [
    "calls whose timeouts overflow the host's timers, each a different number",
    `import { callMcpTool } from "mcp-codegen/runtime";
const seen = new Set<string>();
for (let i = 0; i < 8; i++) {
  try { await callMcpTool("flaky", "echo", { i }, { timeout: 2 ** 31 + i * 1000 }); seen.add("ok"); } catch (error) { seen.add((error as Error).name); }
}
console.log([...seen].join(","));
`,
    (r) => {
      expect(r.code).toBe(0);
      // The host's own warnings are not the program's to trigger.
      expect(r.stderr).not.toContain("TimeoutOverflowWarning");
      // A timeout longer than the host's timers is not a timeout of 1 ms.
      expect(r.stdout).toBe("ok\n");
    },
  ],
  [
    "5 MB on stderr",
    `process.stderr.write("x".repeat(5 * ${MB}));\n`,
    (r) => expect(r.stderr).toContain("[mcp-codegen run: error output truncated"),
  ],
  [
    "a failed run whose lost files have the longest names there are",
    `import * as fs from "node:fs";
// The runner names five of the lost entries: the first five, folders first, each up to 255 bytes.
for (let i = 0; i < 7; i++) {
  const dir = "workspace/" + String(i).padEnd(255, "n");
  fs.mkdirSync(dir);
  fs.writeFileSync(dir + "/" + "f".repeat(255), "x");
}
throw new Error("failing on purpose");
`,
    (r) => expect(r.stderr).toContain("the run did not succeed"),
  ],
];

describe("host messages stay within --max-output (no daemon)", () => {
  it.each(CASES)("%s", async (_title, program, check) => {
    const result = await runHostile(project, canaries, program, [
      "--max-output",
      String(LIMIT),
      "--timeout",
      "15000",
    ]);
    check(result);
    expectBounded(result);
  });

  it("type errors by the thousand are cut at --max-output", async () => {
    const lines = Array.from(
      { length: 20_000 },
      (_, i) => `const v${i}: number = "not a number ${i}";`,
    );
    const result = await runHostile(
      project,
      canaries,
      `${lines.join("\n")}\nconsole.log("RAN");\n`,
      // Checking 20,000 errors takes seconds, many more on a loaded machine: the time limit is
      // not what this test is about.
      ["--typecheck", "--max-output", String(LIMIT), "--timeout", "90000"],
      { timeoutMs: 100_000 },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the program was not run");
    expectBounded(result);
  }, 110_000);
});

describe("host messages stay within --max-output (through the daemon)", () => {
  let daemon: TestDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(project, canaries);
    const first = await runHostile(project, canaries, PID_PROGRAM, [], {
      daemon: true,
      file: "tasks/pid.ts",
    });
    expect(first.code).toBe(0);
  });
  afterAll(() => daemon?.stop());

  it.each(CASES.filter(([t]) => /type is 15 MB|tool error|longest names/.test(t)))(
    "%s",
    async (_title, program, check) => {
      const logBefore = daemon.log().length;
      const result = await runHostile(
        project,
        canaries,
        program,
        ["--max-output", String(LIMIT), "--timeout", "15000"],
        { daemon: true },
      );
      check(result);
      expectBounded(result);
      // The operator's log does not take the program's megabytes either.
      expect(daemon.log().length - logBefore).toBeLessThan(LIMIT + SLACK);
      expect(daemon.alive()).toBe(true);
    },
  );
});
