/**
 * Deciding names once, for a whole server: which identifier and file each tool gets, and how
 * collisions (also those that differ only by letter case) are settled. Deterministic: the same
 * list in any order gives the same names.
 */
import { createHash } from "node:crypto";
import type { ToolDefinition } from "../introspect/snapshot.js";
import type { Warning } from "../log.js";
import { compareCodeUnits } from "../compare.js";
import { MAX_IDENTIFIER_LENGTH, toDirectoryName, toIdentifier } from "./identifiers.js";

export interface NamedTool<T extends { readonly name: string } = ToolDefinition> {
  readonly tool: T;
  readonly identifier: string;
}

export interface NamingOptions {
  /** What is named, for the collision warning: `tool` unless said. */
  readonly kind?: string;
  /** The identifier for a name (default `toIdentifier`). */
  readonly identifierOf?: (name: string) => string;
  /** Identifiers the file uses itself (its imports): never given to an item. */
  readonly reserved?: readonly string[];
}

/**
 * Names every tool of one server. Exact duplicates (the server listed a name twice) keep the
 * first and are reported. A tool whose name already is the identifier wins it, else the first
 * in code-unit order of MCP names; the others get a suffix made from their own MCP name
 * (`getUser_3f9a1c`), so that a tool the server adds later never renames one that code already
 * calls.
 */
export function nameTools<T extends { readonly name: string } = ToolDefinition>(
  server: string,
  tools: readonly T[],
  warnings: Warning[],
  options: NamingOptions = {},
): NamedTool<T>[] {
  const kind = options.kind ?? "tool";
  const identifierOf = options.identifierOf ?? ((name: string) => toIdentifier(name));
  const unique = new Map<string, T>();
  for (const tool of tools) {
    if (unique.has(tool.name)) {
      warnings.push({ server, tool: tool.name, message: "listed more than once; kept the first" });
    } else {
      unique.set(tool.name, tool);
    }
  }
  const candidates = [...unique.values()].map((tool) => ({ tool, base: identifierOf(tool.name) }));
  candidates.sort((a, b) => {
    const exactA = a.tool.name === a.base ? 0 : 1;
    const exactB = b.tool.name === b.base ? 0 : 1;
    return exactA - exactB || compareCodeUnits(a.tool.name, b.tool.name);
  });

  const taken = new Set((options.reserved ?? []).map((name) => name.toLowerCase()));
  const named: NamedTool<T>[] = [];
  const groups = new Map<string, string[]>();
  // A tool whose base a suffixed name already took joins the group of that name, so that its
  // warning says what it collided with.
  const groupOf = new Map<string, string>();
  for (const { tool, base } of candidates) {
    const identifier = claimOwn(base, tool.name, taken);
    named.push({ tool, identifier });
    const key = groupOf.get(base.toLowerCase()) ?? base.toLowerCase();
    groupOf.set(identifier.toLowerCase(), key);
    groups.set(key, [...(groups.get(key) ?? []), `${tool.name} → ${identifier}`]);
  }
  for (const members of groups.values()) {
    if (members.length > 1) {
      warnings.push({
        server,
        message: `${kind} names collide after conversion; resolved as ${members.join(", ")}`,
      });
    }
  }
  return named.sort((a, b) => compareCodeUnits(a.identifier, b.identifier));
}

/** Folder and namespace identifier for every server, unique case-insensitively. */
export function nameServers(
  names: readonly string[],
): Map<string, { dir: string; namespace: string }> {
  const dirs = new Set<string>();
  const namespaces = new Set<string>();
  const result = new Map<string, { dir: string; namespace: string }>();
  for (const name of [...names].sort(compareCodeUnits)) {
    result.set(name, {
      dir: claimName(toDirectoryName(name), dirs, "-"),
      namespace: claimName(toIdentifier(name, "server"), namespaces),
    });
  }
  return result;
}

/**
 * Takes `base`, or (taken already, case-insensitively) `base_` and the first 6, 8, … hex digits
 * of a hash of `name`: the same for that name whatever else is taken.
 */
function claimOwn(base: string, name: string, taken: Set<string>): string {
  let candidate = base;
  const hash = createHash("sha256").update(name).digest("hex");
  for (let length = 6; taken.has(candidate.toLowerCase()); length += 2) {
    const suffix = `_${hash.slice(0, length)}`;
    candidate = `${base.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length)}${suffix}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/**
 * Takes `base`, or the first free `base2`, `base3`, … (free case-insensitively): for server
 * folders and namespaces here, and for the type names of a schema's definitions.
 */
export function claimName(base: string, taken: Set<string>, separator = ""): string {
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}${separator}${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
