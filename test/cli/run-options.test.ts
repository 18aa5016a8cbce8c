/** `run`'s flags read without commander agree with what commander would read. */
import { describe, expect, it } from "vitest";
import type { CommandContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { fastRunFlags } from "../../src/cli/run-options.js";
import { RUN_LIMITS } from "../../src/config/run-limits.js";
import { configIssues } from "../../src/config/validate.js";

describe("fastRunFlags", () => {
  it.each([
    ["a file", ["run", "task.ts"], { file: "task.ts", flags: {} }],
    [
      "every option",
      [
        "run",
        "--config",
        "c.json",
        "--timeout=5",
        "--memory",
        "64",
        "--max-output",
        "2048",
        "--max-workspace",
        "3",
        "--typecheck",
        "--unsafe",
        "--no-daemon",
        "t.ts",
      ],
      {
        file: "t.ts",
        flags: {
          config: "c.json",
          timeout: 5,
          memory: 64,
          maxOutput: 2048,
          maxWorkspace: 3,
          typecheck: true,
          unsafe: true,
          daemon: false,
        },
      },
    ],
    [
      "-e code",
      ["run", "-e", "console.log(1)"],
      { file: undefined, flags: { eval: "console.log(1)" } },
    ],
    [
      "options after the file",
      ["run", "t.ts", "--timeout", "9"],
      { file: "t.ts", flags: { timeout: 9 } },
    ],
  ])("reads %s", (_title, argv, want) => {
    expect(fastRunFlags(argv)).toEqual(want);
  });

  it.each([
    ["another command", ["generate"]],
    ["help", ["run", "--help"]],
    ["an unknown option", ["run", "--bogus", "t.ts"]],
    ["a missing value", ["run", "--timeout"]],
    ["two files", ["run", "a.ts", "b.ts"]],
    ["a limit that is no number", ["run", "--timeout", "abc", "t.ts"]],
    ["a limit above the config's bound", ["run", "--memory", "999999", "t.ts"]],
    ["a limit below the config's bound", ["run", "--max-output=1023", "t.ts"]],
    ["a limit that is not whole", ["run", "--max-workspace", "1.5", "t.ts"]],
  ])("leaves %s to commander", (_title, argv) => {
    expect(fastRunFlags(argv)).toBeUndefined();
  });
});

/** `main` in this process, with the output kept: what a user of the CLI sees and its exit code. */
async function cli(argv: readonly string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    cwd: process.cwd(),
    env: {},
    stdout: { write: (chunk: string) => ((stdout += chunk), true) },
    stderr: { write: (chunk: string) => ((stderr += chunk), true) },
  } as unknown as CommandContext);
  return { code, stdout, stderr };
}

describe("run's limits on the command line", () => {
  it.each([
    ["--timeout", "abc", RUN_LIMITS.timeout.message],
    ["--timeout", "0", RUN_LIMITS.timeout.message],
    ["--memory", "999999", RUN_LIMITS.memory.message],
    ["--memory", "15", RUN_LIMITS.memory.message],
    ["--max-output", "12.5", RUN_LIMITS.maxOutput.message],
    ["--max-workspace", "1048577", RUN_LIMITS.maxWorkspace.message],
  ])("%s %s is a usage error (exit 2) with the config's bounds", async (flag, value, message) => {
    const { code, stdout, stderr } = await cli(["run", flag, value, "task.ts"]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(
      new RegExp(`^error: option '${flag} <\\w+>' argument '${value}' is invalid\\.`),
    );
    expect(stderr).toContain(`It ${message}.`);
  });

  it("reads the bounds themselves as valid", () => {
    for (const [limit, { min, max }] of Object.entries(RUN_LIMITS)) {
      const flag = `--${limit.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      for (const value of [min, max]) {
        expect(fastRunFlags(["run", flag, String(value), "t.ts"])?.flags).toEqual({
          [limit]: value,
        });
      }
    }
  });

  it("holds the config to the same bounds", () => {
    for (const [limit, { min, max, message }] of Object.entries(RUN_LIMITS)) {
      expect(configIssues({ servers: { s: { command: "x" } }, run: { [limit]: max } })).toEqual([]);
      for (const value of [min - 1, max + 1]) {
        const issues = configIssues({ servers: { s: { command: "x" } }, run: { [limit]: value } });
        expect(issues.map((issue) => issue.message)).toEqual([message]);
      }
    }
  });
});
