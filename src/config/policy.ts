/**
 * What a server's config lets a program do with one of its tools at run time: call it, call it
 * after a person's yes, or not at all. One place decides, in one order, for every host (the
 * runner, the daemon, a plain Node program, later `serve`):
 *
 * 1. `include`/`exclude`: a tool left out of the stubs is not callable either (a program could
 *    otherwise name it to `callMcpTool` directly);
 * 2. `deny`, which wins over
 * 3. `allow` (when it has globs, a tool must match one);
 * 4. `approve`: `tools` globs, then `destructive` by the tool's annotations.
 *
 * Pure: the annotations come from the caller, as the server listed them.
 */
import type { ToolAnnotations } from "../introspect/snapshot.js";
import { formatPath } from "./issues.js";
import { matchesName } from "./tool-filter.js";
import type { ResolvedServer } from "./types.js";

/** The part of the config a verdict comes from, in words fit for an error message. */
export interface PolicyRule {
  /** The config field, e.g. `servers.fs.deny`. */
  readonly field: string;
  /** The glob of that field that matched; undefined when none had to (or the field is a flag). */
  readonly glob?: string;
  /** Why the rule applies to the tool, e.g. `it matches "write_*" in servers.fs.deny`. */
  readonly because: string;
  /** What to change in the config for the verdict to be otherwise. */
  readonly change: string;
}

/**
 * How the server listed a tool: its annotations (undefined when it gave none), or `unlisted`
 * when the listing does not have the tool.
 */
type ListedTool = { readonly annotations: ToolAnnotations | undefined } | "unlisted";

export interface CallPolicy {
  /** The rule refusing every call to `tool`, or undefined when the config lets programs call it. */
  refusal(tool: string): PolicyRule | undefined;
  /** The rule making each call to `tool` wait for a person's yes, or undefined. */
  approval(tool: string, listed: ListedTool): PolicyRule | undefined;
}

type Server = Pick<ResolvedServer, "name" | "include" | "exclude" | "policy">;

/** Compiles the globs of `server`'s `include`, `exclude`, `allow`, `deny` and `approve` once. */
export function callPolicy(server: Server): CallPolicy {
  const field = (...names: string[]) => formatPath(["servers", server.name, ...names]);
  const excluded = firstMatch(server.exclude);
  const denied = firstMatch(server.policy.deny);
  const toApprove = firstMatch(server.policy.approveTools);
  const included = someMatch(server.include);
  const allowed = someMatch(server.policy.allow);
  return {
    refusal(tool) {
      const quoted = JSON.stringify(tool);
      if (!included(tool)) {
        const at = field("include");
        return {
          field: at,
          because: `no glob of ${at} matches it, so the stubs were generated without it`,
          change: `add ${quoted} to ${at} (and run \`npx mcp-codegen generate\`)`,
        };
      }
      const exclude = excluded(tool);
      if (exclude !== undefined) return matched(field("exclude"), exclude, true);
      const deny = denied(tool);
      if (deny !== undefined) return matched(field("deny"), deny);
      if (!allowed(tool)) {
        const at = field("allow");
        return {
          field: at,
          because: `no glob of ${at} matches it`,
          change: `add ${quoted} to ${at}`,
        };
      }
      return undefined;
    },
    approval(tool, listed) {
      const glob = toApprove(tool);
      if (glob !== undefined) return matched(field("approve", "tools"), glob);
      if (!server.policy.approveDestructive) return undefined;
      const why = destructiveReason(listed);
      if (why === undefined) return undefined;
      const at = field("approve", "destructive");
      return {
        field: at,
        because: `${at} is true and ${why}`,
        change: `set ${at} to false (or list only some tools in ${field("approve", "tools")})`,
      };
    },
  };
}

/**
 * A rule from a glob that matched, undone by removing the glob; `stubs` when the field also
 * decided which stubs were generated (then regenerating follows).
 */
function matched(at: string, glob: string, stubs = false): PolicyRule {
  const quoted = JSON.stringify(glob);
  return {
    field: at,
    glob,
    because: `it matches ${quoted} in ${at}${stubs ? ", so the stubs were generated without it" : ""}`,
    change: `remove ${quoted} from ${at}${stubs ? " (and run `npx mcp-codegen generate`)" : ""}`,
  };
}

/**
 * Why MCP's annotations make the tool destructive, or undefined when they say it is not. The
 * spec's defaults: `readOnlyHint` false, `destructiveHint` true (meaningful only when the tool
 * is not read-only). So a tool that says nothing is destructive, and so is one the server did
 * not list (nothing says otherwise).
 */
function destructiveReason(listed: ListedTool): string | undefined {
  if (listed === "unlisted") return "the server's tool list does not have it";
  const hints = listed.annotations;
  if (hints?.readOnlyHint === true) return undefined;
  if (hints?.destructiveHint === true) return "its annotations say destructiveHint: true";
  if (hints?.destructiveHint === false) return undefined;
  return "its annotations do not say readOnlyHint: true or destructiveHint: false (MCP's defaults make such a tool destructive)";
}

/** The first of `globs` that matches a name, or undefined. */
function firstMatch(globs: readonly string[]): (name: string) => string | undefined {
  const matchers = globs.map((glob) => [glob, matchesName([glob])] as const);
  return (name) => matchers.find(([, matches]) => matches(name))?.[0];
}

/** Whether a name matches one of `globs`; true for every name when there are none. */
function someMatch(globs: readonly string[]): (name: string) => boolean {
  return globs.length === 0 ? () => true : matchesName(globs);
}
