/**
 * Saved skills in a search: the same ranking as tools (names and description, word forms and
 * typos), over `skills/` as it is now, since skills change between generations. A skill named
 * exactly comes first. Skills are few, so their small index is built for each search.
 */
import { listSkills } from "../skills/store.js";
import { rank } from "./rank.js";
import { buildRanking } from "./ranking.js";

export interface SkillHit {
  readonly kind: "skill";
  readonly skill: string;
  /** What a program in the folder holding `skills/` imports. */
  readonly importPath: string;
  readonly description: string;
  readonly score: number;
}

/** The skills under `outDir` that match `query`, best first, at most `limit`, and how many did. */
export async function searchSkills(
  outDir: string,
  query: string,
  limit: number,
): Promise<{ total: number; hits: SkillHit[] }> {
  const skills = (await listSkills(outDir)).flatMap((skill) => ("problem" in skill ? [] : [skill]));
  if (skills.length === 0 || query.trim() === "") return { total: 0, hits: [] };
  const ranking = buildRanking(
    skills.map((skill) => ({
      server: "skills",
      tool: skill.name,
      identifier: skill.name,
      dir: "",
      summary: skill.description,
      description: skill.description,
      parameters: [],
    })),
  );
  const wanted = query.trim().toLowerCase();
  const ranked = rank(ranking, query);
  const exact = skills.findIndex((skill) => skill.name === wanted);
  const best = ranked.best(limit + 1);
  const ordered =
    exact < 0
      ? best
      : [{ id: exact, score: (best[0]?.score ?? 0) + 1 }, ...best.filter((r) => r.id !== exact)];
  const total = ranked.total + (exact >= 0 && !ranked.matches(exact) ? 1 : 0);
  const hits = ordered.slice(0, limit).map(({ id, score }) => {
    const skill = skills[id]!;
    return {
      kind: "skill" as const,
      skill: skill.name,
      importPath: `./skills/${skill.name}/index.js`,
      description: skill.description,
      score: Math.round(score * 1000) / 1000,
    };
  });
  return { total, hits };
}
