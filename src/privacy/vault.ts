/**
 * The map between personal values and their tokens, for one run (or one `serve` session): in
 * the host's memory only, never written or logged. The same value always gets the same token;
 * a token the vault did not hand out is left as it is.
 */
import type { Detector } from "./detect.js";
import { withoutOverlaps } from "./detect.js";
import { KnownValues } from "./known.js";

/**
 * `[EMAIL_1]`, `[EMPLOYEE_ID_12]`: a kind's name (at most 32 characters) and a number from 1.
 * Bounded: the program's arguments are untrusted text, and the host serves other runs too.
 */
const TOKEN = /\[[A-Z][A-Z0-9_]{0,31}_[1-9][0-9]{0,15}\]/g;

export class TokenVault {
  private readonly tokenOf = new Map<string, string>();
  private readonly valueOf = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /** The known values' index, and how many values it was built from. */
  private known: { readonly size: number; readonly values: KnownValues } | undefined;

  /**
   * What hides one answer's strings: each string with what `detect` finds, and every value
   * that had a token before this answer, replaced by tokens. Without `detect` (a server
   * without privacy) only the known values are: a value the program got as a token stays one
   * when another server echoes it back. Values found while hiding this answer are found by
   * `detect` again where they recur, so the known values are gathered once an answer, not
   * once a string (which would cost the square of their number).
   */
  hider(detect: Detector | undefined): (text: string) => string {
    const known = this.knownValues();
    return (text) => {
      const found = detect ? detect(text) : [];
      const spans = known ? withoutOverlaps([...found, ...known.in(text)]) : found;
      if (spans.length === 0) return text;
      let out = "";
      let at = 0;
      for (const span of spans) {
        const value = text.slice(span.start, span.end);
        out += text.slice(at, span.start) + this.tokenFor(value, span.kind);
        at = span.end;
      }
      return out + text.slice(at);
    };
  }

  /** `text` with every token this vault handed out replaced by its value; others stay. */
  reveal(text: string): string {
    if (this.valueOf.size === 0 || !text.includes("[")) return text;
    return text.replace(TOKEN, (token) => this.valueOf.get(token) ?? token);
  }

  private tokenFor(value: string, kind: string): string {
    const known = this.tokenOf.get(value);
    if (known !== undefined) return known;
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    const token = `[${kind}_${n}]`;
    this.tokenOf.set(value, token);
    this.valueOf.set(token, value);
    return token;
  }

  /** Every value with a token, indexed for finding; undefined when none. */
  private knownValues(): KnownValues | undefined {
    if (this.tokenOf.size === 0) return undefined;
    if (this.known?.size !== this.tokenOf.size) {
      this.known = { size: this.tokenOf.size, values: new KnownValues(this.tokenOf.keys()) };
    }
    return this.known.values;
  }
}
