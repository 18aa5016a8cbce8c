/**
 * `validateOutput`: a tool's structured content checked against its `outputSchema` before the
 * program sees it, with Ajv (what the SDK validates with), set up as the SDK sets it up except
 * that only an object's own properties count. Each schema is compiled on the first call of its
 * tool on a connection, never before: most programs call a few of a server's tools, and
 * compiling all of them costs ~1 ms a tool.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { JsonObject } from "../introspect/snapshot.js";
import { OutputValidationError } from "./errors.js";
import { warnOnce } from "./warnings.js";

/**
 * The SDK's settings, plus `ownProperties`: without it every object "has" what it inherits, so
 * `{}` fails a schema whose optional `constructor` or `toString` must be a string (it finds
 * `Object.prototype`'s function there), and a required one of those names is never missing.
 */
function createAjv(): Ajv {
  const ajv = new Ajv({
    strict: false,
    validateFormats: true,
    validateSchema: false,
    allErrors: true,
    ownProperties: true,
  });
  // ajv-formats is CommonJS: its plugin is `module.exports`, also under `.default`.
  addFormats.default(ajv);
  return ajv;
}

export class OutputValidators {
  private readonly server: string;
  private readonly schemas: ReadonlyMap<string, JsonObject>;
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private ajv: Ajv | undefined;

  /**
   * @param schemas each tool's outputSchema, by tool name, as listed on the connection
   * @param source whose schemas they are: the server's, or the config's `outputs`
   */
  constructor(
    server: string,
    schemas: ReadonlyMap<string, JsonObject>,
    private readonly source: "server" | "config" = "server",
  ) {
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
    if (validate(value)) return;
    const summary = this.ajv?.errorsText(validate.errors);
    throw new OutputValidationError(this.server, tool, problems(summary), value);
  }

  private compile(tool: string): ValidateFunction | null {
    const schema = this.schemas.get(tool);
    if (!schema) return null;
    // One Ajv instance per connection: its schema cache then ends with it.
    this.ajv ??= createAjv();
    try {
      return this.ajv.compile(schema);
    } catch (error) {
      warnOnce(
        `outputSchema ${this.server}/${tool}`,
        `the ${this.source === "server" ? "outputSchema" : "output schema the config gives"} of tool "${tool}" of server "${this.server}" could not be compiled ` +
          `(${error instanceof Error ? error.message : String(error)}), so its results are not ` +
          (this.source === "server"
            ? "validated. The schema is the server's: report it to its authors."
            : `validated. Fix servers.${this.server}.outputs["${tool}"].schema.`),
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
