/**
 * RFC 6570 URI templates (resource templates), by the SDK's implementation: the one SDK-built
 * servers match template URIs with, so what we expand is what they parse.
 */
import { UriTemplate } from "./sdk.js";

/** The template's variable names, each once, in order; throws when it does not parse. */
export function templateVariableNames(template: string): string[] {
  return [...new Set(new UriTemplate(template).variableNames)];
}

/** `template` expanded with `values` (a list where a variable takes several). */
export function expandUriTemplate(
  template: string,
  values: Readonly<Record<string, string | string[]>>,
): string {
  return new UriTemplate(template).expand(values);
}
