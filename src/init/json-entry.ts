/**
 * Adding one server entry to a client's JSON config, as text: the file keeps every other entry,
 * every key it has that we do not know, its comments, indentation and line endings. The edit is
 * made by jsonc-parser (what VS Code edits its own JSON settings with), which changes only the
 * bytes of the new entry. Pure: text in, text out.
 */
import { isDeepStrictEqual } from "node:util";
import { findNodeAtLocation, parseTree, type Node } from "jsonc-parser";
import { parseJsonWithComments } from "../config/json.js";
import { ConfigError } from "../errors.js";
import { isRecord } from "../plain-json.js";

export interface EntryRequest {
  /** The file's path, for messages. */
  readonly file: string;
  /** The key servers are under: `mcpServers`, or VS Code's `servers`. */
  readonly key: "mcpServers" | "servers";
  readonly name: string;
  readonly entry: Readonly<Record<string, unknown>>;
  /** Replace an entry of that name that differs (`--force`). */
  readonly force: boolean;
}

export interface EntryResult {
  /** The file's new text; equal to the old one when `outcome` is `unchanged`. */
  readonly text: string;
  readonly outcome: "created" | "added" | "replaced" | "unchanged";
}

/**
 * `text` (undefined: no file yet) with `request.entry` under `request.key`. Throws a ConfigError
 * naming the file when it does not parse, is not an object of servers, or already has an entry
 * of that name that differs and `force` is not set.
 */
export function addServerEntry(text: string | undefined, request: EntryRequest): EntryResult {
  const { file, key, name, entry } = request;
  if (text === undefined || text.trim() === "") {
    return {
      text: `${JSON.stringify({ [key]: { [name]: entry } }, null, 2)}\n`,
      outcome: "created",
    };
  }
  const source = text.replace(/^\uFEFF/, "");
  const data = parseJsonWithComments(source, file);
  if (!isRecord(data))
    throw new ConfigError(`It is not a JSON object; nothing was written`, [], file);
  const servers = data[key];
  if (servers !== undefined && !isRecord(servers)) {
    throw new ConfigError(
      `Its "${key}" is not an object of servers; nothing was written`,
      [],
      file,
    );
  }
  const existing =
    servers !== undefined && Object.hasOwn(servers, name) ? servers[name] : undefined;
  if (existing !== undefined && isDeepStrictEqual(existing, entry))
    return { text, outcome: "unchanged" };
  if (existing !== undefined && !request.force) {
    throw new ConfigError(
      `It has a "${name}" entry that differs from the one init writes (${JSON.stringify(entry)}); it was left as it is. Run init with --force to replace it`,
      [],
      file,
    );
  }
  const tree = parseTree(source, [], { allowTrailingComma: true });
  const value = tree && findNodeAtLocation(tree, [key, name]);
  const unit = indentUnit(source);
  const edited =
    value !== undefined
      ? replaceNode(source, value, entry, unit)
      : insertProperty(source, servers === undefined ? tree! : findNodeAtLocation(tree!, [key])!, {
          name: servers === undefined ? key : name,
          value: servers === undefined ? { [name]: entry } : entry,
          unit,
        });
  return {
    text: text.startsWith("\uFEFF") ? `\uFEFF${edited}` : edited,
    outcome: existing === undefined ? "added" : "replaced",
  };
}

/**
 * `object` (an object node of `text`) with one more property, last. In an object written one
 * property a line, the new one gets its own line at the same indentation; in one written on a
 * single line, it follows on that line.
 */
function insertProperty(
  text: string,
  object: Node,
  property: { name: string; value: unknown; unit: string },
): string {
  const last = object.children?.at(-1);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  if (last === undefined) {
    const indent = leadingBlanks(text, object.offset);
    const inner = indent + property.unit;
    const body = `${JSON.stringify(property.name)}: ${pretty(property.value, property.unit, inner, eol)}`;
    return splice(text, object.offset, object.length, `{${eol}${inner}${body}${eol}${indent}}`);
  }
  const at = last.offset + last.length;
  const indent = lineIndent(text, last.offset);
  const insert =
    indent === undefined
      ? `, ${JSON.stringify(property.name)}: ${JSON.stringify(property.value)}`
      : `,${eol}${indent}${JSON.stringify(property.name)}: ${pretty(property.value, property.unit, indent, eol)}`;
  return splice(text, at, 0, insert);
}

/** `text` with the value `node` replaced by `value`, indented as the line it is on. */
function replaceNode(text: string, node: Node, value: unknown, unit: string): string {
  const indent = leadingBlanks(text, node.offset);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  return splice(text, node.offset, node.length, pretty(value, unit, indent, eol));
}

/** JSON of `value` indented by `unit`, its lines after the first starting with `indent`. */
function pretty(value: unknown, unit: string, indent: string, eol: string): string {
  return JSON.stringify(value, null, unit)
    .split("\n")
    .join(eol + indent);
}

/** The blanks before `offset` on its line, or undefined when something else precedes it there. */
function lineIndent(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** The blanks that start the line `offset` is on. */
function leadingBlanks(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

/** The file's own indentation step: its first indented line's blanks, else two spaces. */
function indentUnit(text: string): string {
  return /^([ \t]+)\S/m.exec(text)?.[1] ?? "  ";
}
