/**
 * Tools that an agent (or a model reading the catalog) could mistake for one another: names
 * equal once Unicode compatibility forms and letter case are folded (`ｇｅｔ_user`, `Get_User`),
 * or names that look alike by Unicode's confusable skeletons (`get_usеr` with a Cyrillic "е").
 * Each group becomes one warning naming them all; nothing is renamed, since each server keeps
 * its own namespace. Within one server, only look-alikes are warned about: names that differ
 * only by case are the naming rules' business (they get distinct identifiers there).
 */
import { compareCodeUnits } from "../compare.js";
import type { Warning } from "../log.js";
import { skeleton } from "./confusables.js";
import type { ServerModel } from "./types.js";

interface Named {
  readonly server: string;
  readonly name: string;
}

const ADVICE =
  "call them through their servers' namespaces, and check that each server is the one you meant";

export function sharedToolNames(servers: readonly ServerModel[]): Warning[] {
  const groups = new Map<string, Named[]>();
  for (const server of servers) {
    for (const tool of server.tools) {
      const key = lookAlikeKey(tool.wireName);
      groups.set(key, [...(groups.get(key) ?? []), { server: server.name, name: tool.wireName }]);
    }
  }
  const warnings: Warning[] = [];
  for (const group of groups.values()) {
    const warning = groupWarning(group);
    if (warning) warnings.push(warning);
  }
  return warnings;
}

/** Names that read the same by case and compatibility form. */
function sameReadingKey(name: string): string {
  return name.normalize("NFKC").toLowerCase();
}

/**
 * Names that look alike. Folding case first keeps every pair that reads the same in one group;
 * the skeleton's prototypes may be capitals ("0" becomes "O"), hence the second folding.
 */
function lookAlikeKey(name: string): string {
  return skeleton(sameReadingKey(name)).toLowerCase();
}

function groupWarning(group: readonly Named[]): Warning | undefined {
  const servers = [...new Set(group.map((tool) => tool.server))].sort(compareCodeUnits);
  const readings = new Set(group.map((tool) => sameReadingKey(tool.name)));
  const lookAlike = readings.size > 1;
  if (servers.length < 2 && !lookAlike) return undefined;
  const listed = group
    .map((tool) => `${tool.server}/${tool.name}`)
    .sort(compareCodeUnits)
    .map((name) => (lookAlike ? showCharacters(name) : JSON.stringify(name)));
  if (servers.length < 2) {
    return {
      server: servers[0]!,
      message: `tools of this server have names that look alike (confusable characters): ${listed.join(", ")}; an agent may call one for the other: check which is which before use`,
    };
  }
  const how = lookAlike ? "look alike (confusable characters)" : "read the same";
  return {
    server: servers[0]!,
    message: `tools of different servers have names that ${how}: ${listed.join(", ")}; ${ADVICE}`,
  };
}

/** A name quoted with every character outside printable ASCII as `\uXXXX`, so the difference shows. */
function showCharacters(name: string): string {
  let out = "";
  for (const character of name) {
    const code = character.codePointAt(0)!;
    out +=
      code >= 0x20 && code < 0x7f && character !== '"' && character !== "\\"
        ? character
        : code > 0xffff
          ? `\\u{${code.toString(16)}}`
          : `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return `"${out}"`;
}
