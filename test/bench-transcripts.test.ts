/**
 * The token benchmark's transcripts (bench/transcripts/, written by `npm run bench:tokens`),
 * recounted: the published cut (150,000 → 2,000 tokens, 98.7 %) holds for what was recorded,
 * and each transcript is the run it says it is.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { countTranscript, type Transcript } from "../bench/transcript.js";
import { ROOT } from "./e2e/cli.js";

const read = (name: string) =>
  JSON.parse(
    readFileSync(path.join(ROOT, "bench/transcripts", `${name}.json`), "utf8"),
  ) as Transcript;
const classic = read("classic");
const codeMode = read("code-mode");
const results = (t: Transcript) =>
  t.messages.flatMap((m) =>
    m.content.flatMap((b) => (b.type === "tool_result" ? [b.content] : [])),
  );

describe("the token benchmark's transcripts", () => {
  it("cut the tokens through the model by 98 % or more (the published cut is 98.7 %)", () => {
    const before = countTranscript(classic).total;
    const after = countTranscript(codeMode).total;
    expect(before).toBeGreaterThan(80_000);
    expect(1 - after / before).toBeGreaterThanOrEqual(0.98);
  });

  it("classic tool calling carries the ~40,000-token document through the model twice", () => {
    const document = results(classic)[0]!;
    expect(countTranscript({ ...classic, messages: [] }).total).toBeGreaterThan(4000);
    const update = classic.messages[3]!.content[0]!;
    expect(update.type === "tool_use" && JSON.stringify(update.input)).toContain(
      JSON.stringify(document).slice(1, 2000),
    );
    expect(document.length).toBeGreaterThan(190_000);
  });

  it("code mode searches, reads two definitions and runs one program; the document never appears", () => {
    const calls = codeMode.messages.flatMap((m) =>
      m.content.flatMap((b) => (b.type === "tool_use" ? [b.name] : [])),
    );
    expect(calls).toEqual([
      "mcp-codegen__search_tools",
      "mcp-codegen__read_definitions",
      "mcp-codegen__execute_code",
    ]);
    expect(codeMode.system).toContain("execute_code");
    // The program prints its summary (the title line and the size), never the remarks.
    for (const text of results(codeMode)) expect(text).not.toContain("[000:00] Jordan Malik");
    expect(results(codeMode).at(-1)).toMatch(/^Updated 006A1 with \d+ characters\. Summary: /);
  });
});
