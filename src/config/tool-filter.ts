/**
 * A server's `include`/`exclude` globs (picomatch, matched against MCP tool names), applied the
 * same way by the model (which tools get stubs), introspection's report and the runtime's
 * drift check.
 */
import picomatch from "picomatch";

export interface ToolFilter {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/** Whether the filter keeps a tool: it matches an `include` glob (if any) and no `exclude` glob. */
export function keepsTool(filter: ToolFilter): (name: string) => boolean {
  const include = filter.include?.length ? picomatch([...filter.include]) : () => true;
  const exclude = filter.exclude?.length ? picomatch([...filter.exclude]) : () => false;
  return (name) => include(name) && !exclude(name);
}

/**
 * How many of `names` the filter keeps, for the report; undefined when the server has no
 * filter (then every tool listed is kept).
 */
export function keptCount(filter: ToolFilter, names: readonly string[]): number | undefined {
  if (!filter.include?.length && !filter.exclude?.length) return undefined;
  const keeps = keepsTool(filter);
  return names.filter((name) => keeps(name)).length;
}

/**
 * The globs that match none of `names`: a typo, or a tool the server no longer has. Each
 * would otherwise silently keep or drop nothing.
 */
export function unmatchedGlobs(
  filter: ToolFilter,
  names: readonly string[],
): { readonly field: "include" | "exclude"; readonly glob: string }[] {
  const matchesNone = (glob: string) => {
    const matches = picomatch(glob);
    return !names.some((name) => matches(name));
  };
  const unmatched = (field: "include" | "exclude") =>
    (filter[field] ?? []).filter(matchesNone).map((glob) => ({ field, glob }));
  return [...unmatched("include"), ...unmatched("exclude")];
}
