/**
 * The plan as text, for `generate --dry-run` and for `check` to show what is stale (formatting
 * of source files is `src/format/`). Paths are shown as `servers/<path>`, relative to `outDir`,
 * so the output holds no absolute path and is the same on every machine.
 */
import type { PlanAction, WritePlan } from "./types.js";

/** How many entries of the plan have each action. */
export function countPlan(plan: WritePlan): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const entry of plan.entries) counts[entry.action] += 1;
  return counts;
}

/** Whether applying the plan would change anything on disk (what `check` exits non-zero on). */
export function hasChanges(plan: WritePlan): boolean {
  return plan.entries.some((entry) => entry.action !== "unchanged");
}

/**
 * One line for each file to create, update or delete, in path order, then a summary line that
 * also counts the unchanged files (which are not listed: in a tree of thousands they would bury
 * the changes), then the plan's warnings. For example:
 *
 * ```text
 * create  servers/memory/createEntities.ts
 * update  servers/manifest.json
 * 1 to create, 1 to update, 0 to delete, 12 unchanged
 * ```
 */
export function formatPlan(plan: WritePlan): string {
  const lines: string[] = [];
  for (const entry of plan.entries) {
    // Every action name is six letters, so padding to eight lines the paths up.
    if (entry.action !== "unchanged") lines.push(`${entry.action.padEnd(8)}servers/${entry.path}`);
  }
  const counts = countPlan(plan);
  lines.push(
    `${counts.create} to create, ${counts.update} to update, ` +
      `${counts.delete} to delete, ${counts.unchanged} unchanged`,
  );
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  return lines.join("\n");
}
