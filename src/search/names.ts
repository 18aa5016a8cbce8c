/**
 * Tools by exact name: `server.tool` or the tool alone, spelled as the server spells it or as
 * its identifier. Exact letter case first; only when nothing has that exact name, the same name
 * in any case. Lookup tables are Maps (a tool named `__proto__` is just a key), built once per
 * loaded index.
 */
import type { LoadedIndex } from "./index-file.js";

interface NameTables {
  readonly exact: ReadonlyMap<string, readonly number[]>;
  readonly folded: ReadonlyMap<string, readonly number[]>;
}

const tables = new WeakMap<LoadedIndex, NameTables>();

/** The ids of the tools `name` names, in index order (several when servers share a tool name). */
export function findByName(index: LoadedIndex, name: string): readonly number[] {
  const { exact, folded } = tablesOf(index);
  return exact.get(name) ?? folded.get(name.toLowerCase()) ?? [];
}

/** Every name a tool answers to, as `findByName` reads them. */
function namesOf(document: LoadedIndex["documents"][number]): string[] {
  const { server, tool, identifier } = document;
  return [...new Set([tool, identifier, `${server}.${tool}`, `${server}.${identifier}`])];
}

function tablesOf(index: LoadedIndex): NameTables {
  const known = tables.get(index);
  if (known) return known;
  const exact = new Map<string, number[]>();
  const folded = new Map<string, number[]>();
  index.documents.forEach((document, id) => {
    for (const name of namesOf(document)) {
      add(exact, name, id);
      add(folded, name.toLowerCase(), id);
    }
  });
  const built = { exact, folded };
  tables.set(index, built);
  return built;
}

function add(table: Map<string, number[]>, key: string, id: number): void {
  const ids = table.get(key);
  if (ids === undefined) table.set(key, [id]);
  else if (ids.at(-1) !== id) ids.push(id);
}
