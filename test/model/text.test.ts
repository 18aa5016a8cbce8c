/**
 * Text a server sends becomes comments: it must be inert (no escape sequences or controls; bidi
 * and invisible characters shown as marks, not kept), must never close the comment it sits in,
 * and must stay short.
 */
import { describe, expect, it } from "vitest";
import { toCommentText, toSummaryLine } from "../../src/model/text.js";

const MARKER = "… (truncated)";

const comments: Array<[string, { given: string; want: string }]> = [
  ["ANSI colour (CSI) sequences go", { given: "\u001b[31mred\u001b[0m text", want: "red text" }],
  [
    "ANSI hyperlinks (OSC) go, their visible text stays",
    { given: "\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007", want: "link" },
  ],
  ["C0 controls go", { given: "a\u0000b\u0007c\u001fd", want: "abcd" }],
  ["C1 controls go", { given: "a\u0085b\u009bc", want: "abc" }],
  ["DEL goes", { given: "a\u007fb", want: "ab" }],
  [
    "bidi embeddings and overrides show as what they were",
    {
      given: "\u202aa\u202bb\u202e",
      want: "[hidden: U+202A]a[hidden: U+202B]b[hidden: U+202E]",
    },
  ],
  ["bidi isolates show", { given: "\u2066a\u2069", want: "[hidden: U+2066]a[hidden: U+2069]" }],
  [
    "a run of zero-width characters and BOM shows as one mark",
    { given: "z\u200b\u200c\u200d\ufeffj", want: "z[hidden: U+200B U+200C U+200D U+FEFF]j" },
  ],
  [
    "a long run of tag characters shows its length and start",
    {
      given: "tag\u{e0041}\u{e0062}\u{e0063}\u{e0064}\u{e007f}s",
      want: "tag[hidden: 5 characters, U+E0041 U+E0062 U+E0063 …]s",
    },
  ],
  [
    "variation selectors of the supplement show",
    { given: "a\u{e0100}\u{e0101}", want: "a[hidden: U+E0100 U+E0101]" },
  ],
  [
    "an emoji's presentation selector goes quietly",
    { given: "ok \u2705\ufe0f", want: "ok \u2705" },
  ],
  ["accents, CJK and emoji stay", { given: "Café crème 日本語 🚀", want: "Café crème 日本語 🚀" }],
  ["decomposed accents are composed (NFC)", { given: "Cafe\u0301", want: "Café" }],
  ["CRLF and CR become LF", { given: "one\r\ntwo\rthree", want: "one\ntwo\nthree" }],
  ["line and paragraph separators become LF", { given: "a\u2028b\u2029c", want: "a\nb\nc" }],
  ["tabs and newlines stay", { given: "a\tb\nc", want: "a\tb\nc" }],
  ["trailing spaces go", { given: "line   \nnext\t ", want: "line\nnext" }],
  ["runs of blank lines fold to one", { given: "a\n\n\n\n\nb", want: "a\n\nb" }],
  ["surrounding space goes", { given: "\n\n  padded  \n\n", want: "padded" }],
  ["a comment closer is broken", { given: "ends */ here", want: "ends *\\/ here" }],
  ["adjacent closers are all broken", { given: "*/*/**//", want: "*\\/*\\/**\\//" }],
  [
    "a closer hidden by a zero-width space stays apart",
    { given: "*\u200b/", want: "*[hidden: U+200B]/" },
  ],
  ["a closer hidden by an ANSI sequence is broken", { given: "*\u001b[0m/", want: "*\\/" }],
  ["nothing stays nothing", { given: "", want: "" }],
];

describe("toCommentText", () => {
  it.each(comments)("%s", (_title, { given, want }) => {
    expect(toCommentText(given, 1000)).toBe(want);
  });

  it("returns an empty string for undefined", () => {
    expect(toCommentText(undefined, 10)).toBe("");
  });

  it("caps the length at a word boundary and says so", () => {
    const out = toCommentText("word ".repeat(100), 50);
    expect(out).toBe(`${"word ".repeat(10).trim()}${MARKER}`);
    expect(out.length).toBeLessThanOrEqual(50 + MARKER.length);
  });

  it("cuts a long word where it must", () => {
    expect(toCommentText("x".repeat(100), 50)).toBe(`${"x".repeat(50)}${MARKER}`);
  });

  it("never leaves a closer at the cut", () => {
    expect(toCommentText(`${"a".repeat(49)}*/ and more`, 50)).toBe(`${"a".repeat(49)}${MARKER}`);
  });
});

describe("toSummaryLine", () => {
  const lines: Array<[string, { given: string; want: string }]> = [
    ["the first sentence", { given: "Reads a file. Then more.", want: "Reads a file." }],
    ["a question or exclamation ends it too", { given: "Why? Because.", want: "Why?" }],
    [
      "a dot inside a word does not",
      { given: "Uses v1.2 of the API. More", want: "Uses v1.2 of the API." },
    ],
    [
      "no sentence end: everything, flattened",
      { given: "one\ntwo\n\nthree", want: "one two three" },
    ],
    ["a sentence across lines", { given: "Reads\na file.\nMore.", want: "Reads a file." }],
    [
      "escape codes go, hidden characters show",
      { given: "\u001b[1mBold\u001b[0m\u202e text.", want: "Bold[hidden: U+202E] text." },
    ],
    ["a closer is broken", { given: "Ends */ here", want: "Ends *\\/ here" }],
    ["only space", { given: " \n\t ", want: "" }],
  ];
  it.each(lines)("%s", (_title, { given, want }) => {
    expect(toSummaryLine(given)).toBe(want);
  });

  it("is capped (120 by default) with the marker", () => {
    const out = toSummaryLine("word ".repeat(100));
    expect(out.endsWith(MARKER)).toBe(true);
    expect(out.length).toBeLessThanOrEqual(120 + MARKER.length);
    expect(toSummaryLine("word ".repeat(100), 20)).toBe(`word word word word${MARKER}`);
  });

  it("returns an empty string for undefined", () => {
    expect(toSummaryLine(undefined)).toBe("");
  });
});

/** A small seeded generator (mulberry32), so that a failure is reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("no output ever closes a comment (1,000 random cases)", () => {
  const next = random(20_240_601);
  const alphabet = ["*", "/", "\\", " ", "\n", "*/", "\u200b"];
  const cases = Array.from({ length: 1000 }, () => {
    const length = Math.floor(next() * 40);
    const text = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]!).join(
      "",
    );
    return { text, max: 1 + Math.floor(next() * 50) };
  });

  it("toCommentText", () => {
    const bad = cases.filter(({ text, max }) => toCommentText(text, max).includes("*/"));
    expect(bad).toEqual([]);
  });

  it("toSummaryLine, which also stays on one line", () => {
    const bad = cases.filter(({ text, max }) => {
      const line = toSummaryLine(text, max);
      return line.includes("*/") || line.includes("\n");
    });
    expect(bad).toEqual([]);
  });
});

describe("JSDoc tags in server text", () => {
  it.each([
    ["a line starting with a tag", "@deprecated use x", "\\@deprecated use x"],
    ["an indented tag line", "text\n  @param x", "text\n  \\@param x"],
    ["an inline link", "see {@link foo}", "see {\\@link foo}"],
    ["an address mid-line stays", "mail a@b.c", "mail a@b.c"],
  ])("%s", (_title, given, want) => {
    expect(toCommentText(given, 500)).toBe(want);
  });

  it("a summary line cannot start a tag either", () => {
    expect(toSummaryLine("@internal Do things.")).toBe("\\@internal Do things.");
  });
});

describe("JSDoc tags mid-line", () => {
  it("are escaped too: TypeScript reads a tag after any white space", () => {
    expect(toCommentText("text @deprecated mid", 500)).toBe("text \\@deprecated mid");
  });
});
