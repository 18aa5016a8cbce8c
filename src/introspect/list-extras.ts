/**
 * What a server offers besides tools: its resources, resource templates and prompts, listed
 * through every page when it announces the capability. Lenient as tool listing is: an item
 * without the fields the tree needs is left out with a warning, and a list the server fails to
 * give costs that list only (tools are what the tree is for), with a warning naming it.
 */
import type { Connection } from "../connect/index.js";
import type { Warning } from "../log.js";
import { plural } from "../plural.js";
import { hasStrings, listAll, LISTS } from "../runtime/paginate.js";
import type {
  PromptArgumentDefinition,
  PromptDefinition,
  ResourceDefinition,
  ResourceTemplateDefinition,
} from "./snapshot.js";

/** More than this many static resources is a file tree or a database: the tree keeps these. */
const MAX_RESOURCES = 500;

export interface ServerExtras {
  readonly resources: ResourceDefinition[];
  readonly resourceTemplates: ResourceTemplateDefinition[];
  readonly prompts: PromptDefinition[];
  readonly warnings: Warning[];
}

/**
 * The three lists are asked for at once (a round trip each saved on a server that answers in
 * turn); each keeps its own warnings, given in the order of the lists whatever order the
 * answers come in.
 */
export async function listExtras(connection: Connection): Promise<ServerExtras> {
  const server = connection.server.name;
  const list = async <T>(
    method: keyof typeof LISTS,
    pick: (item: unknown) => T | undefined,
    warnings: Warning[],
  ): Promise<T[]> => {
    let items: unknown[];
    try {
      items = await listAll(connection, method, {
        timeout: connection.requestOptions.timeout,
        warn: (message) => warnings.push({ server, message }),
      });
    } catch (error) {
      const why = (await connection.failure(error, method)).message;
      warnings.push({ server, message: `${method} failed, so the tree has none of them: ${why}` });
      return [];
    }
    const kept = items.flatMap((item) => pick(item) ?? []);
    if (kept.length < items.length) {
      const left = items.length - kept.length;
      warnings.push({
        server,
        message: `${plural(left, "item")} of its ${method} answer lack a string name or URI and were left out`,
      });
    }
    return kept;
  };
  const onResources: Warning[] = [];
  const onTemplates: Warning[] = [];
  const onPrompts: Warning[] = [];
  const { resources: offersResources, prompts: offersPrompts } = connection.offers;
  const [resources, resourceTemplates, prompts] = await Promise.all([
    offersResources ? list("resources/list", resource, onResources) : [],
    offersResources ? list("resources/templates/list", resourceTemplate, onTemplates) : [],
    offersPrompts ? list("prompts/list", prompt, onPrompts) : [],
  ]);
  if (resources.length > MAX_RESOURCES) {
    onResources.push({
      server,
      message: `lists ${resources.length} resources; the tree has the first ${MAX_RESOURCES}. Read the others with readResource(server, uri)`,
    });
  }
  return {
    resources: resources.slice(0, MAX_RESOURCES),
    resourceTemplates,
    prompts,
    warnings: [...onResources, ...onTemplates, ...onPrompts],
  };
}

/** The described fields every kind shares, those that are strings. */
function described(item: Record<string, unknown>) {
  const text = (key: string) =>
    typeof item[key] === "string" ? { [key]: item[key] as string } : {};
  return { name: item.name as string, ...text("title"), ...text("description") };
}

function mimeType(item: Record<string, unknown>) {
  return typeof item.mimeType === "string" ? { mimeType: item.mimeType } : {};
}

function resource(item: unknown): ResourceDefinition | undefined {
  if (!hasStrings(item, "uri", "name") || item.name === "") return undefined;
  return { uri: item.uri as string, ...described(item), ...mimeType(item) };
}

function resourceTemplate(item: unknown): ResourceTemplateDefinition | undefined {
  if (!hasStrings(item, "uriTemplate", "name") || item.name === "") return undefined;
  return { uriTemplate: item.uriTemplate as string, ...described(item), ...mimeType(item) };
}

function prompt(item: unknown): PromptDefinition | undefined {
  if (!hasStrings(item, "name") || item.name === "") return undefined;
  const args = Array.isArray(item.arguments) ? item.arguments.flatMap(promptArgument) : [];
  return { ...described(item), ...(args.length > 0 ? { arguments: args } : {}) };
}

function promptArgument(item: unknown): PromptArgumentDefinition[] {
  if (!hasStrings(item, "name") || item.name === "") return [];
  const description = typeof item.description === "string" ? { description: item.description } : {};
  return [{ name: item.name as string, ...description, required: item.required === true }];
}
