import type { ConfigIssue } from "../errors.js";

/** A key that reads unambiguously after a dot: server names like `google-drive` stay readable. */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Writes a path the way users read it in their config: `servers.github.headers.Authorization`,
 * `servers.github.args.2`. Keys that would be ambiguous after a dot (`my.server`, `X Key`, "")
 * are quoted in brackets, `servers["my.server"].url`, so every path points at one place.
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") {
      out += out === "" ? String(segment) : `.${segment}`;
    } else {
      const key = String(segment);
      if (PLAIN_KEY.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  // The whole config is the subject when nothing narrower is.
  return out === "" ? "config" : out;
}

/** Builds an issue from path segments. */
export function issueAt(segments: readonly PropertyKey[], message: string): ConfigIssue {
  return { path: formatPath(segments), message };
}

/** The first line of a ConfigError that carries issues: "The config has 3 problems". */
export function problemsMessage(issues: readonly ConfigIssue[]): string {
  return issues.length === 1
    ? "The config has 1 problem"
    : `The config has ${issues.length} problems`;
}

/**
 * The known name closest to a misspelt one (`comand` → `command`), if any is within two edits;
 * typos in field names are the commonest config mistake and the fix is obvious once named.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance with one reused row; names here are short. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}
