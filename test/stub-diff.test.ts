import { describe, expect, it } from "vitest";
import { stubDiff } from "../src/stub-diff.js";

describe("stubDiff", () => {
  it("is empty for equal stubs", () => {
    expect(stubDiff("a\nb\n", "a\nb\n")).toEqual([]);
  });

  it("shows distant changes as separate hunks with one line of context", () => {
    const before = ["one", "two", "three", "four", "five", "six", "seven"].join("\n");
    const after = ["one", "TWO", "three", "four", "five", "SIX", "seven"].join("\n");
    expect(stubDiff(before, after)).toEqual([
      " one",
      "-two",
      "+TWO",
      " three",
      "@@",
      " five",
      "-six",
      "+SIX",
      " seven",
    ]);
  });

  it("makes text from disk inert and keeps long changes short", () => {
    const lines = stubDiff(
      "/** x */\n",
      `/** \u001b[31mred\u001b[0m\u202e ${"y".repeat(300)} */\n`,
    );
    expect(lines[0]).toBe("-/** x */");
    expect(lines[1]).toMatch(/^\+\/\*\* red y+…$/);
    expect(lines[1]).toHaveLength(200);
    const long = stubDiff("", Array.from({ length: 60 }, (_, i) => `line ${i}`).join("\n"));
    expect(long).toHaveLength(41);
    expect(long[40]).toBe("… 20 more lines");
  });
});
