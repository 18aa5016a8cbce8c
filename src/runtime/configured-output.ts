/**
 * Results of tools the config gives an output type (`servers.<name>.outputs`): the stub promises
 * the tool's text result parsed as JSON. Checked against the configured JSON Schema when
 * `validateOutput` is on, with the validators structured content is checked with.
 */
import type { ResolvedServer } from "../config/types.js";
import type { JsonObject } from "../introspect/snapshot.js";
import type { ContentResult } from "./content-result.js";
import { toMessageText } from "../model/text.js";
import { RuntimeError } from "./errors.js";
import { OutputValidators } from "./output-validation.js";

// Per resolved server: its schemas compile once, on the first call of each tool.
const validators = new WeakMap<ResolvedServer, OutputValidators>();

/** Whether the config gives `tool` an output type (then `parseConfiguredOutput` applies). */
export function hasConfiguredOutput(server: ResolvedServer, tool: string): boolean {
  return server.outputs !== undefined && Object.hasOwn(server.outputs, tool);
}

/**
 * The result's text parsed as JSON; throws RuntimeError when it is not JSON, and
 * OutputValidationError when `validate` is on and it does not match the configured schema.
 */
export function parseConfiguredOutput(
  server: ResolvedServer,
  tool: string,
  result: ContentResult,
  validate: boolean,
): unknown {
  let value: unknown;
  try {
    value = JSON.parse(result.text);
  } catch {
    const head = result.text.length > 200 ? `${result.text.slice(0, 200)}…` : result.text;
    throw new RuntimeError(
      `tool "${tool}" of server "${server.name}" returned text that is not JSON, but the config's ` +
        `servers.${server.name}.outputs["${tool}"] says it returns a typed value: ${JSON.stringify(toMessageText(head))}. ` +
        "Remove that entry (the stub then returns a ContentResult) or check what the tool returns.",
    );
  }
  if (validate) validatorsOf(server).check(tool, value);
  return value;
}

function validatorsOf(server: ResolvedServer): OutputValidators {
  let found = validators.get(server);
  if (!found) {
    const schemas = new Map<string, JsonObject>();
    for (const [tool, output] of Object.entries(server.outputs ?? {})) {
      if (output.kind === "schema") schemas.set(tool, output.schema as JsonObject);
    }
    found = new OutputValidators(server.name, schemas, "config");
    validators.set(server, found);
  }
  return found;
}
