/**
 * Search results as the compact text a model reads: a header that says how many matched in
 * all, then one block per hit, as long as the detail level asks. Text from the index (a
 * server's names and descriptions) is put on one line, without controls, before it is shown.
 */
import { toMessageText } from "../model/text.js";
import type { SearchDetail, SearchHit, SearchResults } from "./search.js";

/** The results as text; `detail` is the level they were searched with. */
export function renderSearchResults(results: SearchResults, detail: SearchDetail): string {
  const lines = [header(results)];
  if (results.unknown && results.unknown.length > 0) {
    lines.push(`No tool is named ${results.unknown.map((name) => quote(name)).join(", ")}.`);
  }
  // Names alone are one line each, read as a list; the other levels, a block each.
  if (detail === "name" && results.hits.length > 0) lines.push("");
  for (const hit of results.hits)
    lines.push(...(detail === "name" ? [] : [""]), ...hitBlock(hit, detail));
  if (results.skills) lines.push("", ...skillBlocks(results.skills));
  return `${lines.join("\n")}\n`;
}

/** Saved skills that match: code that already did such a task, to import rather than rewrite. */
function skillBlocks(skills: NonNullable<SearchResults["skills"]>): string[] {
  const noun = skills.total === 1 ? "saved skill matches" : "saved skills match";
  const lines = [
    `${skills.hits.length} of ${skills.total} ${noun} (code that did this before; its SKILL.md says how to call it):`,
  ];
  for (const hit of skills.hits)
    lines.push(
      `skill ${line(hit.skill)}: import from "${hit.importPath}"`,
      `  ${line(hit.description)}`,
    );
  return lines;
}

function header(results: SearchResults): string {
  const { total, hits } = results;
  const query = quote(results.query);
  if (total === 0) {
    return `No tools match ${query}. Try other or fewer words, or \`mcp-codegen list\` for every tool.`;
  }
  const noun = total === 1 ? "tool matches" : "tools match";
  const more = hits.length < total ? ", best first (raise limit for more)" : "";
  return `${hits.length} of ${total} ${noun} ${query}${more}:`;
}

/** `server.tool`, where to import it from, then what the detail level adds. */
function hitBlock(hit: SearchHit, detail: SearchDetail): string[] {
  const name = `${line(hit.server)}.${line(hit.tool)}`;
  const lines = [`${name}: import { ${hit.identifier} } from "${hit.importPath}"`];
  if (detail === "name") return lines;
  if (hit.description) lines.push(`  ${line(hit.description)}`);
  if (hit.parameters && hit.parameters.length > 0) {
    lines.push(`  input: ${hit.parameters.map(line).join(", ")}`);
  }
  if (detail === "full" && hit.declaration) lines.push("```ts", hit.declaration, "```");
  return lines;
}

function line(text: string): string {
  return toMessageText(text, 300);
}

function quote(text: string): string {
  return JSON.stringify(toMessageText(text, 80));
}
