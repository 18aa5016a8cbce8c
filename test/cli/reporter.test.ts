/** The reporter's plain lines count in words that agree with the number: `1 file`, `2 files`. */
import { describe, expect, it } from "vitest";
import { createReporter } from "../../src/cli/reporter.js";

async function lines(report: (r: Awaited<ReturnType<typeof createReporter>>) => void) {
  let text = "";
  const stream = { write: (chunk: string) => ((text += chunk), true) } as NodeJS.WriteStream;
  const reporter = await createReporter({ quiet: false, stream, live: false });
  report(reporter);
  reporter.finish();
  return text.trimEnd().split("\n");
}

describe("createReporter", () => {
  it.each([
    [1, ["a: listed 1 tool", "a: up to date (1 file)", "a: written (1 of 1 file changed)"]],
    [2, ["a: listed 2 tools", "a: up to date (2 files)", "a: written (2 of 2 files changed)"]],
  ])("says %i of a thing in the singular or plural", async (n, want) => {
    const got = await lines((r) => {
      r.serverStatus("a", { kind: "listed", tools: n, skipped: 0, ms: 0 });
      r.serverStatus("a", { kind: "written", files: n, changed: 0 });
      r.serverStatus("a", { kind: "written", files: n, changed: n });
    });
    expect(got).toEqual(want);
  });

  it("counts one warning as one", async () => {
    const got = await lines((r) => r.warn({ server: "a", message: "careful" }));
    expect(got).toEqual(["1 warning (a 1):", "  a: careful"]);
  });
});
