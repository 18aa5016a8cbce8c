/**
 * Text that servers send (descriptions, titles, instructions) is untrusted: it ends up in doc
 * comments that agents read. These helpers make it inert and keep it short.
 */

// ANSI/VT escape sequences (CSI and OSC), removed before lone control characters so that
// their printable tails ("[31m") do not survive.
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// C0/C1 controls except tab and newline.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Bidi overrides and isolates, zero-width and other invisible format characters, variation
// selectors (both blocks: a run of them can carry a hidden message) and tag characters.
const INVISIBLE =
  // oxlint-disable-next-line eslint/no-misleading-character-class -- lone joiners are what it removes
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8]|\udb40[\udc00-\udc7f\udd00-\uddef]/g;
const INVISIBLE_RUN = new RegExp(`(?:${INVISIBLE.source})+`, "g");
// An emoji's presentation selector is part of how the emoji is written, not hidden text.
const PRESENTATION_SELECTOR = /^[\ufe0e\ufe0f]$/;

// What must never appear raw in generated source, not even inside a string literal where it is
// harmless to the parser: invisible and bidi characters can make code read differently than it
// runs ("Trojan Source"), C1 controls and line separators confuse editors.
const RAW_UNSAFE = new RegExp(`${INVISIBLE.source}|[\\u007f-\\u009f\\u2028\\u2029]`, "g");

/**
 * Writes every invisible, bidi or C1 control character of generated code as a `\uXXXX` escape.
 * Meant for code whose comments are already clean, so that every match is inside a string
 * literal, where the escape denotes the very same character.
 */
export function escapeUnsafeCharacters(code: string): string {
  return code.replace(RAW_UNSAFE, (match) =>
    match
      .split("")
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`)
      .join(""),
  );
}

/** Removes escape sequences, control, bidi and invisible characters; normalises newlines. */
export function stripUnsafeCharacters(text: string): string {
  return withoutControls(text).replace(INVISIBLE, "").normalize("NFC");
}

/** The invisible, bidi and tag characters in `text`, one string each, in order. */
export function invisibleCharacters(text: string): string[] {
  return [...text.matchAll(INVISIBLE)].map((match) => match[0]);
}

/**
 * Like `stripUnsafeCharacters`, but each run of invisible characters stays visible as what it
 * was: `[hidden: U+200B]`, `[hidden: 23 characters, U+E0049 U+E0067 U+E006E …]`. Generated doc
 * comments use it: a reader (a person or a model) sees that something was hidden there, and
 * nothing of it acts.
 */
function showingHidden(text: string): string {
  return withoutControls(text)
    .replace(INVISIBLE_RUN, (run) => {
      if (PRESENTATION_SELECTOR.test(run)) return "";
      const codes = [...run].map(
        (character) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`,
      );
      return codes.length <= 4
        ? `[hidden: ${codes.join(" ")}]`
        : `[hidden: ${codes.length} characters, ${codes.slice(0, 3).join(" ")} …]`;
    })
    .normalize("NFC");
}

function withoutControls(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(ANSI_SEQUENCE, "")
    .replace(CONTROL, "");
}

/**
 * Server text as part of an error message, which reaches terminals, logs and models: escape
 * sequences and invisible characters removed, on one line, capped at `maxLength`.
 */
export function toMessageText(text: string, maxLength = 500): string {
  const flat = stripUnsafeCharacters(text).replace(/\s+/g, " ").trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat;
}

/**
 * Makes text safe inside a `/** … *\/` comment: no sequence can close the comment, whatever
 * the server sent; escape sequences and controls go, hidden characters show as `[hidden: …]`.
 * Trailing spaces go, runs of blank lines fold to one, length is capped.
 */
export function toCommentText(text: string | undefined, maxLength: number): string {
  if (!text) return "";
  const clean = showingHidden(text)
    .split("\n")
    .map((line) => line.replace(/\s+$/u, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return escapeJsDocTags(escapeCommentClose(truncate(clean, maxLength)));
}

/**
 * Server text must not act as JSDoc: an `@deprecated` after any white space, or an inline
 * `{@link …}`, would change what editors show for the tool (TypeScript reads tags mid-line too).
 * A backslash before the `@` keeps the text readable and makes it plain text; an address like
 * `a@b.c` is left alone.
 */
function escapeJsDocTags(text: string): string {
  return text.replace(/(^|[\s{])@/g, "$1\\@");
}

/** Breaks every `*\/` (also the ones a truncation or escape could form) with a backslash. */
function escapeCommentClose(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}

/** Cuts at a word boundary when one is near, and says that it cut. */
function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const space = cut.lastIndexOf(" ");
  const head = space > maxLength * 0.8 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s*\\/]+$/u, "")}… (truncated)`;
}

/**
 * One line for catalogs: the first sentence (or line) of the description, capped.
 * Never contains a newline or anything that closes a comment.
 */
export function toSummaryLine(text: string | undefined, maxLength = 120): string {
  if (!text) return "";
  const flat = showingHidden(text).replace(/\s+/g, " ").trim();
  // A sentence ends at . ! ? (and a hidden-characters mark right after it) followed by a
  // capital, a digit or the end: "e.g. this" goes on.
  const sentence = /^(.+?[.!?](?:\[hidden: [^\]]*\])*)(?=\s+[\p{Lu}\d]|$)/u.exec(flat)?.[1] ?? flat;
  return escapeJsDocTags(escapeCommentClose(truncate(sentence, maxLength)));
}
