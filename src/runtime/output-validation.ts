/**
 * `validateOutput`: a tool's structured content checked against its `outputSchema` before the
 * program sees it, with the SDK's own JSON Schema validator (Ajv, which the client loads anyway).
 * Each schema is compiled on the first call of its tool on a connection, never before: most
 * programs call a few of a server's tools, and compiling all of them costs ~1 ms a tool.
 */
import { AjvJsonSchemaValidator } from "../connect/index.js";
import type { JsonObject } from "../introspect/snapshot.js";
import { OutputValidationError } from "./errors.js";
import { warnOnce } from "./warnings.js";

type Validate = (value: unknown) => { valid: boolean; errorMessage?: string | undefined };

export class OutputValidators {
  private readonly server: string;
  private readonly schemas: ReadonlyMap<string, JsonObject>;
  private readonly compiled = new Map<string, Validate | null>();
  private provider: AjvJsonSchemaValidator | undefined;

  /** @param schemas each tool's outputSchema, by tool name, as listed on the connection */
  constructor(server: string, schemas: ReadonlyMap<string, JsonObject>) {
    this.server = server;
    this.schemas = schemas;
  }

  /**
   * Throws OutputValidationError when `value` does not match the tool's outputSchema. A tool
   * without one, or whose schema does not compile (warned about once), is not checked.
   */
  check(tool: string, value: unknown): void {
    let validate = this.compiled.get(tool);
    if (validate === undefined) {
      validate = this.compile(tool);
      this.compiled.set(tool, validate);
    }
    if (validate === null) return;
    const result = validate(value);
    if (result.valid) return;
    throw new OutputValidationError(this.server, tool, problems(result.errorMessage), value);
  }

  private compile(tool: string): Validate | null {
    const schema = this.schemas.get(tool);
    if (!schema) return null;
    // One validator (one Ajv instance) per connection: its schema cache then ends with it.
    this.provider ??= new AjvJsonSchemaValidator();
    try {
      return this.provider.getValidator(schema) as Validate;
    } catch (error) {
      warnOnce(
        `outputSchema ${this.server}/${tool}`,
        `the outputSchema of tool "${tool}" of server "${this.server}" could not be compiled ` +
          `(${error instanceof Error ? error.message : String(error)}), so its results are not ` +
          "validated. The schema is the server's: report it to its authors.",
      );
      return null;
    }
  }
}

/**
 * Ajv's one-line summary split into problems, `data` renamed to what it is:
 * "data/temperature must be number, data must have required property 'x'" →
 * ["structuredContent/temperature must be number", "structuredContent must have required property 'x'"].
 */
function problems(summary: string | undefined): string[] {
  if (!summary) return ["it does not match (the validator said no more)"];
  return summary
    .split(/, (?=data\b)/)
    .map((problem) => problem.replace(/^data\b/, "structuredContent"));
}
