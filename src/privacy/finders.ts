/**
 * One finder per built-in kind of personal data. Each finds candidates with a loose pattern
 * and keeps those a well-kept validator accepts: a regex alone takes dates, versions and order
 * numbers for phones and cards, and no regex checks a Luhn digit or an IBAN's checksum.
 */
import { isIP } from "node:net";
import { electronicFormatIBAN, isValidIBAN } from "ibantools";
import { findPhoneNumbersInText } from "libphonenumber-js/max";
// CommonJS modules whose types declare an ES default: `.default` is the function for both.
import creditCard from "validator/lib/isCreditCard.js";
import email from "validator/lib/isEmail.js";
import type { PrivacyKind } from "../config/types.js";

/** Where a finder found a value in a text: `text.slice(start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** The token's name: `EMAIL`, or a configured pattern's name. */
  readonly kind: string;
}

export type Finder = (text: string) => Span[];

/**
 * A local part and a domain of labels (a dot at least), as addresses are written in text;
 * the validator then checks lengths, the top-level domain and the characters. Bounded, and
 * starting only where a run of local-part characters starts: a result is a server's (anyone's)
 * text, and an unbounded pattern would try every position of a long run again (100 KB of
 * letters took 30 s).
 */
const EMAIL_CANDIDATE =
  /(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){1,8}/g;
/** A `+`, then digits with the separators numbers are written with, not inside a word. */
const PHONE_CANDIDATE = /(?<![\w+])\+\d[\d ().\-\u00a0]{5,24}\d/g;
/**
 * 13 to 19 digits as cards print them: together, or in groups of four (4-4-4-4, 4-4-4-4-3)
 * or Amex's and Diners' 4-6-5 and 4-6-4, split by spaces or dashes alike; not touching a word
 * or another number. Any grouping would take a list of numbers (`1000 1001 1002 1003`) for one.
 */
const CARD_CANDIDATE =
  /(?<![\w-])(?:\d{13,19}|\d{4}([ -])(?:\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|\d{6}\1\d{4,5}))(?![\w]|-\d)/g;
/** An IBAN written electronically, or printed in groups of four. */
const IBAN_CANDIDATE =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![A-Za-z0-9])/g;
/** Four dotted numbers, not part of a longer dotted sequence (`1.2.3.4.5`). */
const IPV4_CANDIDATE = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g;
/** Hex groups and colons (perhaps ending in dotted IPv4), not touching other word characters. */
const IPV6_CANDIDATE =
  /(?<![A-Za-z0-9:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4})(?![A-Za-z0-9:]|\.\d)/g;

export const BUILT_IN_FINDERS: Readonly<Record<PrivacyKind, Finder>> = {
  email: (text) =>
    candidates(text, EMAIL_CANDIDATE, "EMAIL", (value) =>
      email.default(value, { allow_ip_domain: false }),
    ),
  phone: findPhones,
  card: (text) =>
    candidates(text, CARD_CANDIDATE, "CARD", (value) =>
      creditCard.default(value.replace(/[ -]/g, "")),
    ),
  iban: (text) =>
    candidates(text, IBAN_CANDIDATE, "IBAN", (value) => {
      const electronic = electronicFormatIBAN(value);
      return electronic !== null && isValidIBAN(electronic);
    }),
  ip: (text) => [
    ...candidates(text, IPV4_CANDIDATE, "IP", (value) => isIP(value) === 4),
    ...candidates(text, IPV6_CANDIDATE, "IP", isIpv6Address),
  ],
};

/** A finder for a configured pattern (`source` compiled as the config's validation checked). */
export function patternFinder(name: string, source: string): Finder {
  const regex = new RegExp(source, "g");
  return (text) => candidates(text, regex, name, () => true);
}

/** The matches of `pattern` in `text` that `accept` takes (empty matches never). */
function candidates(
  text: string,
  pattern: RegExp,
  kind: string,
  accept: (value: string) => boolean,
): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(pattern)) {
    if (match[0] !== "" && accept(match[0])) {
      spans.push({ start: match.index, end: match.index + match[0].length, kind });
    }
  }
  return spans;
}

/**
 * Numbers in international format (`+` and a country code), valid in their country's plan.
 * The library scans only the candidates (it costs ~0.5 ms a KB of text, a candidate ~0.05 ms),
 * which hold no comma: it would read `, 00` after a number as its extension (a dialling pause)
 * and swallow the next number of a list.
 */
function findPhones(text: string): Span[] {
  const spans: Span[] = [];
  for (const candidate of text.matchAll(PHONE_CANDIDATE)) {
    for (const { startsAt, endsAt } of findPhoneNumbersInText(candidate[0])) {
      const start = candidate.index + startsAt;
      spans.push({ start, end: candidate.index + endsAt, kind: "PHONE" });
    }
  }
  return spans;
}

/** An IPv6 address with two hex groups at least: `::` and `::1` are nobody's address. */
function isIpv6Address(value: string): boolean {
  return isIP(value) === 6 && (value.match(/[0-9A-Fa-f]+/g) ?? []).length >= 2;
}
