/**
 * A skill as the open Agent Skills format has it: a folder named as the skill, holding
 * `SKILL.md` (YAML front matter with `name` and `description`, then a body saying how to use
 * it), beside which mcp-codegen puts `index.ts`, the code that does the work. So Claude's and
 * other clients' skill loaders read our skills as they are.
 *
 * Names and descriptions come from programs and models: untrusted, so checked, not cleaned.
 */
import { parse, stringify } from "yaml";
import { SkillError } from "./errors.js";
import type { SkillExport } from "./source.js";

export const SKILL_FILE = "SKILL.md";
export const SKILL_MODULE = "index.ts";

const MAX_NAME = 64;
const MAX_DESCRIPTION = 1024;

/** What a skill says of itself: its front matter. */
export interface SkillMeta {
  readonly name: string;
  readonly description: string;
  readonly license?: string;
  readonly compatibility?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Why `name` is not a skill name (1–64 of a-z, 0-9 and single inner hyphens), or undefined. */
function skillNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string" || name.length === 0) return "a skill needs a name";
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  if (name.length > MAX_NAME) return `the name ${shown} is longer than ${MAX_NAME} characters`;
  if (!/^[a-z0-9-]+$/.test(name))
    return `the name ${shown} may hold only lower-case letters a-z, digits and "-"`;
  if (name.startsWith("-") || name.endsWith("-") || name.includes("--"))
    return `the name ${shown} may not start or end with "-" or hold "--"`;
  // Where a file system ignores case (macOS, Windows), its folder would be the catalog's file.
  if (name === "readme")
    return `the name ${shown} is the catalog's (skills/README.md); choose another`;
  return undefined;
}

/** Why `description` cannot describe a skill, or undefined. */
function skillDescriptionProblem(description: unknown): string | undefined {
  if (typeof description !== "string" || description.trim() === "")
    return "a skill needs a description: what it does and when to use it";
  if (description.length > MAX_DESCRIPTION)
    return `the description is ${description.length} characters long; at most ${MAX_DESCRIPTION}`;
  // One line of plain text: a line break or an escape code in it could forge the catalog's
  // structure or a terminal's display where it is shown.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(description))
    return "the description must be one line of text, without control or bidi characters";
  return undefined;
}

/** The meta of `input`, or a SkillError naming every problem. */
export function checkedSkillMeta(input: { name: unknown; description: unknown }): SkillMeta {
  const problems = [skillNameProblem(input.name), skillDescriptionProblem(input.description)];
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw new SkillError(`cannot save the skill: ${found.join("; ")}`);
  return { name: input.name as string, description: (input.description as string).trim() };
}

/** `SKILL.md` for `meta`, whose body says how to import and call `exports` (their signatures). */
export function renderSkillFile(meta: SkillMeta, exports: readonly SkillExport[]): string {
  const frontMatter = stringify(
    { name: meta.name, description: meta.description, metadata: { generator: "mcp-codegen" } },
    { lineWidth: 0 },
  );
  const names = exports.map((e) => e.name);
  const signatures = exports.map((e) => e.signature);
  // The signatures are the program's text: a run of backticks in one must not end the block.
  const longest = Math.max(
    2,
    ...signatures.map((e) => Math.max(0, ...[...e.matchAll(/`+/g)].map((m) => m[0].length))),
  );
  const fence = "`".repeat(longest + 1);
  const body = [
    `# ${meta.name}`,
    "",
    meta.description,
    "",
    "## How to use it",
    "",
    `The code is \`${SKILL_MODULE}\` in this folder. A program in the folder holding \`skills/\` and \`servers/\` imports it and runs with \`npx mcp-codegen run <file>\`:`,
    "",
    "```ts",
    names.length > 0
      ? `import { ${names.join(", ")} } from "./skills/${meta.name}/index.js";`
      : `import "./skills/${meta.name}/index.js";`,
    "```",
    "",
    ...(exports.length > 0
      ? ["It exports:", "", `${fence}ts`, ...signatures.map((e) => `export ${e};`), fence, ""]
      : ["It exports nothing: importing it runs it.", ""]),
  ];
  return `---\n${frontMatter}---\n\n${body.join("\n")}`;
}

/** The front matter of a `SKILL.md`, or why it is not one (a person may have edited it). */
export function parseSkillFile(text: string): SkillMeta | { problem: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(text);
  if (!match) return { problem: "it does not start with YAML front matter between --- lines" };
  let data: unknown;
  try {
    data = parse(match[1]!, { maxAliasCount: 10 });
  } catch (error) {
    return { problem: `its front matter is not YAML: ${(error as Error).message.split("\n")[0]}` };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return { problem: "its front matter is not a mapping" };
  const fields = data as Record<string, unknown>;
  // A person's SKILL.md may fold its description over lines: read as one.
  const description =
    typeof fields.description === "string"
      ? fields.description.replace(/[\r\n\t]+/g, " ").trim()
      : fields.description;
  const problem = skillNameProblem(fields.name) ?? skillDescriptionProblem(description);
  if (problem) return { problem };
  return { name: fields.name as string, description: description as string };
}
