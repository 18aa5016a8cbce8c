import type { ConfigIssue } from "../errors.js";
import { issueAt } from "./issues.js";
import type { Substitution } from "./secrets.js";

/** Where `${…}` values come from. */
export interface InterpolationSource {
  /** The environment: `${VAR}`, `${VAR:-default}` and VS Code's `${env:VAR}` read it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Named values that are not environment variables (`workspaceFolder` in JSON configs). */
  readonly vars?: Readonly<Record<string, string>>;
  /**
   * When true, a reference that cannot be filled is left as written instead of being an issue:
   * a disabled server must not fail the run over a variable it would never use.
   */
  readonly lenient?: boolean;
}

export interface Interpolated<T> {
  readonly value: T;
  /** Values read from the environment, in order of use, with their variables' names. */
  readonly substituted: readonly Substitution[];
  /** Every variable referenced, filled or not, defaults included. */
  readonly variables: readonly string[];
  /** Malformed references: mistakes in the config. */
  readonly issues: readonly ConfigIssue[];
  /**
   * References this environment cannot fill (an unset variable, a VS Code input): the config
   * is right, but the server cannot be used here. Empty when `lenient`.
   */
  readonly unfilled: readonly ConfigIssue[];
}

const REFERENCE = /\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The fields of a server whose strings are interpolated; the others name tools or choose modes. */
const STRING_FIELDS = ["command", "cwd", "url", "envFile"] as const;
const ARRAY_FIELDS = ["args"] as const;
const MAP_FIELDS = ["env", "headers"] as const;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in one string. `:-` follows the shell: the default
 * applies when the variable is unset or empty. `path` locates issues: `servers.github.url`.
 */
export function interpolateString(
  text: string,
  path: readonly PropertyKey[],
  source: InterpolationSource,
): Interpolated<string> {
  const substituted: Substitution[] = [];
  const variables: string[] = [];
  const issues: ConfigIssue[] = [];
  const unfilled: ConfigIssue[] = [];
  const problem = (into: ConfigIssue[], whole: string, message: string): string => {
    if (!source.lenient) into.push(issueAt(path, message));
    return whole;
  };
  const value = text.replace(REFERENCE, (whole, inner: string) => {
    if (inner.startsWith("input:")) {
      const suggested =
        inner
          .slice(6)
          .replace(/[^A-Za-z0-9]+/g, "_")
          .toUpperCase() || "VAR";
      return problem(
        unfilled,
        whole,
        `${whole} is a VS Code input, which only VS Code can ask for: set an environment variable and write \${env:${suggested}} instead`,
      );
    }
    const cut = inner.indexOf(":-");
    const rawName = cut === -1 ? inner : inner.slice(0, cut);
    const name = rawName.startsWith("env:") ? rawName.slice(4) : rawName;
    if (!NAME.test(name)) {
      return problem(
        issues,
        whole,
        `${whole} is not a variable reference: write \${NAME} or \${NAME:-default}`,
      );
    }
    // Predefined names (not environment) win only in the plain form, as in VS Code.
    const predefined = rawName === name ? source.vars?.[name] : undefined;
    if (predefined !== undefined) return predefined;
    variables.push(name);
    const found = source.env[name];
    if (cut !== -1 && (found === undefined || found === "")) return inner.slice(cut + 2);
    if (found === undefined) {
      return problem(
        unfilled,
        whole,
        `environment variable ${name} is not set: set it where mcp-codegen and your programs run, or write \${${name}:-default}`,
      );
    }
    substituted.push({ name, value: found });
    return found;
  });
  return { value, substituted, variables, issues, unfilled };
}

/**
 * Interpolates every string of one server's config (command, args, env values, cwd, url,
 * envFile, header values, the strings of `auth`) and collects every problem at once. Works on unvalidated input:
 * fields of the wrong type are left for validation to report. Returns a new object.
 */
export function interpolateServer(
  server: Readonly<Record<string, unknown>>,
  path: readonly PropertyKey[],
  source: InterpolationSource,
): Interpolated<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...server };
  const substituted: Substitution[] = [];
  const variables: string[] = [];
  const issues: ConfigIssue[] = [];
  const unfilled: ConfigIssue[] = [];
  const one = (text: unknown, at: readonly PropertyKey[]): unknown => {
    if (typeof text !== "string") return text;
    const result = interpolateString(text, at, source);
    substituted.push(...result.substituted);
    variables.push(...result.variables);
    issues.push(...result.issues);
    unfilled.push(...result.unfilled);
    return result.value;
  };
  for (const key of STRING_FIELDS) {
    if (key in server) out[key] = one(server[key], [...path, key]);
  }
  for (const key of ARRAY_FIELDS) {
    const list = server[key];
    if (Array.isArray(list))
      out[key] = list.map((item: unknown, i) => one(item, [...path, key, i]));
  }
  for (const key of MAP_FIELDS) {
    const map = server[key];
    if (typeof map !== "object" || map === null || Array.isArray(map)) continue;
    out[key] = Object.fromEntries(
      Object.entries(map).map(([name, item]) => [name, one(item, [...path, key, name])]),
    );
  }
  // `auth` holds strings (clientId, clientSecret…) and a list of them (scopes).
  const auth = server.auth;
  if (typeof auth === "object" && auth !== null && !Array.isArray(auth)) {
    out.auth = Object.fromEntries(
      Object.entries(auth).map(([name, item]) => [
        name,
        Array.isArray(item)
          ? item.map((each: unknown, i) => one(each, [...path, "auth", name, i]))
          : one(item, [...path, "auth", name]),
      ]),
    );
  }
  return { value: out, substituted, variables, issues, unfilled };
}
