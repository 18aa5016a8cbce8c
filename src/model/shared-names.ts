/**
 * Tools of different servers that an agent (or a model reading the catalog) could mistake for
 * one another: the same MCP name, or names equal once Unicode compatibility forms and letter
 * case are folded (`ｇｅｔ_user`, `Get_User`). Each group becomes one warning naming them all;
 * nothing is renamed, since each server keeps its own namespace.
 */
import { compareCodeUnits } from "../compare.js";
import type { Warning } from "../log.js";
import type { ServerModel } from "./types.js";

export function sharedToolNames(servers: readonly ServerModel[]): Warning[] {
  const byKey = new Map<string, string[]>();
  for (const server of servers) {
    for (const tool of server.tools) {
      const key = tool.wireName.normalize("NFKC").toLowerCase();
      byKey.set(key, [...(byKey.get(key) ?? []), `${server.name}/${tool.wireName}`]);
    }
  }
  const warnings: Warning[] = [];
  for (const names of byKey.values()) {
    const servers = [...new Set(names.map((name) => name.slice(0, name.indexOf("/"))))];
    if (servers.length < 2) continue;
    const listed = names.sort(compareCodeUnits).map((name) => JSON.stringify(name));
    warnings.push({
      server: servers.sort(compareCodeUnits)[0]!,
      message: `tools of different servers have names that read the same: ${listed.join(", ")}; call them through their servers' namespaces, and check that each server is the one you meant`,
    });
  }
  return warnings;
}
