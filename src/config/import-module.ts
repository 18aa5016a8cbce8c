import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import { ConfigError } from "../errors.js";

/**
 * Loads a TypeScript or JavaScript config file with tsx and returns what it exports: the default
 * export, or the module itself when it exports `servers` by name; a function export is called
 * (and awaited) to get the config. Anything the file throws becomes a ConfigError naming it.
 * The value is not checked here; validation does that.
 */
export async function importConfigModule(file: string): Promise<unknown> {
  let exported: unknown;
  try {
    // tsx loads each call under a fresh namespace, so an edited config is read anew each time.
    const module: unknown = await tsImport(pathToFileURL(file).href, import.meta.url);
    exported = pickExport(module);
    if (typeof exported === "function") exported = await (exported as () => unknown)();
  } catch (error) {
    throw new ConfigError(describeLoadError(error), [], file);
  }
  if (exported === undefined) {
    throw new ConfigError(
      "The config file has no default export; write `export default defineConfig({ servers: { … } })`",
      [],
      file,
    );
  }
  return exported;
}

function pickExport(module: unknown): unknown {
  if (!isObject(module)) return module;
  let value = module.default;
  // A CommonJS project (no "type": "module") compiles `export default` to `exports.default`,
  // and importing that from ESM wraps it once more: `{ default: { default: config } }`.
  if (isObject(value) && !("servers" in value) && "default" in value) value = value.default;
  if (value === undefined && "servers" in module) return module;
  return value;
}

/** One line with the cause and, for the mistakes we can recognise, how to fix them. */
function describeLoadError(error: unknown): string {
  const code = isObject(error) ? error.code : undefined;
  const message = (error instanceof Error ? error.message : String(error))
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ");
  const name = error instanceof Error ? error.name : "Error";
  if (message.includes("'mcp-codegen'") || message.includes("/mcp-codegen/")) {
    if (code === "ERR_MODULE_NOT_FOUND") {
      return "The config imports mcp-codegen, which is not installed in this project; run `npm install --save-dev mcp-codegen`";
    }
    if (code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      return 'The config imports mcp-codegen from CommonJS; rename it to codegen.config.mts or set "type": "module" in package.json';
    }
  }
  // esbuild's wording; the location it gives (file:line:column) is what the user needs.
  const syntax = /^Transform failed with \d+ errors?: (.*)$/.exec(message);
  if (syntax?.[1] !== undefined)
    return `The config has a syntax error: ${syntax[1].replace(" ERROR: ", " ")}`;
  return `Loading the config failed with ${name}: ${message}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null;
}
