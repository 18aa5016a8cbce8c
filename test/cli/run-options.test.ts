/** `run`'s flags read without commander agree with what commander would read. */
import { describe, expect, it } from "vitest";
import { fastRunFlags } from "../../src/cli/run-options.js";

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
          timeout: "5",
          memory: "64",
          maxOutput: "2048",
          maxWorkspace: "3",
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
      { file: "t.ts", flags: { timeout: "9" } },
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
  ])("leaves %s to commander", (_title, argv) => {
    expect(fastRunFlags(argv)).toBeUndefined();
  });
});
