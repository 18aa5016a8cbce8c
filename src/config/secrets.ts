/**
 * Which values of a server's config are secrets: they never appear in output (logs, errors,
 * generated files), and a server that puts one in a tool's name fails instead of being
 * generated with a renamed tool. The rule is narrow on purpose: redaction rewrites the text a
 * server sends, so calling an ordinary value (`MODE: "directory"`) secret garbles every
 * description that mentions it. A value is secret when
 * - it is a header value (and the credentials of `Authorization: Bearer …` alone), except for
 *   headers that by standard carry none (`Accept`, `Content-Type`, `User-Agent`, `*-Version`…);
 * - its name says so: an `env`/`envFile` variable, an `args` flag (`--api-key x`,
 *   `--token=x`), a `NAME=value` or `Header: value` argument, a URL query parameter, or the
 *   `${VAR}` it was read from, named `…TOKEN`, `…SECRET`, `…PASSWORD`, `…KEY`,
 *   `…CREDENTIALS`, `…AUTH`, `…PAT`…;
 * - it is a URL's password;
 * - its shape says so, wherever it is (see secret-shapes.ts): a known token prefix, a JWT,
 *   `Bearer …` credentials, a long random-looking run;
 * - the server's `secrets` field names it;
 * - it is an OAuth secret: `auth.clientSecret`, or a token stored for the server's URL.
 * Values shorter than six characters are dropped: redacting `1` or `true` everywhere would
 * garble output without protecting anything.
 */
import { compareCodeUnits } from "../compare.js";
import { formatPath } from "./issues.js";
import { secretShapes } from "./secret-shapes.js";
import type { ResolvedServer } from "./types.js";

const MIN_SECRET_LENGTH = 6;

/** Last word of a name that marks its value as secret (`--api-key`, `GH_TOKEN`, `PGPASSWORD`). */
const SECRET_WORD =
  /(token|secret|password|passwd|passphrase|apikey|credentials?|^key|^pwd|^pass|^pat|^auth|^cookie|^privatekey)$/;
const ENV_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
/** `Authorization: Bearer x` as `mcp-remote --header` takes it. */
const HEADER_ARGUMENT = /^([A-Za-z][A-Za-z0-9-]*):\s*(\S.*)$/s;
const AUTH_HEADERS = new Set(["authorization", "proxy-authorization"]);
/** Headers whose values are never credentials: what the content is, who asks, which version. */
const PLAIN_HEADERS = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "cache-control",
  "content-type",
  "mcp-protocol-version",
  "user-agent",
]);

/** A value read from `${VAR}`, with the variable's name. */
export interface Substitution {
  readonly name: string;
  readonly value: string;
}

/** The parts of an interpolated server config that secrets are read from. */
export interface SecretSources {
  readonly args?: readonly string[];
  /** `env`, with the variables of `envFile` under it. */
  readonly env?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly url?: string;
  /** Values substituted from `${VAR}` anywhere in the server's config. */
  readonly substituted?: readonly Substitution[];
  /** The server's `secrets` field: names of env variables, headers, `${VAR}`s or flags. */
  readonly marked?: readonly string[];
  /** Values that are secrets whatever their name: `auth.clientSecret`, stored OAuth tokens. */
  readonly values?: readonly string[];
}

/**
 * The secrets of one server by the rule above. Unique, at least six characters, longest
 * first, so that a redactor replacing them in order never leaves the tail of a longer secret.
 */
export function collectSecrets(sources: SecretSources): string[] {
  const marked = new Set(sources.marked ?? []);
  const markedHeaders = new Set([...marked].map((name) => name.toLowerCase()));
  const found: string[] = [...(sources.values ?? [])];
  for (const { name, value } of sources.substituted ?? []) {
    if (isSecretName(name) || marked.has(name)) found.push(value);
  }
  for (const [name, value] of Object.entries(sources.env ?? {})) {
    if (isSecretName(name) || marked.has(name)) found.push(value);
  }
  for (const [name, value] of Object.entries(sources.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!isPlainHeader(lower) || markedHeaders.has(lower)) found.push(value);
    if (AUTH_HEADERS.has(lower)) found.push(...schemeCredentials(value));
  }
  found.push(...argSecrets(sources.args ?? [], marked));
  const values = [
    ...(sources.args ?? []),
    ...Object.values(sources.env ?? {}),
    ...Object.values(sources.headers ?? {}),
    ...(sources.url !== undefined ? [sources.url] : []),
    ...(sources.substituted ?? []).map((s) => s.value),
  ];
  for (const value of values) found.push(...urlSecrets(value), ...secretShapes(value));
  const unique = [...new Set(found.filter((value) => value.length >= MIN_SECRET_LENGTH))];
  return unique.sort((a, b) => b.length - a.length || compareCodeUnits(a, b));
}

/** True when a flag or variable name (`--api-key`, `GITHUB_TOKEN`, `apiKey`) names a secret. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/^-+/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[-_.\s]/);
  const last = words[words.length - 1] ?? "";
  return SECRET_WORD.test(last);
}

/**
 * Where a secret of `server` sits in its config, for messages that must not show it:
 * `env.MODE`, `headers.Authorization`, `args.3`, `url`. Undefined if it is in none of them.
 */
export function secretOrigin(server: ResolvedServer, secret: string): string | undefined {
  const transport = server.transport;
  const places: [PropertyKey[], string][] =
    transport.kind === "stdio"
      ? [
          ...Object.entries(transport.env).map(([k, v]): [PropertyKey[], string] => [
            ["env", k],
            v,
          ]),
          ...transport.args.map((v, i): [PropertyKey[], string] => [["args", i], v]),
        ]
      : [
          ...Object.entries(transport.headers).map(([k, v]): [PropertyKey[], string] => [
            ["headers", k],
            v,
          ]),
          [["url"], transport.url],
        ];
  const place = places.find(([, value]) => value.includes(secret));
  return place === undefined ? undefined : formatPath(place[0]);
}

function isPlainHeader(lowerName: string): boolean {
  return PLAIN_HEADERS.has(lowerName) || lowerName.endsWith("-version");
}

/** `Bearer abc`: the credentials alone may show up in output without their scheme. */
function schemeCredentials(value: string): string[] {
  const credentials = /^\S+\s+(\S.*)$/s.exec(value)?.[1]?.trim();
  return credentials === undefined ? [] : [credentials];
}

/**
 * `--token abc`, `--token=abc`, `NAME=value` pairs as in `docker run -e GITHUB_TOKEN=abc`, and
 * `Header: value` as in `mcp-remote --header "Authorization: Bearer abc"`. `marked` flags
 * (`--db-url`) count as secret names.
 */
function argSecrets(args: readonly string[], marked: ReadonlySet<string>): string[] {
  const secretFlag = (flag: string) => isSecretName(flag) || marked.has(flag);
  const found: string[] = [];
  args.forEach((arg, i) => {
    if (arg.startsWith("-")) {
      const eq = arg.indexOf("=");
      if (eq !== -1) {
        if (secretFlag(arg.slice(0, eq))) found.push(arg.slice(eq + 1));
        return;
      }
      const next = args[i + 1];
      if (secretFlag(arg) && next !== undefined && !next.startsWith("-")) found.push(next);
      return;
    }
    const assignment = ENV_ASSIGNMENT.exec(arg);
    if (assignment?.[1] !== undefined && assignment[2] !== undefined) {
      if (isSecretName(assignment[1]) || marked.has(assignment[1])) found.push(assignment[2]);
      return;
    }
    const header = HEADER_ARGUMENT.exec(arg);
    if (header?.[1] !== undefined && header[2] !== undefined) {
      const lower = header[1].toLowerCase();
      if (AUTH_HEADERS.has(lower)) found.push(header[2], ...schemeCredentials(header[2]));
      else if (isSecretName(header[1]) || marked.has(header[1])) found.push(header[2]);
    }
  });
  return found;
}

/**
 * A password in a URL's user info and secret-looking query parameters (`?api_key=…`), for the
 * server's `url` and for any value that is a URL (`postgresql://user:pw@host/db` as an
 * argument or in `DATABASE_URL`).
 */
function urlSecrets(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || !URL.canParse(value)) return [];
  const parsed = new URL(value);
  const found: string[] = [];
  if (parsed.password !== "") found.push(safeDecode(parsed.password), parsed.password);
  for (const [name, item] of parsed.searchParams) {
    if (isSecretName(name)) found.push(item, encodeURIComponent(item));
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
