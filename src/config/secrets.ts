/**
 * Which strings of a server's config must never appear in output (logs, errors, generated files).
 * The rule errs towards redacting too much: a redacted path in a log costs little, a leaked
 * token costs a lot. Values shorter than six characters are dropped because redacting `1` or
 * `true` everywhere would garble output without protecting anything.
 */
import { compareCodeUnits } from "../compare.js";

const MIN_SECRET_LENGTH = 6;

/** Last word of a flag or variable name that marks its value as secret (`--api-key`, `GH_TOKEN`). */
const SECRET_WORD = /(token|secret|password|passwd|apikey|^key|^pwd|^pat|^auth|^credentials?)$/;
const ENV_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const AUTH_HEADERS = new Set(["authorization", "proxy-authorization"]);

/** The parts of an interpolated server config that secrets are read from. */
export interface SecretSources {
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly url?: string;
  /** Values substituted from `${VAR}` anywhere in the server's config. */
  readonly substituted?: readonly string[];
}

/**
 * The secrets of one server: every env and header value (and the token of an
 * `Authorization: Bearer …` header), every value read from the environment, the values of
 * secret-looking args and URL parts. Unique, at least six characters, longest first, so that a
 * redactor replacing them in order never leaves the tail of a longer secret behind.
 */
export function collectSecrets(sources: SecretSources): string[] {
  const found: string[] = [...(sources.substituted ?? [])];
  found.push(...Object.values(sources.env ?? {}));
  for (const [name, value] of Object.entries(sources.headers ?? {})) {
    found.push(value);
    // `Bearer abc`: the token alone may show up in output without its scheme.
    const token = AUTH_HEADERS.has(name.toLowerCase())
      ? /^\S+\s+(\S.*)$/s.exec(value)?.[1]
      : undefined;
    if (token !== undefined) found.push(token.trim());
  }
  found.push(...argSecrets(sources.args ?? []));
  if (sources.url !== undefined) found.push(...urlSecrets(sources.url));
  const unique = [...new Set(found.filter((value) => value.length >= MIN_SECRET_LENGTH))];
  return unique.sort((a, b) => b.length - a.length || compareCodeUnits(a, b));
}

/** True when a flag or variable name (`--api-key`, `GITHUB_TOKEN`) names a secret. */
export function isSecretName(name: string): boolean {
  const words = name.replace(/^-+/, "").toLowerCase().split(/[-_.]/);
  const last = words[words.length - 1] ?? "";
  return SECRET_WORD.test(last);
}

/** `--token abc`, `--token=abc`, and `NAME=value` pairs as in `docker run -e GITHUB_TOKEN=abc`. */
function argSecrets(args: readonly string[]): string[] {
  const found: string[] = [];
  args.forEach((arg, i) => {
    if (arg.startsWith("-")) {
      const eq = arg.indexOf("=");
      if (eq !== -1) {
        if (isSecretName(arg.slice(0, eq))) found.push(arg.slice(eq + 1));
        return;
      }
      const next = args[i + 1];
      if (isSecretName(arg) && next !== undefined && !next.startsWith("-")) found.push(next);
      return;
    }
    const assignment = ENV_ASSIGNMENT.exec(arg);
    if (
      assignment?.[1] !== undefined &&
      assignment[2] !== undefined &&
      isSecretName(assignment[1])
    ) {
      found.push(assignment[2]);
    }
  });
  return found;
}

/** A password in the URL's user info and secret-looking query parameters (`?api_key=…`). */
function urlSecrets(url: string): string[] {
  if (!URL.canParse(url)) return [];
  const parsed = new URL(url);
  const found: string[] = [];
  if (parsed.password !== "") found.push(safeDecode(parsed.password), parsed.password);
  for (const [name, value] of parsed.searchParams) {
    if (isSecretName(name)) found.push(value, encodeURIComponent(value));
  }
  return found;
}

/** `%zz` is kept as written rather than failing the whole config over a redaction detail. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
