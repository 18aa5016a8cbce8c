/** What a redacted secret is replaced with. */
import { compareCodeUnits } from "../compare.js";
const REDACTED = "[REDACTED]";

/**
 * Prepares a list of secrets for repeated redaction: drops empty values (they would match
 * everywhere) and sorts longest first, so a secret that contains another is replaced whole.
 */
export function secretPattern(secrets: readonly string[]): RegExp | undefined {
  const unique = [...new Set(secrets.filter((secret) => secret.length > 0))];
  if (unique.length === 0) return undefined;
  unique.sort((a, b) => b.length - a.length || compareCodeUnits(a, b));
  return new RegExp(unique.map(escapeRegExp).join("|"), "g");
}

/**
 * Replaces every occurrence of every secret in `text` with `[REDACTED]`. Used on everything a
 * server sends back that may reach a terminal or a file: stderr tails, HTTP error bodies, tool
 * definitions. Returns the text and how many occurrences were replaced.
 */
export function redactText(
  text: string,
  secrets: readonly string[] | RegExp | undefined,
): { text: string; count: number } {
  const pattern = Array.isArray(secrets) ? secretPattern(secrets) : (secrets as RegExp | undefined);
  if (!pattern) return { text, count: 0 };
  let count = 0;
  const replaced = text.replace(pattern, () => {
    count += 1;
    return REDACTED;
  });
  return { text: replaced, count };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
