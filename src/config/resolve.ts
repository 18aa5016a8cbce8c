/**
 * Resolving a config: validation (every problem, with its path), then interpolation and defaults.
 */
import type { ConfigIssue } from "../errors.js";
import { completeConfig, type ResolveContext } from "./complete.js";
import type { ResolvedConfig, UserConfig } from "./types.js";
import { configIssues } from "./validate.js";

export type { ResolveContext } from "./complete.js";

/**
 * Validates, interpolates and completes a config: every problem in it is reported at once in
 * one ConfigError (a server that only lacks a variable comes out `unusable`). Pure: no disk,
 * no process.env; an `envFile` is read only through `ctx.readFile`.
 * Servers come out sorted by name in code-unit order, disabled ones included.
 */
export function resolveConfig(raw: UserConfig, ctx: ResolveContext): ResolvedConfig {
  const issues: ConfigIssue[] = configIssues(raw);
  return completeConfig(raw, ctx, issues);
}
