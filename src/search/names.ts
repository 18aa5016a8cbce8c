/**
 * Tools by exact name: `server.tool` or the tool alone, spelled as the server spells it or as
 * its identifier. Exact letter case first; only when nothing has that exact name, the same name
 * in any case. A scan of the tools' names rather than lookup tables: a fraction of a
 * millisecond a query at 10,000 tools, where building the tables cost a fresh process ~100 ms
 * (and a scan makes a tool named `__proto__` nothing but a string to compare).
 */
import type { LoadedIndex } from "./index-file.js";
import type { ToolName } from "./index-entries.js";

type Names = Pick<ToolName, "server" | "tool" | "identifier">;

const lowerCased = new WeakMap<LoadedIndex, readonly Names[]>();

/** The ids of the tools `name` names, in index order (several when servers share a tool name). */
export function findByName(index: LoadedIndex, name: string): readonly number[] {
  const exact = named(index.tools, name);
  return exact.length > 0 ? exact : named(lowerCasedOf(index), name.toLowerCase());
}

function named(tools: readonly Names[], name: string): number[] {
  const ids: number[] = [];
  for (let id = 0; id < tools.length; id++) if (answersTo(tools[id]!, name)) ids.push(id);
  return ids;
}

/** Whether `name` is the tool's name or identifier, alone or after its server's name and a dot. */
function answersTo({ server, tool, identifier }: Names, name: string): boolean {
  if (name === tool || name === identifier) return true;
  if (name.length <= server.length + 1 || name[server.length] !== "." || !name.startsWith(server))
    return false;
  const rest = name.slice(server.length + 1);
  return rest === tool || rest === identifier;
}

/** The tools' names in lower case, made once per loaded index. */
function lowerCasedOf(index: LoadedIndex): readonly Names[] {
  let names = lowerCased.get(index);
  if (names === undefined) {
    names = index.tools.map(({ server, tool, identifier }) => ({
      server: server.toLowerCase(),
      tool: tool.toLowerCase(),
      identifier: identifier.toLowerCase(),
    }));
    lowerCased.set(index, names);
  }
  return names;
}
