/**
 * Unicode's confusable skeletons (UTS #39, section 4): two strings whose skeletons are equal
 * look alike to a reader, as Cyrillic "е" (U+0435) and Latin "e" do. The table is Unicode's
 * `confusables.txt` as the `unhomoglyph` package ships it (Unicode 13.0; see ARCHITECTURE.md);
 * the algorithm around it is the report's: NFD, each character to its prototype, NFD again.
 */
import { createRequire } from "node:module";

let prototypes: ReadonlyMap<string, string> | undefined;

// Loaded on first use (about 100 KB of JSON): a run that compares no names does not pay for it.
function table(): ReadonlyMap<string, string> {
  if (!prototypes) {
    const data = createRequire(import.meta.url)("unhomoglyph/data.json") as Record<string, string>;
    prototypes = new Map(Object.entries(data));
  }
  return prototypes;
}

/** The UTS #39 skeleton of `text`. */
export function skeleton(text: string): string {
  const map = table();
  let out = "";
  for (const character of text.normalize("NFD")) out += map.get(character) ?? character;
  return out.normalize("NFD");
}
