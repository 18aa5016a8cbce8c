/**
 * Skills through serve: `save_skill` and `list_skills` over `src/skills/`, and the MCP skills
 * extension (`io.modelcontextprotocol/skills`: `skills/list`, `skills/get`) served from the
 * same `skills/` folder with the SDK's catalog, reloaded whenever serve saves one.
 */
import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { loadSkills } from "@modelcontextprotocol/server/ext/skills/node";
import { withSdkWarnings } from "../sdk-warnings.js";
import { listSkills, saveSkill } from "../skills/store.js";
import { answered } from "./discovery.js";
import type { CallToolResult, McpServer } from "./sdk.js";

type Catalog = Awaited<ReturnType<typeof loadSkills>>;

/** The skills of `outDir`, for every server serve builds: attach, and reload after a save. */
export interface ServedSkills {
  attach(server: McpServer): void;
  reload(): Promise<void>;
}

export async function servedSkills(
  outDir: string,
  log: (line: string) => void,
): Promise<ServedSkills> {
  const root = path.join(outDir, "skills");
  await mkdir(root, { recursive: true });
  let catalog: Catalog | undefined;
  try {
    catalog = await withSdkWarnings(() => loadSkills(root), skillWarning(log));
  } catch (error) {
    // A skill a person broke by hand must not keep serve from starting: its tools still work.
    log(`skills: not served over the skills extension: ${(error as Error).message}`);
  }
  return {
    attach: (server) => catalog?.attach(server),
    reload: async () => {
      if (catalog) await withSdkWarnings(() => catalog.reload(), skillWarning(log));
    },
  };
}

export interface SaveSkillArgs {
  readonly name: string;
  readonly description: string;
  readonly code: string;
  readonly force?: boolean | undefined;
}

/** `save_skill`: the code saved as `skills/<name>/` (imports written as from the project's folder). */
export async function saveSkillTool(
  outDir: string,
  skills: ServedSkills,
  args: SaveSkillArgs,
): Promise<CallToolResult> {
  return answered(async () => {
    const saved = await saveSkill(outDir, {
      ...args,
      writtenIn: outDir,
      force: args.force === true,
    });
    await skills.reload();
    return `${saved.replaced ? "Replaced" : "Saved"} skill "${saved.name}": import it from "./skills/${saved.name}/index.js" (its SKILL.md says how to call it).`;
  });
}

/** `list_skills`: each saved skill, one line. */
export async function listSkillsTool(outDir: string): Promise<CallToolResult> {
  return answered(async () => {
    const skills = await listSkills(outDir);
    if (skills.length === 0) return "No skills saved yet: save_skill keeps a program that worked.";
    return skills
      .map((skill) =>
        "problem" in skill
          ? `${skill.name}: not usable (${skill.problem})`
          : `${skill.name}: ${skill.description} (import from "./skills/${skill.name}/index.js")`,
      )
      .join("\n");
  });
}

/** The SDK's skill loader's warnings, for serve's log; an empty folder is nothing to report. */
function skillWarning(log: (line: string) => void): (line: string) => void {
  return (line) => {
    if (!line.includes("no skills found")) log(line);
  };
}
