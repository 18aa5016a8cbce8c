/**
 * The agents section of AGENTS.md / CLAUDE.md: appended once, replaced in place between its
 * markers afterwards (never a second copy), the rest of the file untouched, short.
 */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { withAgentsSection } from "../../src/init/agents-md.js";

const section = withAgentsSection(undefined, "AGENTS.md").text;

describe("withAgentsSection", () => {
  it("is a short section between markers that teaches search, one program, run, print little", () => {
    const lines = section.trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(25);
    expect(lines[0]).toBe("<!-- mcp-codegen:start -->");
    expect(lines.at(-1)).toBe("<!-- mcp-codegen:end -->");
    for (const part of [
      "npx mcp-codegen search <",
      "npx mcp-codegen list",
      "npx mcp-codegen run <file>",
      "one program",
      "Print only what matters",
    ]) {
      expect(section).toContain(part);
    }
  });

  it.each([
    ["a file with text and a final newline", "# Notes\n\nBe kind.\n", "# Notes\n\nBe kind.\n\n"],
    ["a file without a final newline", "# Notes", "# Notes\n\n"],
    ["a file ending in a blank line", "# Notes\n\n", "# Notes\n\n"],
    ["an empty file", "", ""],
  ])("is appended to %s after one blank line, and a rerun changes nothing", (_t, given, before) => {
    const added = withAgentsSection(given, "AGENTS.md");
    expect(added).toEqual({ outcome: "added", text: `${before}${section}` });
    expect(withAgentsSection(added.text, "AGENTS.md")).toEqual({
      outcome: "unchanged",
      text: added.text,
    });
  });

  it("replaces an older section in place, keeping what is around it", () => {
    const given =
      "# Notes\n\n<!-- mcp-codegen:start -->\nold advice\n<!-- mcp-codegen:end -->\n\n## More\nkept\n";
    const { outcome, text } = withAgentsSection(given, "CLAUDE.md");
    expect(outcome).toBe("updated");
    expect(text).toBe(`# Notes\n\n${section}\n## More\nkept\n`);
    expect(text.match(/mcp-codegen:start/g)).toHaveLength(1);
  });

  it("keeps a file's CRLF line endings", () => {
    const { text } = withAgentsSection("# Notes\r\n", "AGENTS.md");
    expect(text).toBe(`# Notes\r\n\r\n${section.replaceAll("\n", "\r\n")}`);
    expect(text.replaceAll("\r\n", "")).not.toContain("\n");
  });

  it.each([
    ["a start without an end", "<!-- mcp-codegen:start -->\nx\n"],
    ["an end before the start", "<!-- mcp-codegen:end -->\n<!-- mcp-codegen:start -->\n"],
    ["two sections", `${section}\n${section}`],
  ])("refuses %s, naming the file", (_title, given) => {
    expect(() => withAgentsSection(given, "/p/AGENTS.md")).toThrow(ConfigError);
    expect(() => withAgentsSection(given, "/p/AGENTS.md")).toThrow(
      /^Its mcp-codegen markers .* are not one pair in order; .*Nothing was written in \/p\/AGENTS\.md$/,
    );
  });
});
