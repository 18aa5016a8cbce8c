/**
 * What `check` shows for a changed tool: the lines of its stub that a `generate` run would
 * change, old and new. The stub holds the tool's description (its doc comment) and its schemas
 * (as types), so a reviewer sees what a changed description now tells the agent, not only that
 * something changed: a "rug pull" is read in the text, not in a hash.
 */
import { plural } from "./plural.js";
import { structuredPatch } from "diff";
import { stripUnsafeCharacters } from "./model/text.js";

/** Enough to read a changed description or a handful of fields; the rest is summarised. */
const MAX_LINES = 40;
const MAX_LINE_LENGTH = 200;

/**
 * The changed lines between two versions of a stub, `-` for the old and `+` for the new, with
 * one line of context around each change and `@@` between distant changes. Empty when equal.
 * The old text comes from disk, where anyone may have put anything, so both sides are made
 * inert for a terminal.
 */
export function stubDiff(before: string, after: string): string[] {
  const patch = structuredPatch("before", "after", before, after, "", "", { context: 1 });
  const lines: string[] = [];
  patch.hunks.forEach((hunk, index) => {
    if (index > 0) lines.push("@@");
    for (const line of hunk.lines) {
      if (line.startsWith("\\")) continue; // "\ No newline at end of file"
      lines.push(shortLine(stripUnsafeCharacters(line).replace(/\n/g, " ")));
    }
  });
  if (lines.length <= MAX_LINES) return lines;
  const more = lines.length - MAX_LINES;
  return [...lines.slice(0, MAX_LINES), `… ${plural(more, "more line")}`];
}

function shortLine(line: string): string {
  return line.length <= MAX_LINE_LENGTH ? line : `${line.slice(0, MAX_LINE_LENGTH - 1)}…`;
}
