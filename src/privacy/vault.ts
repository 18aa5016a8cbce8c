/**
 * The map between personal values and their tokens, for one run (or one `serve` session): in
 * the host's memory only, never written or logged. The same value always gets the same token;
 * a token the vault did not hand out is left as it is.
 */
import type { Detector, Span } from "./detect.js";
import { withoutOverlaps } from "./detect.js";

/** `[EMAIL_1]`, `[EMPLOYEE_ID_12]`: a kind's name and a number from 1. */
const TOKEN = /\[[A-Z][A-Z0-9_]*_[1-9][0-9]*\]/g;

export class TokenVault {
  private readonly tokenOf = new Map<string, string>();
  private readonly valueOf = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /** Every value handed a token, as one alternation (longest first); rebuilt when one is added. */
  private known: RegExp | undefined;

  /**
   * `text` with what `detect` finds, and every value that already has a token, replaced by
   * tokens. Without `detect` (a server without privacy) only the known values are: a value the
   * program got as a token stays one when another server echoes it back.
   */
  hide(text: string, detect: Detector | undefined): string {
    const found = detect ? detect(text) : [];
    const spans =
      this.tokenOf.size > 0 ? withoutOverlaps([...found, ...this.knownIn(text)]) : found;
    if (spans.length === 0) return text;
    let out = "";
    let at = 0;
    for (const span of spans) {
      out +=
        text.slice(at, span.start) + this.tokenFor(text.slice(span.start, span.end), span.kind);
      at = span.end;
    }
    return out + text.slice(at);
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
    this.known = undefined;
    return token;
  }

  private knownIn(text: string): Span[] {
    this.known ??= new RegExp(
      [...this.tokenOf.keys()]
        .sort((a, b) => b.length - a.length)
        .map((value) => value.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"))
        .join("|"),
      "g",
    );
    const spans: Span[] = [];
    for (const match of text.matchAll(this.known)) {
      spans.push({ start: match.index, end: match.index + match[0].length, kind: "" });
    }
    return spans;
  }
}
