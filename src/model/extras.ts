/**
 * A server's resources, resource templates and prompts as the emitters need them: identifiers
 * decided once per file (`resources.ts`, `prompts.ts`), text sanitised, a template's variables
 * read from its RFC 6570 expressions, and a hash of each definition for drift.
 */
// The SDK's RFC 6570 parser. Loading it costs nothing more: introspection loads the SDK anyway.
import { templateVariableNames } from "../connect/index.js";
import type {
  PromptDefinition,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ServerSnapshot,
} from "../introspect/snapshot.js";
import type { Warning } from "../log.js";
import { compareCodeUnits } from "../compare.js";
import { shortHash } from "./hash.js";
import { toIdentifier, toTypeName } from "./identifiers.js";
import { nameTools } from "./naming.js";
import { toCommentText, toSummaryLine } from "./text.js";
import type { PromptModel, ResourceModel, TemplateVariable } from "./types.js";

const MAX_DESCRIPTION = 1000;

/** What `resources.ts` imports: no resource may take these names. */
export const RESOURCE_FILE_IMPORTS = [
  "readResource",
  "readResourceTemplate",
  "CallOptions",
  "ResourceContents",
];
/** What `prompts.ts` imports. */
export const PROMPT_FILE_IMPORTS = ["getPrompt", "CallOptions", "GetPromptResult"];

type Resourceish =
  | { readonly kind: "resource"; readonly definition: ResourceDefinition }
  | { readonly kind: "template"; readonly definition: ResourceTemplateDefinition };

/**
 * The server's static resources and templates, sorted by identifier. Named after their `name`
 * (`readArchitectureMd`) but told apart by URI: two resources may share a name.
 */
export function buildResources(snapshot: ServerSnapshot, warnings: Warning[]): ResourceModel[] {
  const byKey = new Map<string, Resourceish>();
  for (const definition of snapshot.resources ?? []) {
    byKey.set(definition.uri, { kind: "resource", definition });
  }
  for (const definition of snapshot.resourceTemplates ?? []) {
    if (!byKey.has(definition.uriTemplate)) {
      byKey.set(definition.uriTemplate, { kind: "template", definition });
    }
  }
  const named = nameTools(
    snapshot.name,
    [...byKey.keys()].map((key) => ({ name: key })),
    warnings,
    {
      kind: "resource",
      identifierOf: (key) => toIdentifier(`read ${byKey.get(key)!.definition.name}`, "resource"),
      reserved: RESOURCE_FILE_IMPORTS,
    },
  );
  return named
    .map(({ tool, identifier }) =>
      resourceModel(byKey.get(tool.name)!, identifier, snapshot.name, warnings),
    )
    .sort((a, b) => compareCodeUnits(a.identifier, b.identifier));
}

function resourceModel(
  item: Resourceish,
  identifier: string,
  server: string,
  warnings: Warning[],
): ResourceModel {
  const { definition } = item;
  const text = {
    wireName: definition.name,
    identifier,
    ...(definition.title ? { title: toSummaryLine(definition.title) } : {}),
    description: toCommentText(definition.description, MAX_DESCRIPTION),
    summary: toSummaryLine(definition.description) || toSummaryLine(definition.title),
    ...(definition.mimeType ? { mimeType: toSummaryLine(definition.mimeType, 100) } : {}),
    hash: shortHash(definition),
  };
  if (item.kind === "resource") return { ...text, uri: item.definition.uri };
  const template = item.definition.uriTemplate;
  return {
    ...text,
    uriTemplate: template,
    paramsType: `${toTypeName(identifier)}Params`,
    variables: templateVariables(template, server, definition.name, warnings),
  };
}

/**
 * The variables of an RFC 6570 template (names by the SDK's template parser): required, except
 * those only in query expressions (`{?q}`, `{&page}`), which expand to nothing when absent; a
 * list where the template explodes them (`{/path*}`).
 */
function templateVariables(
  template: string,
  server: string,
  name: string,
  warnings: Warning[],
): TemplateVariable[] {
  let names: string[];
  try {
    names = templateVariableNames(template);
  } catch (error) {
    warnings.push({
      server,
      tool: name,
      message: `the resource template ${JSON.stringify(template)} does not parse (${(error as Error).message}); its function takes no parameters`,
    });
    return [];
  }
  const expressions = [...template.matchAll(/\{([+#./;?&]?)([^}]*)\}/g)].map(([, op, specs]) => ({
    query: op === "?" || op === "&",
    specs: specs!.split(",").map((spec) => spec.trim()),
  }));
  return names.map((variable) => {
    const uses = expressions.flatMap((e) =>
      e.specs
        .filter((spec) => spec.replace(/(:\d+|\*)$/, "") === variable)
        .map((spec) => ({ query: e.query, spec })),
    );
    return {
      name: variable,
      optional: uses.length > 0 && uses.every((use) => use.query),
      list: uses.some((use) => use.spec.endsWith("*")),
    };
  });
}

/** The server's prompts, sorted by identifier. */
export function buildPrompts(snapshot: ServerSnapshot, warnings: Warning[]): PromptModel[] {
  const named = nameTools(snapshot.name, snapshot.prompts ?? [], warnings, {
    kind: "prompt",
    identifierOf: (name) => toIdentifier(name, "prompt"),
    reserved: PROMPT_FILE_IMPORTS,
  });
  return named.map(({ tool, identifier }) => promptModel(tool, identifier));
}

function promptModel(definition: PromptDefinition, identifier: string): PromptModel {
  const seen = new Set<string>();
  const args = (definition.arguments ?? []).filter((a) => !seen.has(a.name) && seen.add(a.name));
  return {
    wireName: definition.name,
    identifier,
    argumentsType: `${toTypeName(identifier)}Arguments`,
    ...(definition.title ? { title: toSummaryLine(definition.title) } : {}),
    description: toCommentText(definition.description, MAX_DESCRIPTION),
    summary: toSummaryLine(definition.description) || toSummaryLine(definition.title),
    arguments: args.map((a) => ({
      name: a.name,
      description: toSummaryLine(a.description, 300),
      required: a.required === true,
    })),
    hash: shortHash(definition),
  };
}
