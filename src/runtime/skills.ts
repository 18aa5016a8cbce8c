/**
 * `saveSkill`: keeps code that works as a skill, `skills/<name>/` beside `servers/` (see
 * src/skills/). From a program run by `mcp-codegen run` the host saves it: the program itself
 * still writes nothing outside `workspace/`.
 */
import { runtimeConfig } from "./config.js";

/** A skill to save: its code is a module written as a program beside `servers/` is. */
export interface SkillToSave {
  /** 1–64 characters of a-z, 0-9 and single inner `-`: the skill's folder. */
  readonly name: string;
  /** What it does and when to use it: one line, at most 1,024 characters. */
  readonly description: string;
  /** TypeScript; its relative imports (`./servers/x/index.js`) are re-rooted for its folder. */
  readonly code: string;
  /** Replace a skill of that name; without it, an existing skill is never overwritten. */
  readonly force?: boolean;
}

export interface SavedSkillInfo {
  readonly name: string;
  readonly description: string;
  /** Where it is, relative to the folder holding `servers/`: `skills/<name>`. */
  readonly path: string;
  readonly replaced: boolean;
}

/** Saves `skill` as `skills/<name>/SKILL.md` and `index.ts`, and lists it in `skills/README.md`. */
export async function saveSkill(skill: SkillToSave): Promise<SavedSkillInfo> {
  const config = await runtimeConfig();
  // Loaded on use: parsing and YAML are nothing a tool call needs.
  const { saveSkill: save } = await import("../skills/store.js");
  const input = (skill ?? {}) as Partial<SkillToSave>;
  const saved = await save(config.outDir, {
    name: input.name,
    description: input.description,
    code: input.code,
    // Programs are written beside servers/, as `run` runs them and the catalog tells.
    writtenIn: config.outDir,
    force: input.force === true,
  });
  return {
    name: saved.name,
    description: saved.description,
    path: `skills/${saved.name}`,
    replaced: saved.replaced,
  };
}
