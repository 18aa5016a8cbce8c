/**
 * The write phase: `planWrite` compares the rendered tree with the disk, `applyPlan` carries the
 * plan out atomically, `formatPlan` prints it for `--dry-run`, and `ensureAgentFolders` creates
 * the agent's `skills/` and `workspace/` folders once.
 */
export { ensureAgentFolders, AGENT_FOLDERS } from "./agent-folders.js";
export { applyPlan } from "./apply.js";
export type { ApplyOptions } from "./apply.js";
export { countPlan, formatPlan, hasChanges } from "./format.js";
export { planWrite } from "./plan.js";
export type { PlanWriteInput } from "./plan.js";
export { MANIFEST_PATH } from "./types.js";
export type { PlanAction, PlanEntry, RenderedFile, WritePlan } from "./types.js";
