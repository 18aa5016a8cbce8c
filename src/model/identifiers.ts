/**
 * Turning untrusted names into TypeScript identifiers and file names. Pure string functions;
 * deciding between colliding names is `naming.ts`'s job.
 */
import { createHash } from "node:crypto";

// ECMAScript reserved words, strict-mode reserved words, and names that cannot be bound in a
// module or would shadow a global that generated code relies on. Contextual keywords (`type`,
// `get`, `async`) are valid function names and stay usable.
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends " +
    "false finally for function if import in instanceof new null return super switch this throw " +
    "true try typeof var void while with implements interface let package private protected " +
    "public static yield await arguments eval undefined NaN Infinity Promise"
  ).split(" "),
);

/**
 * Names the generated files import from the runtime, names the tree uses for itself (`index`,
 * `summary`, `resources`, `prompts`: files beside the tools'), and
 * `then`: a module exporting it is a thenable, which `await import()` never settles.
 */
const TAKEN_NAMES = new Set([
  "callMcpTool",
  "CallOptions",
  "ContentResult",
  "index",
  "summary",
  "manifest",
  "resources",
  "prompts",
  "then",
]);

// Global types a declaration in a generated file must not shadow (`Promise` is in every stub).
const GLOBAL_TYPES = new Set(
  (
    "Promise Array ReadonlyArray Object String Number Boolean Symbol BigInt Record Partial " +
    "Required Readonly Pick Omit Date Error Map Set Function"
  ).split(" "),
);

// CON, PRN, AUX, NUL, COM1-9, LPT1-9 cannot be file names on Windows, whatever the extension.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

export const MAX_IDENTIFIER_LENGTH = 60;

// Letters that Unicode decomposition does not reduce to ASCII.
const LETTERS: Readonly<Record<string, string>> = {
  ø: "o",
  Ø: "O",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ß: "ss",
  đ: "d",
  Đ: "D",
  ł: "l",
  Ł: "L",
  þ: "th",
  Þ: "TH",
  ð: "d",
  Ð: "D",
  ı: "i",
};

/** Latin text as ASCII: accents dropped (`é` → `e`), a few letters spelled out (`ø` → `o`). */
function toAscii(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[øØæÆœŒßđĐłŁþÞðÐı]/g, (c) => LETTERS[c] ?? c);
}

/** Splits a name into ASCII words: `get_document` → [get, document]; `HTTPServer` → [HTTP, Server]. */
export function toWords(name: string): string[] {
  const ascii = toAscii(name);
  const words: string[] = [];
  for (const part of ascii.split(/[^A-Za-z0-9]+/)) {
    words.push(...(part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []));
  }
  return words;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/**
 * The camelCase identifier for a name: always a valid identifier made of [A-Za-z0-9_], never a
 * reserved word, a name the generated files use themselves, or a Windows device name.
 */
export function toIdentifier(name: string, fallback = "tool"): string {
  const words = toWords(name);
  let id = words.map((w, i) => (i === 0 ? w.toLowerCase() : capitalize(w))).join("");
  if (id === "") id = fallback;
  if (/^[0-9]/.test(id)) id = fallback + id;
  if (RESERVED_WORDS.has(id) || TAKEN_NAMES.has(id) || WINDOWS_DEVICE.test(id)) {
    id += capitalize(fallback);
  }
  return capLength(id, name);
}

/**
 * PascalCase form of an identifier, for type names: `getDocument` → `GetDocument`. A collision's
 * hash suffix is upper-cased (`getUser_bf1e2a` → `GetUser_BF1E2A`): json-schema-to-typescript
 * drops an underscore before a lower-case letter and capitalises a letter after a digit, and a
 * type name it rewrote would no longer be the one the tool file declares.
 */
export function toTypeName(identifier: string): string {
  const pascal = identifier.charAt(0).toUpperCase() + identifier.slice(1);
  return pascal.replace(/_([0-9a-f]+)$/, (_suffix, hex: string) => `_${hex.toUpperCase()}`);
}

/**
 * A safe type name from a schema title or definition key, or undefined when nothing usable is
 * left (json-schema-to-typescript silently emits nothing for titles made only of symbols).
 */
export function toSafeTypeName(name: string): string | undefined {
  const words = toWords(name);
  if (words.length === 0) return undefined;
  let typeName = words.map(capitalize).join("");
  if (/^[0-9]/.test(typeName)) typeName = `T${typeName}`;
  if (TAKEN_NAMES.has(typeName) || GLOBAL_TYPES.has(typeName)) typeName += "Type";
  return capLength(typeName, name);
}

/** A folder name for a server: letters, digits, `-`, `_`, `.`; never `.`/`..` or a device name. */
export function toDirectoryName(name: string): string {
  let dir = toAscii(name)
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[.-]+|[.-]+$/g, "");
  if (dir === "") dir = "server";
  // `NUL.backup` is the NUL device too: the suffix goes before the first dot.
  const [head = "", ...extensions] = dir.split(".");
  if (WINDOWS_DEVICE.test(head)) dir = [`${head}-server`, ...extensions].join(".");
  if (/^(readme\.md|index\.ts|manifest\.json)$/i.test(dir)) dir += "-server";
  return capLength(dir, name);
}

/**
 * Long names keep a readable head and gain a short hash of the whole, so they stay distinct.
 * Upper-case hex with no separator: json-schema-to-typescript rewrites `_x` and `9x` in type
 * names, and a type name must survive it unchanged.
 */
function capLength(value: string, original: string): string {
  if (value.length <= MAX_IDENTIFIER_LENGTH) return value;
  const hash = createHash("sha256").update(original).digest("hex").slice(0, 8).toUpperCase();
  return `${value.slice(0, MAX_IDENTIFIER_LENGTH - 9)}X${hash}`;
}
