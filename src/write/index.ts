/**
 * The write phase: `planWrite` compares the rendered tree with the disk, `applyPlan` carries the
 * plan out atomically, `formatPlan` prints it for `--dry-run`, and `ensureAgentFolders` creates
 * the agent's `skills/` and `workspace/` folders once.
 */
export { ensureAgentFolders } from "./agent-folders.js";
export { applyPlan } from "./apply.js";
export { countPlan, formatPlan } from "./plan-text.js";
export { planWrite } from "./plan.js";
export type { PlanEntry, WritePlan } from "./types.js";
