/**
 * Text a server sends that may be written for the model rather than for the reader: a tool
 * description saying `<IMPORTANT>` read ~/.ssh first, "ignore previous instructions", "do not
 * tell the user", or text hidden from a person's eyes (zero-width or tag characters, an HTML
 * comment, a screenful of blanks). Agents read these descriptions in the generated files, so a
 * server can steer them there ("tool poisoning").
 *
 * Each rule below finds one such sign. A finding is a warning, not a failure: the words also
 * occur in honest descriptions, and a person has to read the text to judge. Generation goes
 * on; the warning names the server, the tool, the field and what was found, in `generate` and
 * in `check`. Hidden characters are also shown as `[hidden: …]` marks in the generated doc
 * comments (see text.ts), so nothing hidden reaches the model unmarked.
 */
import { plural } from "../plural.js";
import type { ServerSnapshot, ToolDefinition } from "../introspect/snapshot.js";
import type { Warning } from "../log.js";
import { invisibleCharacters, toMessageText } from "./text.js";

/** One sign of text aimed at the model: what it is, found in `text` (or undefined). */
interface Rule {
  readonly name: string;
  readonly find: (text: string) => string | undefined;
}

/** A rule that quotes what its pattern matched. */
const quoting = (name: string, pattern: RegExp, shown = (found: string) => `"${found}"`): Rule => ({
  name,
  find: (text) => {
    const found = pattern.exec(text)?.[0];
    return found === undefined ? undefined : shown(toMessageText(found, 60));
  },
});

const INSTRUCTION_RULES: readonly Rule[] = [
  quoting(
    "a tag that speaks to the model",
    /<\/?\s*(?:important|system|instructions?|admin|secret|hidden|assistant|prompt|context)\b[^<>]{0,80}>/i,
    (found) => found,
  ),
  quoting(
    "an instruction to ignore other instructions",
    /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|other|system)\s+(?:instructions?|prompts?|rules|directions|messages)\b/i,
  ),
  quoting(
    "a request to keep something from the user",
    /\b(?:(?:do\s+not|don't|never)\s+(?:tell|inform|mention\s+(?:this\s+)?to|show|reveal\s+(?:this\s+)?to|alert|notify)\s+the\s+user|without\s+(?:telling|informing|notifying|alerting)\s+the\s+user|keep\s+this\s+(?:secret|hidden|between\s+us))\b/i,
  ),
  { name: "hidden characters", find: hiddenCharacters },
  quoting("an HTML comment", /<!--[\s\S]{0,200}?(?:-->|$)/),
  {
    name: "a long run of white space",
    // A screenful of blanks pushes what follows out of sight in most viewers.
    find: (text) => {
      const run = /(?:[ \t\u00a0\u3000]{60,}|(?:[ \t]*\n){12,})(?=\S)/.exec(text)?.[0];
      return run === undefined ? undefined : `${run.length} blank characters before more text`;
    },
  },
  quoting("terminal escape codes", /\u001b[[\]][^\u001b]{0,12}/, () => "ESC sequences"),
];

/** The signs of model-directed text in `text`, each as "what: found". Empty when none. */
export function findInstructions(text: string): string[] {
  const found: string[] = [];
  for (const rule of INSTRUCTION_RULES) {
    const what = rule.find(text);
    if (what !== undefined) found.push(`${rule.name} (${what})`);
  }
  return found;
}

/**
 * One warning per field of the server's instructions and of `tools` (title, description, and
 * every title or description inside their schemas) that shows signs of model-directed text.
 */
export function instructionWarnings(
  snapshot: ServerSnapshot,
  tools: readonly ToolDefinition[],
): Warning[] {
  const warnings: Warning[] = [];
  const check = (text: string, field: string, tool?: string) => {
    const found = findInstructions(text);
    if (found.length === 0) return;
    warnings.push({
      server: snapshot.name,
      ...(tool !== undefined ? { tool } : {}),
      field,
      kind: "instructions",
      message: `may carry instructions for the model: ${found.join("; ")}. Read it before an agent uses ${tool !== undefined ? "this tool" : "this server"}, and exclude what is not what it claims`,
    });
  };
  if (snapshot.instructions !== undefined) check(snapshot.instructions, "instructions");
  for (const tool of tools) {
    for (const [field, text] of textsOf(tool)) check(text, field, tool.name);
  }
  return warnings;
}

/** Every piece of prose in a tool, with where it is: `description`, `inputSchema.properties.q.description`. */
function textsOf(tool: ToolDefinition): Array<[string, string]> {
  const texts: Array<[string, string]> = [];
  if (tool.title !== undefined) texts.push(["title", tool.title]);
  if (tool.annotations?.title !== undefined)
    texts.push(["annotations.title", tool.annotations.title]);
  if (tool.description !== undefined) texts.push(["description", tool.description]);
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if ((key === "description" || key === "title") && typeof item === "string") {
          texts.push([`${path}.${key}`, item]);
        } else walk(item, `${path}.${key}`);
      }
    }
  };
  walk(tool.inputSchema, "inputSchema");
  if (tool.outputSchema) walk(tool.outputSchema, "outputSchema");
  return texts;
}

/** "3 zero-width, 1 bidi; tag characters spelling "…"", or undefined when there are none. */
function hiddenCharacters(text: string): string | undefined {
  const found = invisibleCharacters(text);
  if (found.length === 0) return undefined;
  let tags = "";
  let bidi = 0;
  let other = 0;
  for (const character of found) {
    const code = character.codePointAt(0)!;
    // Tag characters mirror ASCII (U+E0020–U+E007E): a message no one sees but a model reads.
    if (code >= 0xe0000 && code <= 0xe007f) tags += String.fromCodePoint(code - 0xe0000);
    else if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(character)) bidi += 1;
    else if (!/^[\ufe0e\ufe0f]$/.test(character)) other += 1;
  }
  const parts = [
    ...(other > 0 ? [`${other} invisible`] : []),
    ...(bidi > 0 ? [plural(bidi, "bidi control")] : []),
    ...(tags.length > 0 ? [`tag characters spelling "${toMessageText(tags, 60)}"`] : []),
  ];
  return parts.length > 0 ? parts.join(", ") : undefined;
}
