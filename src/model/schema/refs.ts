/**
 * Local `$ref`s only: definitions get safe, unique names, and every pointer to them is rewritten.
 * Anything else (a URL, a file, a pointer into the middle of a schema) becomes `unknown`: the
 * type compiler would otherwise fetch URLs and read files.
 */
import type { JsonObject, JsonValue } from "../../introspect/snapshot.js";
import { toSafeTypeName } from "../identifiers.js";
import { claimName } from "../naming.js";

export interface RefTable {
  /** Pointer as the server wrote it (`#/$defs/Foo`) → pointer in the generated document. */
  readonly pointers: ReadonlyMap<string, string>;
  /** Original definition key → new name, in the order they were listed. */
  readonly definitions: ReadonlyArray<{ readonly key: string; readonly name: string }>;
}

/** The definitions of a schema document, from `$defs` (2020-12) and `definitions` (draft-07). */
export function readDefinitions(schema: JsonObject): Array<[string, JsonValue]> {
  const out: Array<[string, JsonValue]> = [];
  for (const keyword of ["$defs", "definitions"] as const) {
    const defs = schema[keyword];
    if (defs && typeof defs === "object" && !Array.isArray(defs)) {
      for (const [key, value] of Object.entries(defs)) out.push([key, value]);
    }
  }
  return out;
}

/**
 * Builds the pointer table for one schema document whose root will live at `rootPointer`,
 * claiming names in `taken` (case-insensitively) so that two documents merged into one file
 * never share a type name.
 */
export function buildRefTable(
  schema: JsonObject,
  rootPointer: string,
  taken: Set<string>,
): RefTable {
  const pointers = new Map<string, string>([["#", rootPointer]]);
  const definitions: Array<{ key: string; name: string }> = [];
  for (const keyword of ["$defs", "definitions"] as const) {
    const defs = schema[keyword];
    if (!defs || typeof defs !== "object" || Array.isArray(defs)) continue;
    for (const key of Object.keys(defs)) {
      if (definitions.some((d) => d.key === key)) continue;
      const name = claimName(toSafeTypeName(key) ?? "Definition", taken);
      definitions.push({ key, name });
      const target = `#/$defs/${name}`;
      for (const form of pointerForms(keyword, key)) pointers.set(form, target);
    }
  }
  return { pointers, definitions };
}

/** The spellings a pointer to a definition can take: JSON-pointer escaped, URI-encoded, or not. */
function pointerForms(keyword: string, key: string): string[] {
  const escaped = key.replace(/~/g, "~0").replace(/\//g, "~1");
  const forms = new Set([`#/${keyword}/${escaped}`, `#/${keyword}/${key}`]);
  try {
    forms.add(`#/${keyword}/${encodeURIComponent(escaped)}`);
    forms.add(`#/${keyword}/${encodeURI(escaped)}`);
  } catch {
    // A lone surrogate cannot be URI-encoded; the plain forms are enough then.
  }
  return [...forms];
}

export type RefResolution =
  | { readonly kind: "local"; readonly pointer: string }
  | { readonly kind: "dangling" }
  | { readonly kind: "external" };

/** What a `$ref` value points at, given the document's table. */
export function resolveRef(ref: string, table: RefTable): RefResolution {
  const lookUp = (form: string) => table.pointers.get(form === "#/" ? "#" : form);
  // A fragment may percent-encode any character (`%7E1` for `~1`): decode it as a last resort.
  const pointer = lookUp(ref) ?? lookUp(decodeFragment(ref));
  if (pointer) return { kind: "local", pointer };
  return ref.startsWith("#") ? { kind: "dangling" } : { kind: "external" };
}

function decodeFragment(ref: string): string {
  try {
    return decodeURIComponent(ref);
  } catch {
    return ref; // a malformed escape: the ref is used as written
  }
}
