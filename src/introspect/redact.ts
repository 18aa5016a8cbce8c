import { redactText, secretPattern } from "../connect/index.js";
import type { ServerSnapshot } from "./snapshot.js";
import { setOwn } from "./tool-definition.js";

/**
 * Replaces every occurrence of every secret with `[REDACTED]` in every string a server sent:
 * server info, instructions, tool names, titles, descriptions, annotation titles, skip reasons,
 * and everything inside the schemas — values (enum members, defaults, examples) and keys
 * (property names) alike. A server that echoes a token it was given (in a description, a
 * default) would otherwise carry it into `inspect` output and generated files.
 *
 * `snapshot.name` is left as is: it is the config's own key for the server, not something the
 * server sent, and the rest of the pipeline matches on it. Pure: the input is not modified.
 * Returns the redacted copy and how many occurrences were replaced.
 */
export function redactSnapshot(
  snapshot: ServerSnapshot,
  secrets: readonly string[],
): { snapshot: ServerSnapshot; redactions: number } {
  const pattern = secretPattern(secrets);
  if (!pattern) return { snapshot, redactions: 0 };
  let redactions = 0;

  const walk = (value: unknown): unknown => {
    if (typeof value === "string") {
      const { text, count } = redactText(value, pattern);
      redactions += count;
      return text;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === "object" && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        setOwn(out, walk(key) as string, walk(item));
      }
      return out;
    }
    return value;
  };

  const { name, ...rest } = snapshot;
  const redacted = { name, ...(walk(rest) as Omit<ServerSnapshot, "name">) };
  return { snapshot: redacted, redactions };
}
