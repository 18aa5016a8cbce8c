/**
 * The `codegen.config.ts` that `init` writes: the template (`templates/codegen.config.ts`, real
 * TypeScript that the tests type-check) with its example servers replaced by the servers
 * chosen, edited where the TypeScript parser says the parts are, then formatted by prettier.
 */
import ts from "typescript";
import { formatSource } from "../format/prettier.js";

/** A client config the new config imports, to pass to `fromClientConfig`. */
export interface ImportedFile {
  /** The name the JSON import binds, e.g. `mcpJson`. */
  readonly binding: string;
  /** Relative to the config, e.g. `./.mcp.json`. */
  readonly specifier: string;
}

export interface ConfigServers {
  /** Client configs imported, in order: a later one's server wins over an earlier's. */
  readonly imported: readonly ImportedFile[];
  /** Servers written into the config itself, by name; after the imported ones. */
  readonly copied: Readonly<Record<string, unknown>>;
}

/** The template itself when nothing was chosen; else the template with these servers. */
export async function renderConfig(template: string, servers: ConfigServers): Promise<string> {
  if (servers.imported.length === 0 && Object.keys(servers.copied).length === 0) return template;
  const source = ts.createSourceFile("codegen.config.ts", template, ts.ScriptTarget.Latest, true);
  const edits: Edit[] = [serversEdit(source, servers)];
  if (servers.imported.length > 0) edits.push(...importEdits(source, servers.imported));
  let text = template;
  for (const edit of edits.sort((a, b) => b.at - a.at)) {
    text = text.slice(0, edit.at) + edit.insert + text.slice(edit.at + edit.remove);
  }
  return formatSource(text, "typescript");
}

interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

/** The `servers` object of `defineConfig({ … })`, replaced by the spreads and copies. */
function serversEdit(source: ts.SourceFile, servers: ConfigServers): Edit {
  const property = findNode(
    source,
    (node): node is ts.PropertyAssignment =>
      ts.isPropertyAssignment(node) && node.name.getText(source) === "servers",
  );
  const entries = [
    ...servers.imported.map((file) => `...fromClientConfig(${file.binding})`),
    ...Object.entries(servers.copied).map(
      ([name, server]) => `${JSON.stringify(name)}: ${JSON.stringify(server)}`,
    ),
  ];
  const value = property.initializer;
  return {
    at: value.getStart(source),
    remove: value.getEnd() - value.getStart(source),
    insert: `{ ${entries.join(", ")} }`,
  };
}

/** `fromClientConfig` beside `defineConfig`, and one JSON import a file after that line. */
function importEdits(source: ts.SourceFile, imported: readonly ImportedFile[]): Edit[] {
  const declaration = findNode(
    source,
    (node): node is ts.ImportDeclaration =>
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      node.moduleSpecifier.text === "mcp-codegen",
  );
  const named = declaration.importClause?.namedBindings;
  const last = named !== undefined && ts.isNamedImports(named) ? named.elements.at(-1) : undefined;
  if (last === undefined) throw new Error("the template imports no names from mcp-codegen");
  const jsonImports = imported.map(
    (file) =>
      `\nimport ${file.binding} from ${JSON.stringify(file.specifier)} with { type: "json" };`,
  );
  return [
    { at: last.getEnd(), remove: 0, insert: ", fromClientConfig" },
    { at: declaration.getEnd(), remove: 0, insert: jsonImports.join("") },
  ];
}

/** The first node, depth first, that `match` accepts; the template is ours, so it has one. */
function findNode<T extends ts.Node>(source: ts.SourceFile, match: (node: ts.Node) => node is T) {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (match(node)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  if (found === undefined) throw new Error("templates/codegen.config.ts lacks a part init edits");
  return found;
}
