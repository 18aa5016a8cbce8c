/**
 * A server's `include`/`exclude` globs (picomatch, matched against MCP tool names), applied the
 * same way by the model (which tools get stubs), introspection's report, the runtime's drift
 * check and its call policy (config/policy.ts, which also matches `allow`, `deny`, `approve`).
 */
import picomatch from "picomatch";

// Tool names are not paths: `*` must match a leading dot or a "/" as any other character, or
// `deny: ["*"]` would let `.admin` or `admin/delete` through. A "/" is matched as a character
// no glob syntax gives a meaning to, on every platform alike.
const SLASH = "\uE000";
const asPlainName = (text: string) => text.replaceAll("/", SLASH);
const OPTIONS = { dot: true, windows: false } as const;

/** Whether a tool name matches one of `globs` (none: no name does). */
export function matchesName(globs: readonly string[]): (name: string) => boolean {
  if (globs.length === 0) return () => false;
  const matches = picomatch(globs.map(asPlainName), OPTIONS);
  return (name) => matches(asPlainName(name));
}

export interface ToolFilter {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /**
   * The call policy's globs (`allow`, `deny`, `approve.tools`): they keep and drop no stub,
   * but one that matches no tool is as likely a typo, and a `deny` that misses is a hole.
   */
  readonly policy?: Readonly<Partial<Record<PolicyField, readonly string[]>>>;
}

type PolicyField = "allow" | "deny" | "approve.tools";
type GlobField = "include" | "exclude" | PolicyField;

/** Whether the filter keeps a tool: it matches an `include` glob (if any) and no `exclude` glob. */
export function keepsTool(filter: ToolFilter): (name: string) => boolean {
  const include = filter.include?.length ? matchesName(filter.include) : () => true;
  const exclude = matchesName(filter.exclude ?? []);
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
): { readonly field: GlobField; readonly glob: string }[] {
  const matchesNone = (glob: string) => {
    const matches = matchesName([glob]);
    return !names.some((name) => matches(name));
  };
  const unmatched = (field: GlobField, globs: readonly string[] = []) =>
    globs.filter(matchesNone).map((glob) => ({ field, glob }));
  const policy = filter.policy ?? {};
  return [
    ...unmatched("include", filter.include),
    ...unmatched("exclude", filter.exclude),
    ...unmatched("allow", policy.allow),
    ...unmatched("deny", policy.deny),
    ...unmatched("approve.tools", policy["approve.tools"]),
  ];
}
