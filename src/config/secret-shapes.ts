/**
 * Values that look like credentials whatever they are called: a token with a known prefix, a
 * JWT, the credentials of an `Authorization`-style value, or a long run of characters that
 * reads as random. Names catch most secrets (`GITHUB_TOKEN`); shapes catch the rest
 * (`args: ["ghp_…"]`, a token inside a JSON env value) without calling ordinary words,
 * paths, model names or identifiers secret, which would garble every text they appear in.
 */

/**
 * Prefixes that issuers put on their tokens (GitHub, GitLab, OpenAI and Anthropic, Stripe,
 * Slack, Google, AWS, Notion, Linear, npm, Hugging Face, PyPI, DigitalOcean, Shopify, Groq,
 * Replicate, Perplexity, Tavily, Firecrawl). A prefix counts only at the start of a word and
 * followed by at least 16 token characters with a letter and a digit, so `sk-learn` or
 * `task-runner` are not tokens.
 */
const TOKEN_PREFIXES = [
  "ghp_",
  "gho_",
  "ghu_",
  "ghs_",
  "ghr_",
  "github_pat_",
  "glpat-",
  "sk-",
  "sk_live_",
  "sk_test_",
  "rk_live_",
  "rk_test_",
  "xoxa-",
  "xoxb-",
  "xoxe-",
  "xoxp-",
  "xoxr-",
  "xoxs-",
  "xapp-",
  "AKIA",
  "ASIA",
  "AIza",
  "ntn_",
  "secret_",
  "lin_api_",
  "npm_",
  "hf_",
  "pypi-",
  "dop_v1_",
  "shpat_",
  "shpss_",
  "gsk_",
  "r8_",
  "pplx-",
  "tvly-",
  "fc-",
];

const PREFIXED = new RegExp(
  // The prefixes hold no character that is special in a regular expression.
  `(?<![A-Za-z0-9])(?:${TOKEN_PREFIXES.join("|")})[A-Za-z0-9_-]{16,}`,
  "g",
);
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
/** `Bearer …` / `Basic …` wherever it is written: in a header, an argument, a JSON env value. */
const SCHEME_CREDENTIALS = /\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})/gi;
/**
 * Runs of the characters tokens are made of, with base64's padding at the end; `/`, `.`, `:`
 * and `=` inside end a run, so paths and `name=value` split up.
 */
const RUN = /[A-Za-z0-9+_-]{20,}={0,2}/g;

/** The parts of `value` that are shaped like credentials (possibly none), in order found. */
export function secretShapes(value: string): string[] {
  const found: string[] = [];
  let rest = value;
  // Each pattern blanks what it found, so a JWT's parts are not found again as random runs.
  const take = (pattern: RegExp, pick: (match: RegExpMatchArray) => string | undefined) => {
    rest = rest.replace(pattern, (...args: unknown[]) => {
      const match = args.slice(0, -2) as unknown as RegExpMatchArray;
      const secret = pick(match);
      if (secret === undefined) return match[0];
      found.push(secret);
      return " ".repeat(match[0].length);
    });
  };
  take(PREFIXED, (match) => (hasLetterAndDigit(match[0]) ? match[0] : undefined));
  take(JWT, (match) => match[0]);
  take(SCHEME_CREDENTIALS, (match) => match[1]);
  take(RUN, (match) => (looksRandom(match[0]) ? match[0] : undefined));
  return found;
}

/**
 * Whether a run reads as random rather than as words. Its letters and digits (separators
 * aside) must mix: the kind of character (lower case, upper case, digit) changes often, and
 * letters and digits alternate at least three times. Measured on random strings here: base62
 * changes kind at 61 % of positions (1 % of 20-character ones under 40 %), hexadecimal at
 * 47 %; words and identifiers change far less (`claude35sonnet20241022` 14 %,
 * `XMLHttpRequest2Level3Handler` 33 %, `ThisIsACamelCaseName2` 38 % but one switch to a
 * digit). Hex needs 32 characters (a hash, a UUID): shorter digit strings are often dates.
 */
function looksRandom(run: string): boolean {
  const chars = run.replace(/[^A-Za-z0-9]/g, "");
  if (chars.length < 20 || letterDigitSwitches(chars) < 3) return false;
  const hex = /^[0-9a-f]+$/.test(chars) || /^[0-9A-F]+$/.test(chars);
  if (hex) return chars.length >= 32 && changeRate(chars) >= 0.2;
  return changeRate(chars) >= 0.4;
}

function letterDigitSwitches(chars: string): number {
  let switches = 0;
  for (let i = 1; i < chars.length; i++) {
    if ((kind(chars[i]!) === 2) !== (kind(chars[i - 1]!) === 2)) switches++;
  }
  return switches;
}

function changeRate(run: string): number {
  let changes = 0;
  for (let i = 1; i < run.length; i++) if (kind(run[i]!) !== kind(run[i - 1]!)) changes++;
  return changes / (run.length - 1);
}

function kind(c: string): number {
  if (c >= "a" && c <= "z") return 0;
  if (c >= "A" && c <= "Z") return 1;
  return 2;
}

function hasLetterAndDigit(text: string): boolean {
  return /[A-Za-z]/.test(text) && /[0-9]/.test(text);
}
