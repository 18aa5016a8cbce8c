/**
 * The one comparison of a server's tools with what the manifest recorded for them, used by
 * `mcp-codegen check` (the tools of a dry run's model) and by the runtime's drift guard (the
 * tools listed on a connection, before its first call). A tool is matched by its MCP name and
 * counts as changed when its definition hash differs: a changed description counts, since that
 * is how a rug pull looks.
 */
import { compareCodeUnits } from "./compare.js";
import type { ManifestTool } from "./emit/manifest.js";
import type { ToolHashes } from "./model/types.js";

/** The differences found, each list sorted by code units of the MCP names. */
export interface ManifestDiff {
  /** Listed now, not in the manifest. */
  readonly added: string[];
  /** In the manifest, no longer listed. */
  readonly removed: string[];
  /** Listed and in the manifest with another definition. */
  readonly changed: ChangedFields[];
}

interface ChangedFields {
  readonly tool: string;
  /** The parts whose hashes differ; `["definition"]` when only the whole differs (the name). */
  readonly fields: string[];
}

const FIELDS: ReadonlyArray<[keyof ToolHashes, string]> = [
  ["description", "description"],
  ["inputSchema", "inputSchema"],
  ["outputSchema", "outputSchema"],
  ["annotations", "title/annotations"],
];

/**
 * Compares `live` (MCP name → tool) with `recorded`, the manifest's tools of the same server.
 * `hashesOf` is asked only for tools the manifest knows, so a caller that hashes on demand
 * hashes no more than it compares.
 */
export function diffWithManifest<Tool>(
  recorded: Readonly<Record<string, ManifestTool>>,
  live: ReadonlyMap<string, Tool>,
  hashesOf: (tool: Tool) => ToolHashes,
): ManifestDiff {
  const added: string[] = [];
  const changed: ChangedFields[] = [];
  for (const [name, tool] of live) {
    const before = Object.hasOwn(recorded, name) ? recorded[name]?.hashes : undefined;
    if (!before) {
      added.push(name);
      continue;
    }
    const now = hashesOf(tool);
    if (before.definition === now.definition) continue;
    const fields = FIELDS.filter(([key]) => before[key] !== now[key]).map(([, label]) => label);
    changed.push({ tool: name, fields: fields.length > 0 ? fields : ["definition"] });
  }
  const removed = Object.keys(recorded).filter((name) => !live.has(name));
  return {
    added: added.sort(compareCodeUnits),
    removed: removed.sort(compareCodeUnits),
    changed: changed.sort((a, b) => compareCodeUnits(a.tool, b.tool)),
  };
}
