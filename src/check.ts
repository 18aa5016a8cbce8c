/**
 * `mcp-codegen check`: do the live servers still match the committed tree? Lists tools added,
 * removed and changed per server (a changed description counts: it can be a rug pull), and
 * files that a generate run would create, update or delete.
 */
import { compareCodeUnits } from "./compare.js";
import type { Manifest } from "./emit/manifest.js";
import { generate, type GenerateOptions } from "./generate.js";
import type { Model } from "./model/types.js";
import type { ToolHashes } from "./model/types.js";
import type { PlanEntry } from "./write/index.js";

export interface ServerDrift {
  readonly server: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: ReadonlyArray<{ readonly tool: string; readonly fields: readonly string[] }>;
}

export interface CheckResult {
  /** Servers whose tools differ from the manifest; empty when none does. */
  readonly drift: readonly ServerDrift[];
  /** Files a `generate` run would touch. */
  readonly stale: readonly PlanEntry[];
  readonly clean: boolean;
}

export async function check(options: Omit<GenerateOptions, "dryRun">): Promise<CheckResult> {
  const result = await generate({ ...options, dryRun: true });
  const drift = compareWithManifest(result.model, result.previousManifest);
  const stale = result.plan.entries.filter((entry) => entry.action !== "unchanged");
  return { drift, stale, clean: drift.length === 0 && stale.length === 0 };
}

const FIELDS: ReadonlyArray<[keyof ToolHashes, string]> = [
  ["description", "description"],
  ["inputSchema", "inputSchema"],
  ["outputSchema", "outputSchema"],
  ["annotations", "title/annotations"],
];

/** Tool-level differences between what the servers list now and what the manifest recorded. */
export function compareWithManifest(model: Model, manifest: Manifest | undefined): ServerDrift[] {
  const drift: ServerDrift[] = [];
  for (const server of model.servers) {
    const recorded = manifest?.servers[server.name]?.tools ?? {};
    const live = new Map(server.tools.map((tool) => [tool.wireName, tool]));
    const added = [...live.keys()].filter((name) => !Object.hasOwn(recorded, name)).sort();
    const removed = Object.keys(recorded)
      .filter((name) => !live.has(name))
      .sort();
    const changed: Array<{ tool: string; fields: string[] }> = [];
    for (const [name, tool] of live) {
      const before = Object.hasOwn(recorded, name) ? recorded[name]?.hashes : undefined;
      if (!before || before.definition === tool.hashes.definition) continue;
      const fields = FIELDS.filter(([key]) => before[key] !== tool.hashes[key]).map(
        ([, label]) => label,
      );
      changed.push({ tool: name, fields: fields.length > 0 ? fields : ["definition"] });
    }
    changed.sort((a, b) => compareCodeUnits(a.tool, b.tool));
    if (added.length || removed.length || changed.length) {
      drift.push({ server: server.name, added, removed, changed });
    }
  }
  return drift;
}
