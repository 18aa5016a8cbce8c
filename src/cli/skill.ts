/** `mcp-codegen skill save <file>` and `skill list`: the project's saved skills (src/skills/). */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { CodegenError } from "../errors.js";
import type { CommandContext } from "./context.js";
import { configFor, type CommonFlags } from "./options.js";

export interface SkillSaveFlags extends CommonFlags {
  readonly name?: string;
  readonly description?: string;
  readonly force?: boolean;
}

export async function runSkillSave(
  file: string,
  flags: SkillSaveFlags,
  ctx: CommandContext,
): Promise<number> {
  const config = await configFor(flags, ctx.cwd, ctx.env);
  const source = path.resolve(ctx.cwd, file);
  let code: string;
  try {
    code = await readFile(source, "utf8");
  } catch (error) {
    throw new CodegenError("SKILL", `cannot read ${source}: ${(error as Error).message}`);
  }
  const { saveSkill } = await import("../skills/store.js");
  const saved = await saveSkill(config.outDir, {
    name: flags.name,
    description: flags.description,
    code,
    writtenIn: path.dirname(source),
    force: flags.force ?? false,
  });
  const where = path.relative(ctx.cwd, saved.dir) || ".";
  ctx.stderr.write(
    `${saved.replaced ? "Replaced" : "Saved"} skill "${saved.name}" in ${where}/ (SKILL.md, index.ts); skills/README.md lists it.\n`,
  );
  return 0;
}

export async function runSkillList(
  flags: CommonFlags & { readonly json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const config = await configFor(flags, ctx.cwd, ctx.env);
  const { listSkills } = await import("../skills/store.js");
  const skills = await listSkills(config.outDir);
  if (flags.json) {
    ctx.stdout.write(`${JSON.stringify(skills, null, 2)}\n`);
    return 0;
  }
  if (skills.length === 0) {
    ctx.stderr.write(
      "No skills saved yet: `mcp-codegen skill save <file> --name <name> --description <text>` saves one.\n",
    );
    return 0;
  }
  for (const skill of skills)
    ctx.stdout.write(
      "problem" in skill
        ? `${skill.name}  (not usable: ${skill.problem})\n`
        : `${skill.name}  ${skill.description}\n`,
    );
  return 0;
}
